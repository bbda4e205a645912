import { InvalidArgumentError } from '@walrus/core';
import { Message, checkId, compareIds, dateToId, idToTime, isEntryId, toId } from '@walrus/streams';
import { parseStreamsReply } from '../src/entry';

describe('stream ids', () => {
  it('accepts concrete ids and the special ids of each role', () => {
    expect(checkId('1-0', 'entry')).toBe('1-0');
    expect(checkId('1526919030474', 'entry')).toBe('1526919030474');
    expect(checkId('18446744073709551615-18446744073709551615', 'entry')).toBe('18446744073709551615-18446744073709551615');
    expect(checkId('*', 'add')).toBe('*');
    expect(checkId('5-*', 'add')).toBe('5-*');
    expect(checkId('-', 'range')).toBe('-');
    expect(checkId('(5-1', 'range')).toBe('(5-1');
    expect(checkId('$', 'after')).toBe('$');
    expect(checkId('>', 'groupRead')).toBe('>');
    expect(checkId('$', 'groupStart')).toBe('$');
  });

  it.each([
    ['abc', 'entry'],
    ['1-2-3', 'entry'],
    ['-1', 'entry'],
    ['1-', 'entry'],
    ['', 'entry'],
    ['18446744073709551616-0', 'entry'],
    ['*', 'entry'],
    ['>', 'after'],
    ['$', 'groupRead'],
    ['0-0', 'add'],
    ['0', 'add'],
    ['(abc', 'range'],
    ['(-', 'range'],
  ] as const)('rejects %j as a %s id with an InvalidArgumentError', (id, role) => {
    expect(() => checkId(id, role)).toThrow(InvalidArgumentError);
  });

  it('rejects non-string ids', () => {
    expect(() => checkId(5, 'entry')).toThrow(InvalidArgumentError);
    expect(() => checkId(undefined, 'entry')).toThrow(/malformed stream id/);
    expect(isEntryId('1-1')).toBe(true);
    expect(isEntryId('x')).toBe(false);
  });

  it('orders ids numerically, not as strings', () => {
    expect(compareIds('9-0', '10-0')).toBe(-1);
    expect(compareIds('10-2', '10-10')).toBe(-1);
    expect(compareIds('10-1', '10-1')).toBe(0);
    expect(compareIds('18446744073709551615-0', '18446744073709551614-9')).toBe(1);
    expect(['10-0', '9-5', '9-10', '100'].sort(compareIds)).toEqual(['9-5', '9-10', '10-0', '100']);
  });

  it('converts between ids and UTC dates', () => {
    const d = new Date(Date.UTC(2018, 0, 2));
    expect(dateToId(d)).toBe('1514851200000-0');
    expect(dateToId(d, 7)).toBe('1514851200000-7');
    expect(idToTime('1514851200000-7')).toEqual({ timestamp: d, sequence: 7 });
    expect(() => dateToId(new Date('nope'))).toThrow(InvalidArgumentError);
    expect(() => dateToId(d, -1)).toThrow(InvalidArgumentError);
    expect(toId(d)).toBe('1514851200000-0');
    expect(toId(d, { wholeMs: true })).toBe('1514851200000');
    expect(toId({ timestamp: d, sequence: 3 })).toBe('1514851200000-3');
    expect(toId(new Message('s', '5-5', {}))).toBe('5-5');
    expect(() => toId(42 as never)).toThrow(InvalidArgumentError);
  });

  it('gives messages their time and orders them by numeric id', () => {
    const a = new Message('s1', '1514851200000-0', { x: '1' });
    const b = new Message('s2', '999-0', {});
    expect(a.timestamp.toISOString()).toBe('2018-01-02T00:00:00.000Z');
    expect(a.sequence).toBe(0);
    expect([a, b].sort(Message.compare)).toEqual([b, a]);
    expect(String(a)).toBe('<Message s1 1514851200000-0: {"x":"1"}>');
  });

  it('reads XREAD replies in both RESP2 and RESP3 shapes', () => {
    const entries = [['1-1', ['a', '1']]];
    expect(parseStreamsReply([['s', entries]])).toEqual([['s', entries]]);
    expect(parseStreamsReply(['s', entries, 't', []])).toEqual([
      ['s', entries],
      ['t', []],
    ]);
    expect(parseStreamsReply(null)).toEqual([]);
  });
});
