// The only place that converts between instants and Europe/Paris wall-clock time.
// Offsets always come from the time-zone database through Intl, never from a constant.

export const PARIS_TIME_ZONE = 'Europe/Paris';

export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface WallClockInput {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// Created once, on first use: building an Intl.DateTimeFormat (loading the time zone data) is far costlier
// than using one, about a tenth of a function's cold start, which a request that reads no date never needs.
let parisFormat: Intl.DateTimeFormat | undefined;
const parisParts = (): Intl.DateTimeFormat =>
  (parisFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: PARIS_TIME_ZONE,
    hourCycle: 'h23',
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }));

const FRENCH_MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
] as const;

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Invalid instant');
  }
}

export function toParis(instant: Date): WallClock {
  assertValidInstant(instant);
  const fields: Record<string, string> = {};
  for (const part of parisParts().formatToParts(instant)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  return {
    // Intl counts BC years from 1 backwards; ISO counts 1 BC as year 0.
    year: fields.era === 'BC' ? 1 - yearOfEra : yearOfEra,
    month: Number(fields.month),
    day: Number(fields.day),
    // Some ICU versions print midnight as 24 even with h23.
    hour: Number(fields.hour) % 24,
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
}

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
function wallAsUtcMs(wall: WallClockInput): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0, 0);
  return date.getTime();
}

// Intl reads whole seconds, so off a whole second this is short by the milliseconds: callers either pass whole
// seconds (fromParis) or round to the minute (parisOffset).
function offsetMsAt(epochMs: number): number {
  return wallAsUtcMs(toParis(new Date(epochMs))) - epochMs;
}

/**
 * The instant at which Paris clocks show `wall`. Fields out of range roll over as in Date.UTC
 * (day 32 is the 1st of next month), which addParisDays relies on. A time skipped by the spring
 * change moves forward by the gap; a time repeated in autumn resolves to its first (summer) occurrence.
 */
export function fromParis(wall: WallClockInput): Date {
  const fields = [wall.year, wall.month, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0];
  if (!fields.every(Number.isInteger)) throw new RangeError('Wall-clock fields must be integers');
  const local = wallAsUtcMs(wall);
  // Paris changes offset at most twice a year, so a day either side brackets any change.
  const offsetBefore = offsetMsAt(local - DAY_MS);
  const offsetAfter = offsetMsAt(local + DAY_MS);
  const candidates = [local - offsetBefore, local - offsetAfter].filter(
    (epochMs) => wallAsUtcMs(toParis(new Date(epochMs))) === local,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In the gap: read the wall time with the offset in force before it, which lands past the gap.
  return new Date(local - offsetBefore);
}

export function parisOffset(instant: Date): string {
  assertValidInstant(instant);
  // Paris has never been behind UTC (the time-zone database starts it at +00:09:21).
  const minutes = Math.round(offsetMsAt(instant.getTime()) / MINUTE_MS);
  return `+${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

export function toParisIso(instant: Date): string {
  const wall = toParis(instant);
  const date = `${pad4(wall.year)}-${pad2(wall.month)}-${pad2(wall.day)}`;
  const time = `${pad2(wall.hour)}:${pad2(wall.minute)}:${pad2(wall.second)}`;
  return `${date}T${time}${parisOffset(instant)}`;
}

const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Strict RFC 3339 date-time: seconds required, offset (or Z) required, fraction optional
 * (kept to the millisecond). Anything else, including impossible days, gives undefined.
 */
export function parseInstant(text: string): Date | undefined {
  const match = INSTANT_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zulu, sign, oh, om] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (!isCalendarDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (!zulu) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = wallAsUtcMs({ year, month, day, hour, minute, second }) + millis;
  return new Date(local - offsetMinutes * MINUTE_MS);
}

export function parisDate(instant: Date): string {
  const wall = toParis(instant);
  return `${pad4(wall.year)}-${pad2(wall.month)}-${pad2(wall.day)}`;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined;
}

function parseIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return isCalendarDay(year, month, day) ? { year, month, day } : undefined;
}

function requireIsoDate(text: string): { year: number; month: number; day: number } {
  const date = parseIsoDate(text);
  if (!date) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${text}`);
  return date;
}

/** Paris midnight of the given calendar day, as an instant. */
export function startOfParisDay(date: string): Date {
  return fromParis(requireIsoDate(date));
}

/** The same Paris wall-clock time `days` later (or earlier): a day is 23, 24 or 25 hours long. */
export function addParisDays(instant: Date, days: number): Date {
  if (!Number.isInteger(days)) throw new RangeError('days must be an integer');
  const wall = toParis(instant);
  const shifted = fromParis({ ...wall, day: wall.day + days });
  // Offsets are whole minutes, so the milliseconds carry over unchanged.
  return new Date(shifted.getTime() + (((instant.getTime() % 1000) + 1000) % 1000));
}

function frenchDay(day: number): string {
  return day === 1 ? '1er' : String(day);
}

function frenchDate(year: number, month: number, day: number): string {
  return `${frenchDay(day)} ${FRENCH_MONTHS[month - 1]} ${year}`;
}

/** "1er novembre 2023 à 00 h 00" */
export function formatParisDateTime(instant: Date): string {
  const wall = toParis(instant);
  return `${frenchDate(wall.year, wall.month, wall.day)} à ${pad2(wall.hour)} h ${pad2(wall.minute)}`;
}

/** Users read deadlines as the last minute still allowed, not the exclusive end the system uses. */
export function formatDeadline(exclusiveEnd: Date): string {
  assertValidInstant(exclusiveEnd);
  return `${formatParisDateTime(new Date(exclusiveEnd.getTime() - 1))} (heure de Paris)`;
}

/** "15 février 2024" from "2024-02-15" */
export function formatParisDate(date: string): string {
  const { year, month, day } = requireIsoDate(date);
  return frenchDate(year, month, day);
}

export function parisMonth(instant: Date): string {
  const wall = toParis(instant);
  return `${pad4(wall.year)}-${pad2(wall.month)}`;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isIsoMonth(text: string): boolean {
  return MONTH_PATTERN.test(text);
}

export function addMonths(month: string, n: number): string {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
  const index = Number(match[1]) * 12 + (Number(match[2]) - 1) + n;
  if (index < 0 || index >= 10_000 * 12) throw new RangeError('Month out of range');
  return `${pad4(Math.floor(index / 12))}-${pad2((index % 12) + 1)}`;
}

/** Every YYYY-MM touched by the inclusive range; empty when lastDate is before firstDate. */
export function monthsBetween(firstDate: string, lastDate: string): string[] {
  requireIsoDate(firstDate);
  requireIsoDate(lastDate);
  const months: string[] = [];
  // Stryker disable next-line MethodExpression: a YYYY-MM compares the same against the date as against its month
  const last = lastDate.slice(0, 7);
  for (let month = firstDate.slice(0, 7); month <= last; month = addMonths(month, 1)) {
    months.push(month);
  }
  return months;
}

/** RFC 5545 UTC form, "20231031T230000Z". */
export function toIcsUtc(instant: Date): string {
  assertValidInstant(instant);
  // Stryker disable next-line Regex: toISOString has one fraction, at the end, so the anchor changes nothing
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** RFC 5545 DATE value, "20240215". */
export function toIcsDate(date: string): string {
  requireIsoDate(date);
  return date.replace(/-/g, '');
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}
