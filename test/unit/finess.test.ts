import fc from 'fast-check';
import {
  checkFiness,
  departmentOfFiness,
  formatFiness,
  luhnValid,
  normalizeFiness,
  withCheckKey,
} from '../../layers/domain/finess';
import { arsOfDepartment } from '../../layers/domain/regions';

// Keys computed by hand with Luhn: 33078011 → 5 (sum 25), 97040001 → 6 (sum 24).
const BORDEAUX = '330780115';
const REUNION = '970400016';

describe('normalizeFiness and formatFiness', () => {
  it('strips spaces and upper-cases what users paste', () => {
    expect(normalizeFiness(' 33 078 011 5 ')).toBe(BORDEAUX);
    expect(normalizeFiness('2a 000 123 4')).toBe('2A0001234');
  });

  it('displays NN NNN NNN N', () => {
    expect(formatFiness(BORDEAUX)).toBe('33 078 011 5');
    expect(formatFiness('2a0001234')).toBe('2A 000 123 4');
    expect(formatFiness('1234')).toBe('1234');
  });
});

describe('luhnValid and withCheckKey', () => {
  it('computes the Luhn key', () => {
    expect(withCheckKey('33078011')).toBe(BORDEAUX);
    expect(withCheckKey('97040001')).toBe(REUNION);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('2A0001234')).toBe(false);
  });

  it('refuses anything but 8 digits', () => {
    expect(() => withCheckKey('3307801')).toThrow(RangeError);
    expect(() => withCheckKey('2A078011')).toThrow(RangeError);
  });
});

describe('checkFiness', () => {
  it('accepts a well-keyed metropolitan number and derives département and ARS', () => {
    expect(checkFiness('33 078 011 5')).toEqual({ ok: true, finess: BORDEAUX, department: '33', ars: 'NAQ' });
    expect(checkFiness(withCheckKey('75000012'))).toMatchObject({ ok: true, department: '75', ars: 'IDF' });
    expect(checkFiness(withCheckKey('01000012'))).toMatchObject({ ok: true, department: '01', ars: 'ARA' });
  });

  it('rejects a wrong key with a French message naming the number', () => {
    const result = checkFiness('330780119');
    expect(result).toEqual({
      ok: false,
      reason: 'check_key',
      message: 'La clé de contrôle du numéro FINESS 33 078 011 9 est incorrecte : vérifiez la saisie.',
    });
  });

  it.each([
    ['8 characters', '33078011'],
    ['10 characters', '3307801150'],
    ['a letter in the number', '33078O115'],
    ['a letter first', 'A30780115'],
    ['punctuation', '33-078-011-5'],
    ['nothing', ''],
  ])('rejects %s as a format error', (_label, input) => {
    const result = checkFiness(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('format');
      expect(result.message).toMatch(/9 caractères/);
    }
  });

  it('checks only the format of Corsican 2A/2B numbers', () => {
    expect(checkFiness('2A0001234')).toEqual({ ok: true, finess: '2A0001234', department: '2A', ars: 'COR' });
    expect(checkFiness('2b 000 123 9')).toEqual({ ok: true, finess: '2B0001239', department: '2B', ars: 'COR' });
  });

  it.each([
    ['9701', '971', 'GUA'],
    ['9702', '972', 'MTQ'],
    ['9703', '973', 'GUY'],
    ['9704', '974', 'REU'],
    ['9706', '976', 'MAY'],
  ])('reads overseas %s… as département %s (%s)', (prefix, department, ars) => {
    expect(checkFiness(withCheckKey(`${prefix}0001`))).toMatchObject({ ok: true, department, ars });
  });

  it.each([
    ['96', withCheckKey('96000012')],
    ['00', withCheckKey('00000012')],
    ['20', withCheckKey('20000012')],
    ['975 (no ARS)', withCheckKey('97050001')],
    ['2C', '2C0001234'],
  ])('rejects unknown département %s', (_label, input) => {
    const result = checkFiness(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('department');
      expect(result.message).toMatch(/département inconnu/);
    }
  });
});

describe('FINESS properties', () => {
  const metropolitanDepartment = fc
    .integer({ min: 1, max: 95 })
    .filter((n) => n !== 20)
    .map((n) => String(n).padStart(2, '0'));
  const overseasPrefix = fc.constantFrom('9701', '9702', '9703', '9704', '9706');
  const first8 = fc.oneof(
    fc.tuple(metropolitanDepartment, fc.stringMatching(/^[0-9]{6}$/)).map(([d, rest]) => d + rest),
    fc.tuple(overseasPrefix, fc.stringMatching(/^[0-9]{4}$/)).map(([p, rest]) => p + rest),
  );

  it('accepts every number built with withCheckKey on a known département', () => {
    fc.assert(
      fc.property(first8, (digits) => {
        const finess = withCheckKey(digits);
        const result = checkFiness(finess);
        expect(result).toEqual({
          ok: true,
          finess,
          department: departmentOfFiness(finess),
          ars: arsOfDepartment(departmentOfFiness(finess)),
        });
      }),
    );
  });

  it('breaks the key when any one digit changes', () => {
    const mutation = fc.record({
      digits: first8,
      position: fc.integer({ min: 0, max: 8 }),
      shift: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(mutation, ({ digits, position, shift }) => {
        const finess = withCheckKey(digits);
        const changed = String((Number(finess[position]) + shift) % 10);
        const mutated = finess.slice(0, position) + changed + finess.slice(position + 1);
        expect(luhnValid(mutated)).toBe(false);
        const result = checkFiness(mutated);
        expect(result.ok).toBe(false);
        // A change in the leading digits may land on an unknown département, reported first.
        const expectedReason = arsOfDepartment(departmentOfFiness(mutated)) ? 'check_key' : 'department';
        if (!result.ok) expect(result.reason).toBe(expectedReason);
      }),
      { numRuns: 1000 },
    );
  });
});
