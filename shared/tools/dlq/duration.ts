const UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `15m`, `12h`, `7d`, `2w` → milliseconds; undefined when `text` is none of those. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** A human age with its two largest units: `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function formatAge(ms: number): string {
  if (ms < 0) return '0s';
  const parts: string[] = [];
  let rest = Math.floor(ms / 1_000) * 1_000;
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNITS[unit]!;
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.length === 0 ? '0s' : parts.filter((part) => !part.startsWith('0')).join(' ');
}
