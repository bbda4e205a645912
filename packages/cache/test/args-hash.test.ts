import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@walrus/core';
import { argsHash, canonicalArgs } from '@walrus/cache';

describe('canonicalArgs / argsHash', () => {
  it('writes JSON with sorted object keys, so equal arguments share one key', () => {
    expect(canonicalArgs([{ b: 1, a: [1, 'x', null, true] }, 'q'])).toBe('[{"a":[1,"x",null,true],"b":1},"q"]');
    expect(argsHash([{ b: 1, a: 2 }])).toBe(argsHash([{ a: 2, b: 1 }]));
    expect(argsHash(['a'])).toBe(createHash('sha1').update('["a"]').digest('hex'));
  });

  it('tells apart what JSON would merge', () => {
    const distinct = [[1], ['1'], [null], [[undefined]], [[null]], [NaN], [Infinity], [-Infinity], [1n], [new Date(0)], ['1970-01-01T00:00:00.000Z'], [Buffer.from('hi')], [[]], [{}]];
    expect(new Set(distinct.map(canonicalArgs)).size).toBe(distinct.length);
  });

  it('treats trailing undefined arguments and undefined properties as absent', () => {
    expect(canonicalArgs([1, undefined])).toBe(canonicalArgs([1]));
    expect(canonicalArgs([])).toBe('[]');
    expect(canonicalArgs([{ a: 1, b: undefined }])).toBe(canonicalArgs([{ a: 1 }]));
    expect(canonicalArgs([undefined, 1])).toBe('[undefined,1]');
  });

  it('refuses values it cannot hash faithfully', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const bad of [() => 1, Symbol('s'), new Map(), new Set([1]), new (class Point {})(), circular]) {
      expect(() => canonicalArgs([bad])).toThrow(InvalidArgumentError);
    }
    const shared = { x: 1 };
    expect(canonicalArgs([shared, [shared]])).toBe('[{"x":1},[{"x":1}]]');
    expect(canonicalArgs([Object.assign(Object.create(null) as object, { a: 1 })])).toBe('[{"a":1}]');
  });
});
