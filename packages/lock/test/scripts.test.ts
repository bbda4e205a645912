import { InvalidArgumentError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { lockAcquire } from '../src/lua/lock-acquire';
import { lockClear } from '../src/lua/lock-clear';
import { lockExtend } from '../src/lua/lock-extend';
import { lockRelease } from '../src/lua/lock-release';
import { lockWake } from '../src/lua/lock-wake';
import { semaphoreAcquire } from '../src/lua/semaphore-acquire';
import { semaphoreCount } from '../src/lua/semaphore-count';
import { semaphoreExtend } from '../src/lua/semaphore-extend';
import { semaphoreLeave } from '../src/lua/semaphore-leave';
import { semaphoreRelease } from '../src/lua/semaphore-release';
import { parseAcquire, parseAutoExtend, parseTtl } from '../src/options';

const scripts = [lockAcquire, lockRelease, lockExtend, lockWake, lockClear, semaphoreAcquire, semaphoreRelease, semaphoreLeave, semaphoreExtend, semaphoreCount];

describeTopologies('Lua scripts', (t) => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s compiles and its SHA is what SCRIPT LOAD returns', async (_, s) => {
    const key = t.key('any');
    expect(await t.rawCommand(['SCRIPT', 'LOAD', s.source], key)).toBe(s.sha);
  });
});

describe('option parsing', () => {
  it('reads acquire options: block: false and timeout 0 try once, the default waits forever', () => {
    expect(parseAcquire(undefined)).toEqual({ waitMs: Infinity });
    expect(parseAcquire({})).toEqual({ waitMs: Infinity, signal: undefined });
    expect(parseAcquire({ block: false, timeout: '5s' }).waitMs).toBe(0);
    expect(parseAcquire({ timeout: 0 }).waitMs).toBe(0);
    expect(parseAcquire({ timeout: '1.5s' }).waitMs).toBe(1500);
    expect(parseAcquire({ timeout: Infinity }).waitMs).toBe(Infinity);
    expect(() => parseAcquire({ timeout: -1 })).toThrow(InvalidArgumentError);
    expect(() => parseAcquire('1s' as never)).toThrow(InvalidArgumentError);
  });

  it('reads TTLs as whole milliseconds of at least 1', () => {
    expect(parseTtl(undefined, 'ttl', true)).toBeNull();
    expect(parseTtl(null, 'ttl', true)).toBeNull();
    expect(parseTtl(Infinity, 'ttl', true)).toBeNull();
    expect(parseTtl(1, 'ttl', false)).toBe(1);
    expect(parseTtl(2.2, 'ttl', false)).toBe(3);
    expect(parseTtl('2m', 'ttl', false)).toBe(120_000);
    expect(() => parseTtl(0.9, 'ttl', false)).toThrow(InvalidArgumentError);
    expect(() => parseTtl(undefined, 'ttl', false)).toThrow(InvalidArgumentError);
    expect(() => parseTtl(Infinity, 'ttl', false)).toThrow(InvalidArgumentError);
  });

  it('reads autoExtend: a third of the TTL by default, shorter than the TTL, never without one', () => {
    expect(parseAutoExtend(undefined, 300)).toBeNull();
    expect(parseAutoExtend(false, null)).toBeNull();
    expect(parseAutoExtend(true, 300)).toBe(100);
    expect(parseAutoExtend({}, 3000)).toBe(1000);
    expect(parseAutoExtend({ every: '1s' }, 3000)).toBe(1000);
    expect(() => parseAutoExtend(true, null)).toThrow(InvalidArgumentError);
    expect(() => parseAutoExtend({ every: 3000 }, 3000)).toThrow(InvalidArgumentError);
    expect(() => parseAutoExtend({ every: 0 }, 3000)).toThrow(InvalidArgumentError);
  });
});
