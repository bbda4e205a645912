import {
  CrossSlotError,
  DecodeError,
  InvalidArgumentError,
  Keyspace,
  LockNotOwnedError,
  ParseError,
  WalrusError,
  WrongTypeError,
  bufferCodec,
  formatPythonFloat,
  jsonCodec,
  keySlot,
  parseServerInfo,
  replyPairs,
  stringCodec,
  toMs,
} from '@walrus/core';

describe('toMs', () => {
  it('reads bare numbers as milliseconds and strings with units', () => {
    expect(toMs(250)).toBe(250);
    expect(toMs('250ms')).toBe(250);
    expect(toMs('10s')).toBe(10_000);
    expect(toMs('1.5 m')).toBe(90_000);
    expect(toMs('2h')).toBe(7_200_000);
    expect(toMs('1d')).toBe(86_400_000);
    expect(toMs(Infinity)).toBe(Infinity);
  });
  it('rejects negative, NaN and malformed durations with a named error', () => {
    for (const bad of [-1, NaN, '10', '10 sec', 's', '', '-5s'] as never[]) {
      expect(() => toMs(bad)).toThrow(InvalidArgumentError);
    }
  });
});

describe('formatPythonFloat', () => {
  it.each([
    [3, '3.0'],
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1.5e-5, '1.5e-05'],
    [0.0001, '0.0001'],
    [123456789.5, '123456789.5'],
    [1577934245.6, '1577934245.6'],
    [-2.5, '-2.5'],
    [1e22, '1e+22'],
    [1234567890123456.7, '1234567890123456.8'],
    [0, '0.0'],
    [Infinity, 'inf'],
  ])('%p -> %s', (n, text) => expect(formatPythonFloat(n)).toBe(text));
});

describe('keySlot', () => {
  it('matches the slots Redis documents', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot(Buffer.from('foo'))).toBe(12182);
  });
});

describe('Keyspace', () => {
  it('wraps the name in a hash tag unless told not to', () => {
    expect(new Keyspace('app:', 'jobs', true).key('lock:')).toBe('app:lock:{jobs}');
    expect(new Keyspace('app:', 'jobs', true).key('lock.event:', '.x')).toBe('app:lock.event:{jobs}.x');
    expect(new Keyspace('', 'jobs', false).key('lock:')).toBe('lock:jobs');
    expect(new Keyspace('', 'jobs', true).temp()).toMatch(/^temp\.\{jobs\}\.[0-9a-f-]{36}$/);
    expect(new Keyspace('p:', 'jobs', false).temp()).toMatch(/^p:temp\.[0-9a-f-]{36}$/);
  });
  it('rejects empty names', () => {
    expect(() => new Keyspace('', '', true)).toThrow(InvalidArgumentError);
  });
});

describe('codecs', () => {
  it('round-trip their values', () => {
    expect(stringCodec.decode(stringCodec.encode('héllo'))).toBe('héllo');
    expect(stringCodec.decode(Buffer.from('héllo'))).toBe('héllo');
    const b = Buffer.from([0, 255, 1]);
    expect(bufferCodec.decode(bufferCodec.encode(b))).toEqual(b);
    const j = jsonCodec<unknown>();
    for (const v of [null, undefined, 0, 'x', { a: [1, 2] }]) expect(j.decode(j.encode(v))).toEqual(v);
    expect(j.encode(undefined)).toBe('');
  });
  it('name their errors', () => {
    expect(() => jsonCodec().decode('{nope')).toThrow(DecodeError);
    expect(() => stringCodec.encode(5 as never)).toThrow(InvalidArgumentError);
    expect(() => bufferCodec.encode('x' as never)).toThrow(InvalidArgumentError);
  });
});

describe('parseServerInfo', () => {
  it('tells Redis from Valkey and gates capabilities', () => {
    const redis = parseServerInfo('# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n');
    expect(redis).toMatchObject({ flavor: 'redis', version: '7.0.15' });
    expect(redis.has('evalRo')).toBe(true);
    expect(redis.has('xackdel')).toBe(false);
    expect(redis.atLeast('6.2')).toBe(true);
    expect(redis.atLeast('7.2')).toBe(false);
    const valkey = parseServerInfo('redis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n');
    expect(valkey).toMatchObject({ flavor: 'valkey', version: '8.0.1' });
    expect(valkey.has('evalRo')).toBe(true);
    const old = parseServerInfo('redis_version:6.2.14\r\n');
    expect(old.has('evalRo')).toBe(false);
    expect(parseServerInfo(undefined)).toMatchObject({ flavor: 'unknown', version: '6.2.0' });
  });
});

describe('replyPairs', () => {
  it('reads flat RESP2 and nested RESP3 score replies alike', () => {
    expect(replyPairs(['a', '1', 'b', '2.5'])).toEqual([['a', '1'], ['b', '2.5']]);
    expect(replyPairs([['a', '1'], ['b', '2.5']])).toEqual([['a', '1'], ['b', '2.5']]);
  });
});

describe('errors', () => {
  it('are WalrusErrors with codes and context', () => {
    const e = new WrongTypeError('k', 'hash', 'list');
    expect(e).toBeInstanceOf(WalrusError);
    expect(e.code).toBe('ERR_WRONG_TYPE');
    expect(e.message).toContain('"k" holds a list, expected a hash');
    expect(new CrossSlotError(['a', 'b']).keys).toEqual(['a', 'b']);
    expect(new LockNotOwnedError('jobs')).toMatchObject({ name: 'LockNotOwnedError', lockName: 'jobs', code: 'ERR_LOCK_NOT_OWNED' });
    const p = new ParseError('a AND', 5, 'a term');
    expect(p.message).toContain('position 5');
  });
});
