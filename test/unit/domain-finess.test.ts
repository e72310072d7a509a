import { checkFiness, departmentOfFiness, formatFiness, luhnValid, withCheckKey } from '../../layers/domain/finess';

const FORMAT_MESSAGE = 'Le numéro FINESS doit comporter 9 caractères : des chiffres, avec 2A ou 2B en tête pour la Corse.';

describe('the FINESS key', () => {
  // By hand, doubling every second digit from the right: 3 3 0 7 8 0 1 8 → 3+6+0+5+8+0+1+7 = 30, so the key is 0, not 10.
  it('is 0 when the digits already sum to a multiple of 10', () => {
    expect(withCheckKey('33078018')).toBe('330780180');
    expect(checkFiness('330780180')).toEqual({ ok: true, finess: '330780180', department: '33', ars: 'NAQ' });
  });

  it.each([
    ['9 digits', '330780115'],
    ['7 digits', '3307801'],
    ['a letter after 8 digits', '33078011A'],
    ['a letter before 8 digits', 'A33078011'],
    ['spaces', '33 078 01'],
    ['nothing', ''],
  ])('is refused for %s, saying it wants exactly 8 digits', (_what, input) => {
    expect(() => withCheckKey(input)).toThrow(new RangeError('withCheckKey expects exactly 8 digits'));
  });

  it('is never valid on an empty string or on anything but digits', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('0')).toBe(true);
    expect(luhnValid('33078011A')).toBe(false);
    expect(luhnValid('A330780115')).toBe(false);
  });
});

describe('the département of a FINESS', () => {
  it.each([
    ['330780115', '33'],
    ['2A0001234', '2A'],
    ['970100015', '971'],
    ['970600010', '976'],
    // Only 970 announces an overseas digit: 971… reads as the unknown 97.
    ['971000010', '97'],
    ['097010001', '09'],
  ])('of %s is %s', (finess, department) => {
    expect(departmentOfFiness(finess)).toBe(department);
  });
});

describe('checkFiness refusals, word for word', () => {
  it.each([['3307801150'], ['33078011'], ['x330780115'], ['330780115x'], ['2A00012345'], ['A20001234'], ['22A001234']])('refuses %s as not 9 characters of the expected shape', (input) => {
    expect(checkFiness(input)).toEqual({ ok: false, reason: 'format', message: FORMAT_MESSAGE });
  });

  it.each([
    ['960000120', 'Le numéro FINESS 96 000 012 0 commence par un département inconnu (96).'],
    ['2C0001234', 'Le numéro FINESS 2C 000 123 4 commence par un département inconnu (2C).'],
    ['971000010', 'Le numéro FINESS 97 100 001 0 commence par un département inconnu (97).'],
  ])('refuses %s for its département, naming it', (input, message) => {
    expect(checkFiness(input)).toEqual({ ok: false, reason: 'department', message });
  });

  it('names the département before a wrong key', () => {
    expect(checkFiness('960000121')).toMatchObject({ reason: 'department' });
  });

  it('refuses a wrong key on the number as the user reads it', () => {
    expect(checkFiness(' 97 040 001 7')).toEqual({ ok: false, reason: 'check_key', message: 'La clé de contrôle du numéro FINESS 97 040 001 7 est incorrecte : vérifiez la saisie.' });
  });

  it('accepts a pasted number with tabs, line breaks and lower case', () => {
    expect(checkFiness('\t2b 000\n123 4 ')).toEqual({ ok: true, finess: '2B0001234', department: '2B', ars: 'COR' });
    expect(formatFiness(' 97 0400 016 ')).toBe('97 040 001 6');
  });
});
