/** A markdown table: the first column left-aligned, the others right-aligned (they hold figures). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, index) => (index === 0 ? ':--' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A titled section: heading, optional lead paragraph, body. */
export function section(title: string, body: string, lead?: string): string {
  return [`## ${title}`, ...(lead ? [lead] : []), body].join('\n\n');
}
