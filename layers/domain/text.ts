import * as z from 'zod/mini';

// Control characters other than tab and newlines never belong in what people type; markup is refused so
// that no later page, email or export can be tricked into rendering it.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;
const MARKUP = /<\s*[a-zA-Z!/?]/;

/** A single-line text typed by a person: trimmed, no control characters, no markup. */
export const lineText = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((text) => text.isWellFormed(), { message: 'Texte Unicode invalide (demi-caractère isolé)' }),
    z.refine((text) => !CONTROL.test(text) && !/[\r\n\t]/.test(text), { message: 'Caractères de contrôle interdits' }),
    z.refine((text) => !MARKUP.test(text), { message: 'Les balises HTML ne sont pas acceptées' }),
  );

/** A multi-line text (newlines and tabs allowed), otherwise as lineText. */
export const longText = (max: number) =>
  z.string().check(
    z.trim(),
    z.maxLength(max),
    z.refine((text) => text.isWellFormed(), { message: 'Texte Unicode invalide (demi-caractère isolé)' }),
    z.refine((text) => !CONTROL.test(text), { message: 'Caractères de contrôle interdits' }),
    z.refine((text) => !MARKUP.test(text), { message: 'Les balises HTML ne sont pas acceptées' }),
  );

/** Lower-case, accent-free form used for searching names. */
export const searchable = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
