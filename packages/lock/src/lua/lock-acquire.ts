import { Script } from '@walrus/core';

/**
 * Takes the lock if it is free and draws the next fencing token. Every type check happens before the first
 * write (GET fails with WRONGTYPE on a non-string fence; a non-string lock key is reported when busy).
 *
 * KEYS[1] lock key (string: holder token), KEYS[2] fence counter
 * ARGV[1] token, ARGV[2] ttl in ms ('0' = no expiry)
 * Returns {1, fence} when taken, else {0, holder PTTL} (-1: the holder has no TTL).
 */
export const LOCK_ACQUIRE = `
local fence = redis.call('GET', KEYS[2])
if fence and not string.match(fence, '^%d+$') then
  return redis.error_reply('WALRUS_FENCE the fence counter ' .. KEYS[2] .. ' does not hold an integer')
end
local taken
if ARGV[2] == '0' then
  taken = redis.call('SET', KEYS[1], ARGV[1], 'NX')
else
  taken = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
end
if taken then return {1, redis.call('INCR', KEYS[2])} end
if redis.call('TYPE', KEYS[1])['ok'] ~= 'string' then
  return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
end
return {0, redis.call('PTTL', KEYS[1])}
`;

/** The script object of {@link LOCK_ACQUIRE}. */
export const lockAcquire = new Script<[number, number]>('lock.acquire', LOCK_ACQUIRE, { numKeys: 2 });
