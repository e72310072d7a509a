import fc from 'fast-check';
import {
  addMonths,
  addParisDays,
  formatDeadline,
  formatParisDate,
  formatParisDateTime,
  fromParis,
  isIsoDate,
  isIsoMonth,
  monthsBetween,
  parisDate,
  parisMonth,
  parisOffset,
  parseInstant,
  startOfParisDay,
  toIcsDate,
  toIcsUtc,
  toParis,
  toParisIso,
  type WallClock,
} from '../../layers/domain/calendar';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// An oracle independent of Intl: since 1996 the EU changes at 01:00 UTC on the last Sunday
// of March and of October.
function lastSundayUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

function isParisSummerTime(epochMs: number): boolean {
  const year = new Date(epochMs).getUTCFullYear();
  return epochMs >= lastSundayUtc(year, 3) && epochMs < lastSundayUtc(year, 10);
}

function isSpringGap(wall: WallClock): boolean {
  const springDay = new Date(lastSundayUtc(wall.year, 3));
  return wall.month === 3 && wall.day === springDay.getUTCDate() && wall.hour === 2;
}

function isInAutumnRepeatedHour(epochMs: number): boolean {
  const change = lastSundayUtc(new Date(epochMs).getUTCFullYear(), 10);
  return epochMs >= change - HOUR_MS && epochMs < change + HOUR_MS;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const wallClock2020to2035 = fc
  .record({
    year: fc.integer({ min: 2020, max: 2035 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
  })
  .map((wall) => ({ ...wall, day: Math.min(wall.day, daysIn(wall.year, wall.month)) }));

const wallClockOnChangeDays = fc
  .record({
    year: fc.integer({ min: 2020, max: 2035 }),
    month: fc.constantFrom(3, 10),
    hour: fc.integer({ min: 0, max: 4 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
  })
  .map((wall) => ({ ...wall, day: new Date(lastSundayUtc(wall.year, wall.month)).getUTCDate() }));

const wholeSecondInstant2020to2035 = fc
  .integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2036, 0, 1) / 1000 - 1 })
  .map((seconds) => new Date(seconds * 1000));

// Mix in the change days so the properties visit them, not only random points far from them.
const instantNearChanges = fc
  .record({
    year: fc.integer({ min: 2020, max: 2035 }),
    month: fc.constantFrom(3, 10),
    offsetSeconds: fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }),
  })
  .map(({ year, month, offsetSeconds }) => new Date(lastSundayUtc(year, month) + offsetSeconds * 1000));

const instant2020to2035 = fc.oneof(wholeSecondInstant2020to2035, instantNearChanges);

function minuteKey(instant: Date): number[] {
  const { year, month, day, hour, minute } = toParis(instant);
  return [year, month, day, hour, minute];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

describe('the 2023–2024 campaign milestones', () => {
  it.each([
    ['2023-11-01', '2023-10-31T23:00:00.000Z', '2023-11-01T00:00:00+01:00'],
    ['2023-12-16', '2023-12-15T23:00:00.000Z', '2023-12-16T00:00:00+01:00'],
    ['2024-02-15', '2024-02-14T23:00:00.000Z', '2024-02-15T00:00:00+01:00'],
    ['2023-09-01', '2023-08-31T22:00:00.000Z', '2023-09-01T00:00:00+02:00'],
  ])('Paris midnight of %s is %s', (date, utc, parisIso) => {
    const midnight = startOfParisDay(date);
    expect(midnight.toISOString()).toBe(utc);
    expect(toParisIso(midnight)).toBe(parisIso);
    expect(parseInstant(parisIso)?.getTime()).toBe(midnight.getTime());
  });

  it('shows the intake deadline as the last minute of 31 October', () => {
    expect(formatDeadline(startOfParisDay('2023-11-01'))).toBe('31 octobre 2023 à 23 h 59 (heure de Paris)');
  });

  it('shows the selection and convention deadlines as the last minute of the day before', () => {
    expect(formatDeadline(startOfParisDay('2023-12-16'))).toBe('15 décembre 2023 à 23 h 59 (heure de Paris)');
    expect(formatDeadline(startOfParisDay('2024-02-15'))).toBe('14 février 2024 à 23 h 59 (heure de Paris)');
  });

  it('puts one second before intake closing on 31 October and the closing instant on 1 November', () => {
    const closing = new Date('2023-10-31T23:00:00Z');
    expect(parisDate(new Date(closing.getTime() - 1000))).toBe('2023-10-31');
    expect(parisDate(closing)).toBe('2023-11-01');
  });
});

describe('the end of summer time on 29 October 2023', () => {
  it('turns 03:00 CEST back into 02:00 CET at 01:00 UTC', () => {
    expect(toParisIso(new Date('2023-10-29T00:59:59Z'))).toBe('2023-10-29T02:59:59+02:00');
    expect(toParisIso(new Date('2023-10-29T01:00:00Z'))).toBe('2023-10-29T02:00:00+01:00');
  });

  it('makes 29 October a 25-hour day', () => {
    const length = startOfParisDay('2023-10-30').getTime() - startOfParisDay('2023-10-29').getTime();
    expect(length).toBe(25 * HOUR_MS);
  });

  it('resolves the repeated 02:30 to its first, summer-time occurrence', () => {
    const instant = fromParis({ year: 2023, month: 10, day: 29, hour: 2, minute: 30 });
    expect(instant.toISOString()).toBe('2023-10-29T00:30:00.000Z');
    expect(toParisIso(instant)).toBe('2023-10-29T02:30:00+02:00');
  });
});

describe('the start of summer time on 31 March 2024', () => {
  it('jumps from 01:59:59 CET to 03:00 CEST at 01:00 UTC', () => {
    expect(toParisIso(new Date('2024-03-31T00:59:59Z'))).toBe('2024-03-31T01:59:59+01:00');
    expect(toParisIso(new Date('2024-03-31T01:00:00Z'))).toBe('2024-03-31T03:00:00+02:00');
  });

  it('makes 31 March a 23-hour day', () => {
    const length = startOfParisDay('2024-04-01').getTime() - startOfParisDay('2024-03-31').getTime();
    expect(length).toBe(23 * HOUR_MS);
  });

  it('moves a skipped 02:30 forward by the gap, to 03:30 CEST', () => {
    const instant = fromParis({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 });
    expect(instant.toISOString()).toBe('2024-03-31T01:30:00.000Z');
    expect(toParisIso(instant)).toBe('2024-03-31T03:30:00+02:00');
  });
});

describe('addParisDays', () => {
  it('keeps midnight when going back two days across the October change (draft reminder)', () => {
    const reminder = addParisDays(startOfParisDay('2023-11-01'), -2);
    expect(toParisIso(reminder)).toBe('2023-10-30T00:00:00+01:00');
    expect(toParisIso(addParisDays(startOfParisDay('2023-11-01'), -4))).toBe('2023-10-28T00:00:00+02:00');
  });

  it('keeps midnight when going forward across the March change', () => {
    expect(toParisIso(addParisDays(startOfParisDay('2024-03-30'), 2))).toBe('2024-04-01T00:00:00+02:00');
    expect(toParisIso(addParisDays(startOfParisDay('2024-04-01'), -2))).toBe('2024-03-30T00:00:00+01:00');
  });

  it('keeps the selection reminders at midnight (− 7 days and − 1 day)', () => {
    const selectionEnds = startOfParisDay('2023-12-16');
    expect(toParisIso(addParisDays(selectionEnds, -7))).toBe('2023-12-09T00:00:00+01:00');
    expect(toParisIso(addParisDays(selectionEnds, -1))).toBe('2023-12-15T00:00:00+01:00');
  });

  it('keeps the milliseconds and rejects fractional days', () => {
    const instant = new Date('2023-10-28T10:15:30.250Z');
    expect(addParisDays(instant, 2).toISOString()).toBe('2023-10-30T11:15:30.250Z');
    expect(() => addParisDays(instant, 0.5)).toThrow(RangeError);
  });
});

describe('French formatting', () => {
  it('writes the first of the month as "1er" and keeps two-digit hours and minutes', () => {
    expect(formatParisDateTime(new Date('2023-10-31T23:00:00Z'))).toBe('1er novembre 2023 à 00 h 00');
    expect(formatParisDateTime(new Date('2023-10-31T22:59:00Z'))).toBe('31 octobre 2023 à 23 h 59');
    expect(formatParisDateTime(new Date('2024-08-05T07:05:00Z'))).toBe('5 août 2024 à 09 h 05');
  });

  it('shows a deadline that is not on a whole minute as the minute it falls in', () => {
    expect(formatDeadline(new Date('2023-10-31T22:59:30Z'))).toBe('31 octobre 2023 à 23 h 59 (heure de Paris)');
  });

  it('formats calendar dates with French month names', () => {
    expect(formatParisDate('2024-02-15')).toBe('15 février 2024');
    expect(formatParisDate('2024-03-01')).toBe('1er mars 2024');
    expect(formatParisDate('2024-10-15')).toBe('15 octobre 2024');
    expect(formatParisDate('2023-12-31')).toBe('31 décembre 2023');
    expect(() => formatParisDate('2024-02-30')).toThrow(RangeError);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2023-11-01T00:00:00+01:00', '2023-10-31T23:00:00.000Z'],
    ['2023-10-31T23:00:00Z', '2023-10-31T23:00:00.000Z'],
    ['2023-10-31T23:00:00.5Z', '2023-10-31T23:00:00.500Z'],
    ['2023-11-01T00:00:00.123456+01:00', '2023-10-31T23:00:00.123Z'],
    ['2024-02-29T12:00:00-03:30', '2024-02-29T15:30:00.000Z'],
  ])('reads %s as %s', (text, utc) => {
    expect(parseInstant(text)?.toISOString()).toBe(utc);
  });

  it.each([
    ['no offset', '2023-11-01T00:00:00'],
    ['a date only', '2023-11-01'],
    ['30 February', '2024-02-30T00:00:00Z'],
    ['29 February of a common year', '2023-02-29T00:00:00Z'],
    ['month 13', '2023-13-01T00:00:00Z'],
    ['hour 24', '2023-11-01T24:00:00Z'],
    ['no seconds', '2023-11-01T00:00Z'],
    ['an offset without colon', '2023-11-01T00:00:00+0100'],
    ['a space instead of T', '2023-11-01 00:00:00Z'],
    ['surrounding spaces', ' 2023-11-01T00:00:00Z '],
    ['garbage', 'demain midi'],
    ['an empty string', ''],
  ])('rejects %s', (_label, text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('calendar days and months', () => {
  it('names the Paris day and month, not the UTC one', () => {
    expect(parisDate(new Date('2024-02-29T23:30:00Z'))).toBe('2024-03-01');
    expect(parisMonth(new Date('2024-02-29T23:30:00Z'))).toBe('2024-03');
    expect(parisMonth(new Date('2024-02-29T22:59:59Z'))).toBe('2024-02');
  });

  it('accepts only real calendar days as ISO dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-04-31')).toBe(false);
    expect(isIsoDate('2023-11-1')).toBe(false);
    expect(isIsoDate('2023-11-01T00:00:00Z')).toBe(false);
  });

  it('accepts only YYYY-MM months 01 to 12', () => {
    expect(isIsoMonth('2024-02')).toBe(true);
    expect(isIsoMonth('2024-00')).toBe(false);
    expect(isIsoMonth('2024-13')).toBe(false);
    expect(isIsoMonth('2024-2')).toBe(false);
  });

  it('adds months across year ends in both directions', () => {
    expect(addMonths('2023-11', 3)).toBe('2024-02');
    expect(addMonths('2024-01', -1)).toBe('2023-12');
    expect(addMonths('2024-10', 0)).toBe('2024-10');
    expect(() => addMonths('2024-13', 1)).toThrow(RangeError);
  });

  it('lists every month the experimentation touches', () => {
    expect(monthsBetween('2024-02-15', '2024-10-15')).toEqual([
      '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10',
    ]);
    expect(monthsBetween('2023-12-31', '2024-01-01')).toEqual(['2023-12', '2024-01']);
    expect(monthsBetween('2024-02-15', '2024-02-15')).toEqual(['2024-02']);
    expect(monthsBetween('2024-03-01', '2024-02-29')).toEqual([]);
  });

  it('writes iCalendar UTC instants and dates', () => {
    expect(toIcsUtc(new Date('2023-10-31T23:00:00.999Z'))).toBe('20231031T230000Z');
    expect(toIcsDate('2024-02-15')).toBe('20240215');
  });
});

describe('calendar properties', () => {
  it('round-trips every wall time of 2020–2035 except the spring gap, which moves one hour on', () => {
    fc.assert(
      fc.property(fc.oneof(wallClock2020to2035, wallClockOnChangeDays), (wall) => {
        const back = toParis(fromParis(wall));
        if (isSpringGap(wall)) expect(back).toEqual({ ...wall, hour: 3 });
        else expect(back).toEqual(wall);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every whole-second instant outside the repeated autumn hour', () => {
    fc.assert(
      fc.property(instant2020to2035, (instant) => {
        fc.pre(!isInAutumnRepeatedHour(instant.getTime()));
        expect(fromParis(toParis(instant)).getTime()).toBe(instant.getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('going n Paris days forward then back returns the instant, keeping the wall time', () => {
    fc.assert(
      fc.property(instant2020to2035, fc.integer({ min: -400, max: 400 }), (instant, days) => {
        // Gaps and repeated hours are always 02:xx in Paris.
        fc.pre(toParis(instant).hour !== 2);
        const moved = addParisDays(instant, days);
        const wall = toParis(instant);
        const movedWall = toParis(moved);
        expect([movedWall.hour, movedWall.minute, movedWall.second]).toEqual([wall.hour, wall.minute, wall.second]);
        const dayDiff = (startOfParisDay(parisDate(moved)).getTime() - startOfParisDay(parisDate(instant)).getTime()) / 86_400_000;
        expect(Math.round(dayDiff)).toBe(days);
        expect(addParisDays(moved, -days).getTime()).toBe(instant.getTime());
      }),
      { numRuns: 1000 },
    );
  });

  it('only ever uses +01:00 or +02:00, and +02:00 exactly during EU summer time', () => {
    const anyInstant = fc
      .integer({ min: Date.UTC(1996, 0, 1), max: Date.UTC(2100, 0, 1) })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(fc.oneof(anyInstant, instantNearChanges), (instant) => {
        expect(parisOffset(instant)).toBe(isParisSummerTime(instant.getTime()) ? '+02:00' : '+01:00');
      }),
      { numRuns: 2000 },
    );
  });

  it('parses back every instant it prints', () => {
    fc.assert(
      fc.property(instant2020to2035, (instant) => {
        expect(parseInstant(toParisIso(instant))?.getTime()).toBe(Math.floor(instant.getTime() / 1000) * 1000);
      }),
      { numRuns: 1000 },
    );
  });

  it('orders the Paris minutes strictly one minute either side of a midnight milestone', () => {
    const fixed = ['2023-09-01', '2023-11-01', '2023-12-16', '2024-02-15', '2024-10-16'].map(startOfParisDay);
    const random = fc
      .integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2035, 11, 31) / 86_400_000 })
      .map((days) => startOfParisDay(new Date(days * 86_400_000).toISOString().slice(0, 10)));
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...fixed), random), (milestone) => {
        const before = minuteKey(new Date(milestone.getTime() - MINUTE_MS));
        const at = minuteKey(milestone);
        const after = minuteKey(new Date(milestone.getTime() + MINUTE_MS));
        expect(compareKeys(before, at)).toBeLessThan(0);
        expect(compareKeys(at, after)).toBeLessThan(0);
        expect(at.slice(3)).toEqual([0, 0]);
        expect(before.slice(3)).toEqual([23, 59]);
      }),
      { numRuns: 500 },
    );
  });
});
