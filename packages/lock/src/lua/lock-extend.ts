import { Script } from '@walrus/core';

/**
 * Resets the lock's remaining time to `ttl` if `token` (and, for a lease, `fence`) still holds it.
 *
 * KEYS[1] lock key, KEYS[2] fence counter
 * ARGV[1] token, ARGV[2] fence of the lease ('' = any hold of this token), ARGV[3] ttl in ms
 * Returns 1 when extended, 0 when the caller did not hold the lock.
 */
export const LOCK_EXTEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** The script object of {@link LOCK_EXTEND}. */
export const lockExtend = new Script<number>('lock.extend', LOCK_EXTEND, { numKeys: 2 });
