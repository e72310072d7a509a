import { fromParis, parseInstant, toParis, toParisIso } from '@domain/calendar';

// A datetime-local field holds Paris wall-clock time ("2040-09-01T00:00"), as the call writes its deadlines;
// the calendar module turns it into the instant the API stores, with the offset of that day.
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "2040-09-01T00:00" (Paris) → "2040-09-01T00:00:00+02:00"; undefined when the field is not a date and time. */
export function parisFieldToInstant(value: string): string | undefined {
  const match = LOCAL_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return toParisIso(fromParis({ year, month, day, hour, minute }));
}

/** An instant of the API → the Paris wall-clock value of a datetime-local field. */
export function instantToParisField(instant: string): string {
  const parsed = parseInstant(instant);
  if (!parsed) return '';
  const wall = toParis(parsed);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}
