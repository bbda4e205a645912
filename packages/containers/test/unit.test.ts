import { InvalidArgumentError } from '@walrus/core';
import { lexBound, rangeWords, scoreBound, sliceRange } from '../src/bounds';
import { offsetArg, parseType, valueArg } from '../src/bitfield-operation';

describe('sliceRange', () => {
  it('maps Array.prototype.slice bounds to inclusive LRANGE/ZRANGE bounds', () => {
    expect(sliceRange()).toEqual(['0', '-1']);
    expect(sliceRange(1, 3)).toEqual(['1', '2']);
    expect(sliceRange(-2)).toEqual(['-2', '-1']);
    expect(sliceRange(0, -1)).toEqual(['0', '-2']);
    expect(sliceRange(0, 0)).toBeNull();
    expect(sliceRange(5, 0)).toBeNull();
    expect(() => sliceRange(0.5)).toThrow(InvalidArgumentError);
    expect(() => sliceRange(0, NaN)).toThrow(InvalidArgumentError);
  });
});

describe('score and lex bounds', () => {
  it('formats inclusive, exclusive and open score bounds', () => {
    expect(scoreBound(3, 'min')).toBe('3');
    expect(scoreBound({ value: 3, exclusive: true }, 'min')).toBe('(3');
    expect(scoreBound(null, 'min')).toBe('-inf');
    expect(scoreBound(null, 'max')).toBe('+inf');
    expect(scoreBound(Infinity, 'max')).toBe('+inf');
    expect(scoreBound(-Infinity, 'min')).toBe('-inf');
    expect(scoreBound({ value: -Infinity, exclusive: true }, 'min')).toBe('(-inf');
    expect(() => scoreBound(NaN, 'min')).toThrow(InvalidArgumentError);
  });
  it('formats lex bounds for strings and bytes', () => {
    expect(lexBound('a', 'min')).toBe('[a');
    expect(lexBound({ value: 'a', exclusive: true }, 'max')).toBe('(a');
    expect(lexBound(null, 'min')).toBe('-');
    expect(lexBound(null, 'max')).toBe('+');
    expect(lexBound(Buffer.from([0xff]), 'max')).toEqual(Buffer.from([0x5b, 0xff]));
    expect(() => lexBound(3 as never, 'min')).toThrow(InvalidArgumentError);
  });
  it('builds REV, LIMIT and WITHSCORES words and refuses what Redis would refuse', () => {
    expect(rangeWords({ reverse: true, limit: { offset: 1, count: 2 }, withScores: true }, 'BYSCORE')).toEqual(['BYSCORE', 'REV', 'LIMIT', '1', '2', 'WITHSCORES']);
    expect(() => rangeWords({ withScores: true }, 'BYLEX')).toThrow(InvalidArgumentError);
    expect(() => rangeWords({ limit: { offset: 0, count: 1 } })).toThrow(InvalidArgumentError);
    expect(() => rangeWords({ limit: { offset: -1, count: 1 } }, 'BYSCORE')).toThrow(InvalidArgumentError);
  });
});

describe('BITFIELD arguments', () => {
  it('accepts i1…i64 and u1…u63 only', () => {
    expect(parseType('i64')).toEqual({ signed: true, width: 64 });
    expect(parseType('u63')).toEqual({ signed: false, width: 63 });
    expect(parseType('u1')).toEqual({ signed: false, width: 1 });
    for (const bad of ['u64', 'i65', 'u0', 'i', 'U8', 'u08', 'f32', 8]) expect(() => parseType(bad)).toThrow(InvalidArgumentError);
  });
  it('checks offsets, #indexes and the 2^32-bit limit', () => {
    const u8 = parseType('u8');
    expect(offsetArg(0, u8)).toBe('0');
    expect(offsetArg('#3', u8)).toBe('#3');
    expect(offsetArg(2 ** 32 - 8, u8)).toBe(String(2 ** 32 - 8));
    for (const bad of [-1, 0.5, '3', '#-1', 2 ** 32 - 7, `#${2 ** 29}`]) expect(() => offsetArg(bad, u8)).toThrow(InvalidArgumentError);
  });
  it('checks values fit the type', () => {
    expect(valueArg(255, parseType('u8'))).toBe('255');
    expect(valueArg(-128, parseType('i8'))).toBe('-128');
    expect(valueArg((1n << 63n) - 1n, parseType('i64'))).toBe('9223372036854775807');
    for (const [v, t] of [[256, 'u8'], [-1, 'u8'], [128, 'i8'], [1.5, 'u8'], [2 ** 60, 'u63']] as const) expect(() => valueArg(v, parseType(t))).toThrow(InvalidArgumentError);
  });
});
