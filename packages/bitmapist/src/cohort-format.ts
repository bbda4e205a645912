import { formatPythonFloat } from '@walrus/core';
import type { TimeGroup } from './cohort';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** strftime `%U`: week of the year with weeks starting on Sunday; days before the first Sunday are week 0. */
export function sundayWeek(d: Date): number {
  const yday = Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000);
  return Math.floor((yday + 7 - d.getUTCDay()) / 7);
}

/** Row labels of the CSV export, as bitmapist writes them. */
export function csvLabel(d: Date, g: TimeGroup): string {
  const [dd, mon, yyyy] = [pad2(d.getUTCDate()), MONTHS[d.getUTCMonth()], String(d.getUTCFullYear()).padStart(4, '0')];
  switch (g) {
    case 'days':
      return `${dd} ${mon} ${yyyy}`;
    case 'weeks':
      return `Week ${pad2(sundayWeek(d))} ${dd} ${mon}`;
    case 'months':
      return `${dd} ${mon}`;
    case 'years':
      return yyyy;
  }
}

/** Row labels of the HTML table. */
export function htmlLabel(d: Date, g: TimeGroup): string {
  const [dd, mon, yyyy] = [pad2(d.getUTCDate()), MONTHS[d.getUTCMonth()], String(d.getUTCFullYear()).padStart(4, '0')];
  switch (g) {
    case 'days':
      return `${dd} ${mon}, ${yyyy}`;
    case 'weeks':
      return `Week ${pad2(sundayWeek(d))}, ${dd} ${mon}`;
    case 'months':
      return `${mon} ${yyyy}`;
    case 'years':
      return yyyy;
  }
}

/**
 * Python's `round(x, digits)`: the decimal nearest to the exact binary value of `x`, ties (exact only) to even.
 * `round(2.675, 2)` is 2.67 because 2.675 is stored as 2.67499…; `round(0.125, 2)` is 0.12.
 */
export function pythonRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const exact = Math.abs(x).toFixed(100); // the exact decimal expansion for every double used here
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + digits);
  if (/^50*$/.test(rest)) {
    const kept = exact.slice(0, dot + 1 + digits).replace('.', '');
    const last = Number(kept[kept.length - 1]);
    const down = Number(exact.slice(0, dot + 1 + digits));
    const up = (BigInt(kept) + 1n).toString().padStart(kept.length, '0');
    const rounded = last % 2 === 0 ? down : Number(`${up.slice(0, up.length - digits)}.${up.slice(up.length - digits)}`);
    return Math.sign(x) * rounded;
  }
  return Number(x.toFixed(digits));
}

/** A number as Python prints `round(v, 2)` of a float (`100.0`, `33.33`). */
export function pythonPercent(v: number): string {
  return formatPythonFloat(pythonRound(v, 2));
}
