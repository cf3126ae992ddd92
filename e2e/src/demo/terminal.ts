/** Output helpers: colour only on a terminal (and never with NO_COLOR), columns that line up. */

const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);

export const ok = green('✓');
export const failed = red('✗');

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colour codes this file adds
const ANSI = /\x1b\[\d+m/g;
export const visibleLength = (text: string) => text.replace(ANSI, '').length;

const pad = (text: string, width: number, align: 'left' | 'right') => {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'left' ? text + fill : fill + text;
};

/** Rows of cells as aligned lines; `right` names the columns aligned right (numbers). */
export function columns(rows: string[][], right: readonly number[] = [], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, visibleLength(cell));
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, index) => pad(cell, widths[index]!, right.includes(index) ? 'right' : 'left'))
        .join('  ')
        .trimEnd(),
  );
}

/** Words joined by `separator`, wrapped to `width` columns, continuation lines indented. */
export function wrap(words: string[], separator: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line}${separator}${word}` : word;
    if (line && indent.length + visibleLength(candidate) > width) {
      lines.push(indent + line + separator.trimEnd());
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** `1.2 s` or `340 ms`. */
export function duration(ms: number): string {
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** `123 MB`. */
export function megabytes(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** Minor units as money: 8999 EUR → €89.99. */
export function money(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
