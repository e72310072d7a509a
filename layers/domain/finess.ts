// FINESS numbers: normalising, display, and the checks DOMAIN.md describes.

import { arsOfDepartment, type ArsCode } from './regions';

export type FinessCheck =
  | { ok: true; finess: string; department: string; ars: ArsCode }
  | { ok: false; reason: 'format' | 'check_key' | 'department'; message: string };

const FINESS_PATTERN = /^[0-9][0-9A-Z][0-9]{7}$/;
const ALL_DIGITS = /^[0-9]+$/;

/** What users paste often carries the display spaces or lowercase 2a/2b. */
export function normalizeFiness(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** "330780119" → "33 078 011 9"; anything not 9 characters long is returned normalised but unspaced. */
export function formatFiness(finess: string): string {
  const n = normalizeFiness(finess);
  if (n.length !== 9) return n;
  return `${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5, 8)} ${n.slice(8)}`;
}

/** Overseas numbers start 970 then the overseas digit: 9701… is Guadeloupe (971). */
export function departmentOfFiness(finess: string): string {
  return finess.startsWith('970') ? `97${finess.charAt(3)}` : finess.slice(0, 2);
}

export function luhnValid(digits: string): boolean {
  if (!ALL_DIGITS.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/** Appends the Luhn key to 8 digits, giving a FINESS the key check accepts. */
export function withCheckKey(first8digits: string): string {
  if (!/^[0-9]{8}$/.test(first8digits)) throw new RangeError('withCheckKey expects exactly 8 digits');
  const key = (10 - (luhnSum(first8digits, true) % 10)) % 10;
  return `${first8digits}${key}`;
}

// Doubles every second digit from the right; when the key is still missing, the rightmost one.
function luhnSum(digits: string, keyMissing: boolean): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const fromRight = digits.length - 1 - i;
    let value = Number(digits[i]);
    if (fromRight % 2 === (keyMissing ? 0 : 1)) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return sum;
}

// Department before key: for an unknown département, naming it helps more than "wrong key".
export function checkFiness(input: string): FinessCheck {
  const finess = normalizeFiness(input);
  if (!FINESS_PATTERN.test(finess)) {
    return {
      ok: false,
      reason: 'format',
      message:
        'Le numéro FINESS doit comporter 9 caractères : des chiffres, avec 2A ou 2B en tête pour la Corse.',
    };
  }
  const department = departmentOfFiness(finess);
  const ars = arsOfDepartment(department);
  if (!ars) {
    return {
      ok: false,
      reason: 'department',
      message: `Le numéro FINESS ${formatFiness(finess)} commence par un département inconnu (${department}).`,
    };
  }
  // No public key rule exists for Corsican 2A/2B numbers: they get the format check only.
  if (ALL_DIGITS.test(finess) && !luhnValid(finess)) {
    return {
      ok: false,
      reason: 'check_key',
      message: `La clé de contrôle du numéro FINESS ${formatFiness(finess)} est incorrecte : vérifiez la saisie.`,
    };
  }
  return { ok: true, finess, department, ars };
}
