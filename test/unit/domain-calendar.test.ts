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
} from '../../layers/domain/calendar';

// Summer time began on 31 March 2024 and ended on 27 October 2024, both at 01:00 UTC.
const SPRING_2024 = Date.UTC(2024, 2, 31, 1);
const AUTUMN_2024 = Date.UTC(2024, 9, 27, 1);

describe('the instant of a change of offset, to the millisecond', () => {
  it.each([
    [SPRING_2024 - 1, '+01:00', '2024-03-31T01:59:59+01:00'],
    [SPRING_2024, '+02:00', '2024-03-31T03:00:00+02:00'],
    [SPRING_2024 + 1, '+02:00', '2024-03-31T03:00:00+02:00'],
    [AUTUMN_2024 - 1, '+02:00', '2024-10-27T02:59:59+02:00'],
    [AUTUMN_2024, '+01:00', '2024-10-27T02:00:00+01:00'],
    [AUTUMN_2024 + 1, '+01:00', '2024-10-27T02:00:00+01:00'],
  ])('at %d ms Paris is %s: %s', (epochMs, offset, iso) => {
    expect(parisOffset(new Date(epochMs))).toBe(offset);
    expect(toParisIso(new Date(epochMs))).toBe(iso);
  });

  it('shows a deadline at midnight as 23 h 59 the day before, and one a millisecond later as 00 h 00', () => {
    const midnight = startOfParisDay('2024-10-31');
    expect(formatDeadline(new Date(midnight.getTime() - 1))).toBe('30 octobre 2024 à 23 h 59 (heure de Paris)');
    expect(formatDeadline(midnight)).toBe('30 octobre 2024 à 23 h 59 (heure de Paris)');
    expect(formatDeadline(new Date(midnight.getTime() + 1))).toBe('31 octobre 2024 à 00 h 00 (heure de Paris)');
    expect([parisDate(new Date(midnight.getTime() - 1)), parisDate(midnight)]).toEqual(['2024-10-30', '2024-10-31']);
  });

  it('formats the wall-clock minute of any instant on a change day, the gap skipped', () => {
    expect(formatParisDateTime(new Date(SPRING_2024 - 60_000))).toBe('31 mars 2024 à 01 h 59');
    expect(formatParisDateTime(new Date(SPRING_2024))).toBe('31 mars 2024 à 03 h 00');
    expect(formatParisDateTime(new Date(AUTUMN_2024 - 60_000))).toBe('27 octobre 2024 à 02 h 59');
    expect(formatParisDateTime(new Date(AUTUMN_2024))).toBe('27 octobre 2024 à 02 h 00');
  });
});

describe('Paris offsets before today’s rules', () => {
  it('reads Paris mean time before 1911 and GMT in the winters up to 1940', () => {
    expect(parisOffset(new Date('1900-06-01T00:00:00Z'))).toBe('+00:09');
    expect(toParisIso(new Date('1900-06-01T00:00:00Z'))).toBe('1900-06-01T00:09:21+00:09');
    expect(parisOffset(new Date('1930-01-15T00:00:00Z'))).toBe('+00:00');
    expect(toParisIso(new Date('1930-01-15T12:00:00Z'))).toBe('1930-01-15T12:00:00+00:00');
  });

  it('finds the offset of an instant before 1970 that is not on a whole second', () => {
    expect(parisOffset(new Date(-1))).toBe('+01:00');
    expect(toParisIso(new Date(-1))).toBe('1970-01-01T00:59:59+01:00');
  });

  it('keeps the years 0 to 99 as they are, not as 1900 to 1999', () => {
    const year50 = fromParis({ year: 50, month: 6, day: 15, hour: 12 });
    expect(year50.toISOString()).toBe('0050-06-15T11:50:39.000Z');
    expect([toParisIso(year50), parisDate(year50), parisMonth(year50)]).toEqual(['0050-06-15T12:00:00+00:09', '0050-06-15', '0050-06']);
    expect(startOfParisDay('0999-01-01').toISOString()).toBe('0998-12-31T23:50:39.000Z');
  });

  it('counts 1 BC as the ISO year 0', () => {
    const instant = new Date(0);
    instant.setUTCFullYear(0, 5, 15);
    instant.setUTCHours(12, 0, 0, 0);
    expect(toParis(instant)).toEqual({ year: 0, month: 6, day: 15, hour: 12, minute: 9, second: 21 });
    expect(toParisIso(instant)).toBe('0000-06-15T12:09:21+00:09');
  });
});

describe('refusing what is not an instant, a date or a month', () => {
  const invalid = new Date(Number.NaN);

  it.each([
    ['toParis', () => toParis(invalid)],
    ['toParisIso', () => toParisIso(invalid)],
    ['parisOffset', () => parisOffset(invalid)],
    ['formatDeadline', () => formatDeadline(invalid)],
    ['formatDeadline of a non-date', () => formatDeadline('2024-10-31' as unknown as Date)],
    ['toIcsUtc', () => toIcsUtc(invalid)],
    ['toParis of a non-date', () => toParis(Date.now() as unknown as Date)],
  ])('%s refuses an invalid instant', (_what, call) => {
    expect(call).toThrow(new RangeError('Invalid instant'));
  });

  it.each([
    ['a fractional day', { year: 2024, month: 3, day: 1.5 }],
    ['a fractional hour', { year: 2024, month: 3, day: 1, hour: 0.5 }],
    ['a fractional minute', { year: 2024, month: 3, day: 1, minute: 0.5 }],
    ['a fractional second', { year: 2024, month: 3, day: 1, second: 0.5 }],
    ['a fractional month', { year: 2024, month: 2.5, day: 1 }],
    ['a fractional year', { year: 2024.5, month: 3, day: 1 }],
    ['a missing day', { year: 2024, month: 3, day: Number.NaN }],
  ])('fromParis refuses %s', (_what, wall) => {
    expect(() => fromParis(wall)).toThrow(new RangeError('Wall-clock fields must be integers'));
  });

  it('reads a wall time without hour, minute or second as midnight', () => {
    expect(fromParis({ year: 2024, month: 3, day: 1 }).toISOString()).toBe('2024-02-29T23:00:00.000Z');
    expect(fromParis({ year: 2024, month: 7, day: 1, minute: 5 }).toISOString()).toBe('2024-06-30T22:05:00.000Z');
    expect(fromParis({ year: 2024, month: 7, day: 1, second: 5 }).toISOString()).toBe('2024-06-30T22:00:05.000Z');
  });

  it('rolls over fields out of range as Date.UTC does', () => {
    expect(toParisIso(fromParis({ year: 2024, month: 13, day: 1 }))).toBe('2025-01-01T00:00:00+01:00');
    expect(toParisIso(fromParis({ year: 2024, month: 2, day: 30, hour: 24 }))).toBe('2024-03-02T00:00:00+01:00');
  });

  it.each(['2024-02-30', '2024-2-01', '2024-02-01T00:00:00Z', '', 'x2024-02-01', '2024-02-01x'])('refuses %j as a calendar date, naming it', (text) => {
    const message = `Not a calendar date (YYYY-MM-DD): ${text}`;
    expect(() => startOfParisDay(text)).toThrow(new RangeError(message));
    expect(() => formatParisDate(text)).toThrow(new RangeError(message));
    expect(() => toIcsDate(text)).toThrow(new RangeError(message));
    expect(() => monthsBetween(text, '2024-12-31')).toThrow(new RangeError(message));
    expect(() => monthsBetween('2024-01-01', text)).toThrow(new RangeError(message));
  });

  it('refuses a fractional number of days', () => {
    expect(() => addParisDays(new Date(SPRING_2024), 1.5)).toThrow(new RangeError('days must be an integer'));
  });

  it('refuses what is not a month, a fractional number of months and months beyond 0000–9999', () => {
    expect(() => addMonths('2024-1', 1)).toThrow(new RangeError('Not a month (YYYY-MM): 2024-1'));
    expect(() => addMonths('2024-01', 0.5)).toThrow(new RangeError('n must be an integer'));
    expect(() => addMonths('0000-01', -1)).toThrow(new RangeError('Month out of range'));
    expect(() => addMonths('9999-12', 1)).toThrow(new RangeError('Month out of range'));
    expect([addMonths('0000-02', -1), addMonths('9999-11', 1), addMonths('0999-12', 1)]).toEqual(['0000-01', '9999-12', '1000-01']);
  });
});

describe('calendar days', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2023-02-28', true],
    ['2024-04-30', true],
    ['2024-04-31', false],
    ['2024-06-31', false],
    ['2024-09-31', false],
    ['2024-11-31', false],
    ['2024-07-31', true],
    ['2024-08-31', true],
    ['2024-12-31', true],
    ['2024-01-31', true],
    ['2024-01-32', false],
    ['2024-01-00', false],
    ['2024-00-10', false],
    ['2024-13-10', false],
    [' 2024-01-10', false],
    ['2024-01-10 ', false],
  ])('%s is a calendar date: %s', (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });

  it.each([
    ['2024-01', true],
    ['2024-12', true],
    ['x2024-01', false],
    ['2024-011', false],
    ['24-01', false],
  ])('%s is a month: %s', (text, expected) => {
    expect(isIsoMonth(text)).toBe(expected);
  });

  it('writes the first of the month “1er”, and only the first', () => {
    expect(['2024-01-01', '2024-01-02', '2024-01-10', '2024-01-11', '2024-01-21', '2024-01-31'].map(formatParisDate)).toEqual([
      '1er janvier 2024', '2 janvier 2024', '10 janvier 2024', '11 janvier 2024', '21 janvier 2024', '31 janvier 2024',
    ]);
  });

  it('names every month in French', () => {
    const names = Array.from({ length: 12 }, (_, i) => formatParisDate(`2024-${String(i + 1).padStart(2, '0')}-15`).slice(3, -5));
    expect(names).toEqual(['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']);
  });

  it('lists the months touched across several years', () => {
    expect(monthsBetween('2023-11-30', '2025-02-01')).toEqual([
      '2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02',
    ]);
    expect(monthsBetween('2025-01-01', '2024-12-31')).toEqual([]);
  });

  it('adds any number of months as whole years and months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 8999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -999 * 12, max: 999 * 12 }), (year, month, n) => {
        const text = `${year}-${String(month).padStart(2, '0')}`;
        const index = year * 12 + month - 1 + n;
        expect(addMonths(text, n)).toBe(`${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`);
        expect(addMonths(addMonths(text, n), -n)).toBe(text);
      }),
    );
  });
});

describe('instants read and written', () => {
  it.each([
    ['2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.100Z'],
    ['2024-01-01T00:00:00.12Z', '2024-01-01T00:00:00.120Z'],
    ['2024-01-01T00:00:00.123456789Z', '2024-01-01T00:00:00.123Z'],
    ['2024-01-01T00:30:00-00:30', '2024-01-01T01:00:00.000Z'],
    ['2024-01-01T00:00:00+23:59', '2023-12-31T00:01:00.000Z'],
    ['2024-01-01T23:59:59+00:00', '2024-01-01T23:59:59.000Z'],
    ['0050-06-15T12:00:00Z', '0050-06-15T12:00:00.000Z'],
  ])('reads %s as %s', (text, utc) => {
    expect(parseInstant(text)?.toISOString()).toBe(utc);
  });

  it.each([
    ['ten fraction digits', '2024-01-01T00:00:00.1234567890Z'],
    ['an empty fraction', '2024-01-01T00:00:00.Z'],
    ['minute 60', '2024-01-01T00:60:00Z'],
    ['second 60', '2024-01-01T00:00:60Z'],
    ['an offset of 24 hours', '2024-01-01T00:00:00+24:00'],
    ['an offset minute 60', '2024-01-01T00:00:00+01:60'],
    ['a lower-case z', '2024-01-01T00:00:00z'],
    ['day 0', '2024-01-00T00:00:00Z'],
    ['text after', '2024-01-01T00:00:00Zx'],
    ['text before', 'x2024-01-01T00:00:00Z'],
    ['a short year', '224-01-01T00:00:00Z'],
    ['a one-digit hour', '2024-01-01T0:00:00Z'],
    ['an offset with one hour digit', '2024-01-01T00:00:00+1:00'],
  ])('refuses %s', (_what, text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('writes iCalendar values without separators or milliseconds', () => {
    expect(toIcsUtc(new Date('2024-03-31T01:02:03.456Z'))).toBe('20240331T010203Z');
    expect(toIcsDate('2024-12-31')).toBe('20241231');
  });

  it('moves an instant before 1970 by whole days, keeping its milliseconds', () => {
    expect(addParisDays(new Date(-1), 1).toISOString()).toBe('1970-01-01T23:59:59.999Z');
    expect(addParisDays(new Date('1969-12-31T12:00:00.250Z'), -1).toISOString()).toBe('1969-12-30T12:00:00.250Z');
  });
});
