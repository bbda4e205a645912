import { DecodeError, InvalidArgumentError } from './errors';

/** How values are stored: `encode` before writing, `decode` after reading. `binary` asks for raw Buffers. */
export interface Codec<T> {
  readonly binary: boolean;
  encode(v: T): string | Buffer;
  decode(raw: string | Buffer): T;
}

/** UTF-8 strings as they are (the default codec). */
export const stringCodec: Codec<string> = {
  binary: false,
  encode(v) {
    if (typeof v !== 'string') throw new InvalidArgumentError(`stringCodec stores strings, got ${typeof v}`, { value: v });
    return v;
  },
  decode: (raw) => (typeof raw === 'string' ? raw : raw.toString('utf8')),
};

/** Raw bytes: values are Buffers both ways. */
export const bufferCodec: Codec<Buffer> = {
  binary: true,
  encode(v) {
    if (!Buffer.isBuffer(v)) throw new InvalidArgumentError(`bufferCodec stores Buffers, got ${typeof v}`, { value: v });
    return v;
  },
  decode: (raw) => (Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8')),
};

/**
 * JSON text. `undefined` is stored as `''` (never valid JSON), so `null` and `undefined` both round-trip.
 * Undecodable text raises {@link DecodeError}.
 */
export function jsonCodec<T = unknown>(): Codec<T> {
  return {
    binary: false,
    encode(v) {
      if (v === undefined) return '';
      const text = JSON.stringify(v);
      if (text === undefined) throw new InvalidArgumentError(`value of type ${typeof v} cannot be stored as JSON`, { value: v });
      return text;
    },
    decode(raw) {
      const text = typeof raw === 'string' ? raw : raw.toString('utf8');
      if (text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new DecodeError(`stored value is not JSON: ${JSON.stringify(text.slice(0, 40))}`, { cause });
      }
    },
  };
}

/** Formats a number as Python's `repr(float)` does: `3.0`, `0.1`, `1e+16`, `1.5e-05`, `inf`, `nan`. */
export function formatPythonFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let body: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) body = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
    else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return negative ? `-${body}` : body;
}
