import { InvalidArgumentError, toMs, type Arg, type Duration } from '@walrus/core';

/** A positive integer option, or `undefined` when absent. */
export function positiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError(`${field} must be a positive integer, got ${String(value)}`, { field, value });
  return value;
}

/** A non-empty string (names of groups, consumers, streams). */
export function nonEmpty(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`${field} must be a non-empty string`, { field, value });
  return value;
}

/**
 * The `BLOCK` argument for a wait: `undefined` when the call must not wait (no option, or `0`), `0` for `Infinity`
 * (Redis' "forever"), else whole milliseconds (at least 1).
 */
export function blockArg(block: Duration | undefined): number | undefined {
  if (block === undefined) return undefined;
  const ms = toMs(block, 'block');
  if (ms === 0) return undefined;
  if (ms === Infinity) return 0;
  return Math.max(1, Math.ceil(ms));
}

/** Whole milliseconds of a duration option that must be finite. */
export function finiteMs(value: Duration, field: string): number {
  const ms = toMs(value, field);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`${field} must be finite`, { field, value });
  return Math.ceil(ms);
}

/** Field/value arguments of XADD from an object: at least one field; values strings, finite numbers or Buffers. */
export function fieldArgs(data: unknown): Arg[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || Buffer.isBuffer(data))
    throw new InvalidArgumentError('stream data must be an object of field → value', { field: 'data', value: data });
  const args: Arg[] = [];
  for (const [field, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'string' || Buffer.isBuffer(value)) args.push(field, value);
    else if (typeof value === 'number' && Number.isFinite(value)) args.push(field, String(value));
    else throw new InvalidArgumentError(`stream field "${field}" must be a string, a finite number or a Buffer, got ${typeof value}`, { field, value });
  }
  if (args.length === 0) throw new InvalidArgumentError('stream data needs at least one field (Redis streams have no empty entries)', { field: 'data', value: data });
  return args;
}
