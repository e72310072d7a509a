import { lineText, longText, searchable } from '../../layers/domain/text';

// What a person may type, and what they read when the platform refuses it.

type Schema = { safeParse(input: unknown): { success: boolean; data?: unknown; error?: { issues: readonly { message: string }[] } } };
/** The stored text, or the messages of the refusal. */
const read = (schema: Schema, text: string): { stored: unknown } | { refused: string[] } => {
  const result = schema.safeParse(text);
  return result.success ? { stored: result.data } : { refused: result.error!.issues.map((issue) => issue.message) };
};

const CONTROL = 'Caractères de contrôle interdits';
const MARKUP = 'Les balises HTML ne sont pas acceptées';
const UNPAIRED = 'Texte Unicode invalide (demi-caractère isolé)';

describe('a text typed by a person', () => {
  const line = lineText(10);
  const long = longText(10);

  it.each([
    ['NUL', '\u0000'],
    ['backspace', '\u0008'],
    ['vertical tab', '\u000B'],
    ['form feed', '\u000C'],
    ['shift out', '\u000E'],
    ['unit separator', '\u001F'],
    ['delete', '\u007F'],
    ['a C1 control', '\u0085'],
    ['the last C1 control', '\u009F'],
    ['line separator', '\u2028'],
    ['paragraph separator', '\u2029'],
  ])('refuses a %s on one line and on several', (_what, character) => {
    expect(read(line, `a${character}b`)).toEqual({ refused: [CONTROL] });
    expect(read(long, `a${character}b`)).toEqual({ refused: [CONTROL] });
  });

  it.each([
    ['a space', ' '],
    ['a tilde', '~'],
    ['a no-break space', '\u00a0'],
    ['an accented letter', 'é'],
    ['a narrow no-break space', '\u202f'],
    ['the character before the line separator', '\u2027'],
    ['an em dash', '—'],
  ])('takes %s anywhere', (_what, character) => {
    expect(read(line, `a${character}b`)).toEqual({ stored: `a${character}b` });
    expect(read(long, `a${character}b`)).toEqual({ stored: `a${character}b` });
  });

  it.each([
    ['a newline', '\n'],
    ['a carriage return', '\r'],
    ['a tab', '\t'],
  ])('takes %s on several lines only', (_what, character) => {
    expect(read(line, `a${character}b`)).toEqual({ refused: [CONTROL] });
    expect(read(long, `a${character}b`)).toEqual({ stored: `a${character}b` });
  });

  it.each([['<a'], ['<Z'], ['<z'], ['<A'], ['< b'], ['<  b'], ['<!--'], ['</p'], ['<?xml'], ['x<script']])('refuses the markup %p', (text) => {
    expect(read(line, text)).toEqual({ refused: [MARKUP] });
    expect(read(long, text)).toEqual({ refused: [MARKUP] });
  });

  it.each([['a < 3'], ['<3'], ['<>'], ['<='], ['a > b'], ['<-']])('takes the comparison %p, which is no markup', (text) => {
    expect(read(line, text)).toEqual({ stored: text });
    expect(read(long, text)).toEqual({ stored: text });
  });

  it('refuses a lone half of a surrogate pair, and takes a whole one', () => {
    expect(read(line, 'a\ud83d')).toEqual({ refused: [UNPAIRED] });
    expect(read(long, '\ude00b')).toEqual({ refused: [UNPAIRED] });
    expect(read(line, 'a😀')).toEqual({ stored: 'a😀' });
  });

  it('stores the text trimmed and counts its length once trimmed', () => {
    expect(read(line, '  0123456789  ')).toEqual({ stored: '0123456789' });
    expect(read(long, '\n 0123\n56789 \n')).toEqual({ stored: '0123\n56789' });
    expect(read(line, '0123456789a')).toMatchObject({ refused: [expect.any(String)] });
    expect(read(long, '0123456789a')).toMatchObject({ refused: [expect.any(String)] });
  });

  it('requires something on one line, and lets several lines stay empty', () => {
    expect(read(line, '   ')).toMatchObject({ refused: [expect.any(String)] });
    expect(read(long, '   ')).toEqual({ stored: '' });
  });
});

describe('the searchable form of a name', () => {
  it.each([
    ['EHPAD Les Tilleuls', 'ehpad les tilleuls'],
    ['Résidence Émile-Zola', 'residence emile-zola'],
    ['Maison  de\tl’Âge\u00a0d’Or ', 'maison de l’age d’or'],
    ['  Ça Français ñ Ü ', 'ca francais n u'],
    ['Øster', 'øster'],
  ])('reads %p as %p: lower case, accents off, spaces squeezed and trimmed', (name, form) => {
    expect(searchable(name)).toBe(form);
  });

  it('drops every combining accent, from the grave to the last combining mark', () => {
    expect(searchable('e\u0300e\u0301e\u036fe\u0370')).toBe('eeee\u0371');
  });
});
