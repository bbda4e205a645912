import { DecodeError, formatPythonFloat } from '@walrus/core';

/** A kind of value field. */
export type ValueKind = 'text' | 'integer' | 'autoIncrement' | 'float' | 'bytes' | 'boolean' | 'uuid' | 'dateTime' | 'date' | 'json';

/** Marks a value a kind rejects; `validate` returns it instead of throwing so the caller can name the field. */
export const INVALID: unique symbol = Symbol('invalid');

/** How one kind of value field is checked, stored, read back and indexed (Python walrus' storage formats). */
export interface KindSpec {
  /** What a valid value is, for error messages ("an integer"). */
  readonly expected: string;
  /** Has a continuous (score) index, supports ranges, sorts numerically. */
  readonly scalar: boolean;
  /** May be a primary key. */
  readonly primaryKey: boolean;
  /** May carry an absolute (equality) index. */
  readonly indexable: boolean;
  /** Stored as raw bytes. */
  readonly binary: boolean;
  /** Normalises a user value or returns {@link INVALID}. */
  validate(v: unknown): unknown;
  /** The stored form of a validated value. */
  encode(v: unknown): string | Buffer;
  /** The value of a stored form; throws {@link DecodeError} on malformed data. */
  decode(raw: string | Buffer): unknown;
  /** The score of a validated value in the continuous index (scalar kinds). */
  score?(v: unknown): number;
  /** The primary key as it appears in the record key (Python's `str(value)`). */
  keyText?(v: unknown): string;
}

const text = (raw: string | Buffer) => (typeof raw === 'string' ? raw : raw.toString('utf8'));

function number(raw: string | Buffer, integer: boolean): number {
  const s = text(raw).trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new DecodeError(`stored value ${JSON.stringify(s.slice(0, 40))} is not ${integer ? 'an integer' : 'a number'}`);
  return n;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
function dashed(hex: string): string {
  const h = hex.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const isDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());
const DAY_MS = 86_400_000;
const utcMidnight = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS);
const seconds = (v: unknown) => (v as Date).getTime() / 1000;

const integer: KindSpec = {
  expected: 'an integer (a safe integer number)',
  scalar: true,
  primaryKey: true,
  indexable: true,
  binary: false,
  validate: (v) => (Number.isSafeInteger(v) ? v : INVALID),
  encode: (v) => String(v),
  decode: (raw) => number(raw, true),
  score: (v) => v as number,
  keyText: (v) => String(v),
};

/** The value kinds, as data: one row per kind. */
export const KINDS = {
  text: {
    expected: 'a string',
    scalar: false,
    primaryKey: true,
    indexable: true,
    binary: false,
    validate: (v) => (typeof v === 'string' ? v : INVALID),
    encode: (v) => v as string,
    decode: text,
    keyText: (v) => v as string,
  },
  integer,
  autoIncrement: integer,
  float: {
    expected: 'a finite number',
    scalar: true,
    primaryKey: false,
    indexable: true,
    binary: false,
    validate: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : INVALID),
    encode: (v) => formatPythonFloat(v as number),
    decode: (raw) => number(raw, false),
    score: (v) => v as number,
  },
  bytes: {
    expected: 'a Buffer or Uint8Array',
    scalar: false,
    primaryKey: false,
    indexable: false,
    binary: true,
    validate: (v) => (Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : INVALID),
    encode: (v) => v as Buffer,
    decode: (raw) => (Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8')),
  },
  boolean: {
    expected: 'a boolean',
    scalar: false,
    primaryKey: false,
    indexable: true,
    binary: false,
    validate: (v) => (typeof v === 'boolean' ? v : INVALID),
    encode: (v) => (v ? '1' : '0'),
    decode: (raw) => ['1', 'true', 'True'].includes(text(raw)),
  },
  uuid: {
    expected: 'a UUID string (32 hex digits, dashes optional)',
    scalar: false,
    primaryKey: true,
    indexable: true,
    binary: false,
    validate: (v) => (typeof v === 'string' && UUID.test(v) ? dashed(v) : INVALID),
    encode: (v) => (v as string).replace(/-/g, ''),
    decode(raw) {
      const s = text(raw);
      if (!UUID.test(s)) throw new DecodeError(`stored value ${JSON.stringify(s.slice(0, 40))} is not a UUID`);
      return dashed(s);
    },
    keyText: (v) => v as string,
  },
  dateTime: {
    expected: 'a valid Date',
    scalar: true,
    primaryKey: false,
    indexable: true,
    binary: false,
    validate: (v) => (isDate(v) ? new Date(v.getTime()) : INVALID),
    encode: (v) => formatPythonFloat(seconds(v)),
    decode: (raw) => new Date(Math.round(number(raw, false) * 1000)),
    score: seconds,
  },
  date: {
    expected: 'a valid Date',
    scalar: true,
    primaryKey: false,
    indexable: true,
    binary: false,
    validate: (v) => (isDate(v) ? utcMidnight(v.getTime()) : INVALID),
    encode: (v) => formatPythonFloat(seconds(v)),
    decode: (raw) => utcMidnight(Math.round(number(raw, false) * 1000)),
    score: seconds,
  },
  json: {
    expected: 'a JSON-serialisable value',
    scalar: false,
    primaryKey: false,
    indexable: true,
    binary: false,
    validate(v) {
      try {
        return JSON.stringify(v) === undefined ? INVALID : v;
      } catch {
        return INVALID;
      }
    },
    encode: (v) => JSON.stringify(v),
    decode(raw) {
      try {
        return JSON.parse(text(raw)) as unknown;
      } catch (cause) {
        throw new DecodeError(`stored value ${JSON.stringify(text(raw).slice(0, 40))} is not JSON`, { cause });
      }
    },
  },
} satisfies Record<ValueKind, KindSpec>;
/** A kind of container field. */
export type ContainerKind = 'hash' | 'list' | 'set' | 'zset';
