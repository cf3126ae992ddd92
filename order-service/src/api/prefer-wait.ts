/**
 * The seconds of a `Prefer: wait=<delta-seconds>` preference (RFC 7240 §4.3), or undefined when
 * the header has none. Preferences are a comma-separated list (several `Prefer` headers arrive
 * joined with commas), names are case-insensitive, only the first `wait` counts (§2), and a
 * malformed value makes it ignored, never an error. Commas and semicolons inside a quoted value
 * of another preference do not split it.
 */
export function preferredWait(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  for (const element of splitUnquoted(header, ',')) {
    const [preference = ''] = splitUnquoted(element, ';');
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*(.*?))?\s*$/.exec(preference);
    if (match?.[1]?.toLowerCase() !== 'wait') continue;
    const value = unquote(match[2] ?? '');
    // Too many digits to be a number waits as long as allowed: the caller caps it.
    return /^\d+$/.test(value) ? Number(value) : undefined;
  }
  return undefined;
}

/** Splits at `separator` outside quoted strings, where a backslash escapes (RFC 9110 §5.6.4). */
function splitUnquoted(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted && char === '\\') index++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === separator) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A value may be a token or a quoted string (`wait="5"` is `wait=5`). */
function unquote(value: string): string {
  return /^"(.*)"$/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
