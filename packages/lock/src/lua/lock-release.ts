import { Script } from '@walrus/core';

/**
 * Releases the lock if `token` (and, for a lease, `fence`) still holds it, and wakes one waiter: one element is
 * pushed to the event list (trimmed to one, so it never grows) and the list expires after the event TTL.
 * The push is the first write, so an event key of the wrong type fails the call with nothing changed.
 *
 * KEYS[1] lock key, KEYS[2] event list, KEYS[3] fence counter
 * ARGV[1] token, ARGV[2] fence of the lease ('' = any hold of this token), ARGV[3] event TTL in ms
 * Returns 1 when released, 0 when the caller did not hold the lock (nothing is written then).
 */
export const LOCK_RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[2] then return 0 end
redis.call('LPUSH', KEYS[2], 1)
redis.call('LTRIM', KEYS[2], 0, 0)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[1])
return 1
`;

/** The script object of {@link LOCK_RELEASE}. */
export const lockRelease = new Script<number>('lock.release', LOCK_RELEASE, { numKeys: 3 });
