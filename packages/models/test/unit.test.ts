import { InvalidArgumentError } from '@walrus/core';
import { and, autoIncrement, date, integer, or, setField, text } from '@walrus/models';
import { nodeOf } from '../src/expression';
import { INVALID, KINDS, type KindSpec } from '../src/kinds';
import { sortRecords } from '../src/query';
import { show } from '../src/runtime';
import { normalizeSchema } from '../src/schema';

describe('value kinds', () => {
  const roundTrip = (kind: KindSpec, v: unknown) => kind.decode(kind.encode(kind.validate(v)));

  it('encode numbers as Python does and read them back', () => {
    expect(KINDS.integer.encode(-12)).toBe('-12');
    expect(KINDS.float.encode(3)).toBe('3.0');
    expect(KINDS.float.encode(1e16)).toBe('1e+16');
    expect(KINDS.float.encode(1.5e-5)).toBe('1.5e-05');
    for (const v of [0, -0.5, 0.1 + 0.2, 1e300, 123456789.125]) expect(roundTrip(KINDS.float, v)).toBe(v);
    expect(KINDS.integer.decode('7')).toBe(7);
    expect(() => KINDS.integer.decode('7.5')).toThrow('not an integer');
    expect(() => KINDS.float.decode('abc')).toThrow('not a number');
  });

  it('validate rejects values of the wrong type, NaN and infinities', () => {
    const bad: [KindSpec, unknown][] = [
      [KINDS.integer, 1.5],
      [KINDS.integer, 2 ** 53],
      [KINDS.integer, '1'],
      [KINDS.float, Number.NaN],
      [KINDS.float, -Infinity],
      [KINDS.text, 1],
      [KINDS.boolean, 1],
      [KINDS.uuid, 'not-a-uuid'],
      [KINDS.dateTime, new Date(Number.NaN)],
      [KINDS.date, '2020-01-01'],
      [KINDS.bytes, 'abc'],
      [KINDS.json, undefined],
      [KINDS.json, () => 1],
      [KINDS.json, 10n],
    ];
    for (const [kind, v] of bad) expect(kind.validate(v)).toBe(INVALID);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(KINDS.json.validate(cyclic)).toBe(INVALID);
  });

  it('store dates as UTC epoch seconds, dates at midnight', () => {
    const at = new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 600));
    expect(KINDS.dateTime.encode(at)).toBe('1577934245.6');
    expect((roundTrip(KINDS.dateTime, at) as Date).getTime()).toBe(at.getTime());
    const day = KINDS.date.validate(at) as Date;
    expect(day.toISOString()).toBe('2020-01-02T00:00:00.000Z');
    expect(KINDS.date.encode(day)).toBe('1577923200.0');
    expect((KINDS.date.decode('1577934245.6') as Date).toISOString()).toBe('2020-01-02T00:00:00.000Z');
    expect((KINDS.dateTime.decode('-86400.0') as Date).toISOString()).toBe('1969-12-31T00:00:00.000Z');
  });

  it('store UUIDs as 32 hex digits and read them dashed', () => {
    const v = KINDS.uuid.validate('1B4E28BA2FA111D2883F0016D3CCA427');
    expect(v).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(KINDS.uuid.encode(v)).toBe('1b4e28ba2fa111d2883f0016d3cca427');
    expect(KINDS.uuid.keyText!(v)).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(KINDS.uuid.decode('1b4e28ba2fa111d2883f0016d3cca427')).toBe(v);
  });

  it('store booleans as 1/0, JSON as JSON.stringify, bytes raw', () => {
    expect([KINDS.boolean.encode(true), KINDS.boolean.encode(false)]).toEqual(['1', '0']);
    expect([KINDS.boolean.decode('1'), KINDS.boolean.decode('True'), KINDS.boolean.decode('0')]).toEqual([true, true, false]);
    expect(KINDS.json.encode({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(KINDS.json.decode('{"a": 1}')).toEqual({ a: 1 });
    expect(() => KINDS.json.decode('{')).toThrow('not JSON');
    const u8 = new Uint8Array([1, 2, 3]);
    expect(KINDS.bytes.validate(u8)).toEqual(Buffer.from([1, 2, 3]));
  });
});

describe('schemas', () => {
  it('add _id as an autoIncrement primary key when none is declared', () => {
    const s = normalizeSchema('note', { content: text(), tags: setField() });
    expect(s.primaryKey.name).toBe('_id');
    expect(s.primaryKey.field).toMatchObject({ kind: 'autoIncrement', primaryKey: true, index: true });
    expect(s.values.map((v) => v.name)).toEqual(['_id', 'content']);
    expect(s.containers.map((c) => c.name)).toEqual(['tags']);
    expect(s.absolute.map((v) => v.name)).toEqual(['_id']);
    expect(s.continuous.map((v) => v.name)).toEqual(['_id']);
  });

  it('index primary keys, and scalar indexed fields continuously too', () => {
    const s = normalizeSchema('user', { name: text({ primaryKey: true }), dob: date({ index: true }), n: integer(), seq: autoIncrement(), bio: text({ fts: true }) });
    expect(s.absolute.map((v) => v.name)).toEqual(['name', 'dob']);
    expect(s.continuous.map((v) => v.name)).toEqual(['dob']);
    expect(s.fts.map((v) => v.name)).toEqual(['bio']);
  });
});

describe('expressions', () => {
  it('reject objects that are not expressions', () => {
    expect(() => nodeOf({ op: 'eq' })).toThrow(InvalidArgumentError);
    expect(() => and()).toThrow(InvalidArgumentError);
    expect(() => or({ op: 'or' })).toThrow(InvalidArgumentError);
  });
});

describe('client-side sort (cluster)', () => {
  const rec = (id: string, v?: string): [string, Map<string, string>] => [id, new Map(v === undefined ? [] : [['f', v]])];
  const num = { name: 'f', field: integer(), kind: KINDS.integer } as never;
  const alpha = { name: 'f', field: text(), kind: KINDS.text } as never;

  it('sorts numbers as SORT does: absent as 0, ties by hash id', () => {
    const rows = [rec('b', '2'), rec('a', '-1'), rec('c'), rec('d', '2'), rec('e', '0')];
    expect(sortRecords(rows, num, false).map(([id]) => id)).toEqual(['a', 'c', 'e', 'b', 'd']);
    expect(sortRecords(rows, num, true).map(([id]) => id)).toEqual(['d', 'b', 'e', 'c', 'a']);
  });

  it('sorts text by bytes with absent values first', () => {
    const rows = [rec('1', 'b'), rec('2', 'B'), rec('3'), rec('4', 'é'), rec('5', 'a')];
    expect(sortRecords(rows, alpha, false).map(([id]) => id)).toEqual(['3', '2', '5', '1', '4']);
  });
});

describe('error rendering', () => {
  it('shows values briefly and safely', () => {
    expect(show('x'.repeat(100))).toHaveLength(62);
    expect(show(new Date(Number.NaN))).toBe('Invalid Date');
    expect(show(Buffer.alloc(3))).toBe('Buffer(3)');
    expect(show({ a: 1 })).toBe('an object (Object)');
    expect(show(null)).toBe('null');
  });
});
