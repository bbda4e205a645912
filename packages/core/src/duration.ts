import { InvalidArgumentError } from './errors';

/** A time unit of {@link Duration} strings. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';
/** A span of time: a bare number is milliseconds; strings carry a unit (`'10s'`, `'1.5 m'`, `'250ms'`). */
export type Duration = number | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^(\d+(?:\.\d+)?|\.\d+)\s?(ms|s|m|h|d)$/;

/** Converts a {@link Duration} to milliseconds; `Infinity` stays `Infinity`. Negative, NaN and malformed values throw. */
export function toMs(d: Duration, field = 'duration'): number {
  if (typeof d === 'number') {
    if (Number.isNaN(d) || d < 0) throw new InvalidArgumentError(`${field} must be a non-negative number of milliseconds, got ${d}`, { field, value: d });
    return d;
  }
  const m = typeof d === 'string' ? PATTERN.exec(d.trim()) : null;
  if (!m) throw new InvalidArgumentError(`${field} must be a number of ms or a string like '10s', '5 m', '250ms'; got ${JSON.stringify(d)}`, { field, value: d });
  return Number(m[1]) * UNIT_MS[m[2] as DurationUnit];
}
