import { Script } from '@walrus/core';

/**
 * Wakes one waiter if the lock is free: run when a holder's TTL ran out (nobody released it) and when a waiter
 * leaves with a wake-up it may have consumed. Pushes nothing while the lock is held.
 *
 * KEYS[1] lock key, KEYS[2] event list
 * ARGV[1] event TTL in ms
 * Returns -2 when the lock was free (a waiter was woken), else the holder's PTTL (-1: no TTL).
 */
export const LOCK_WAKE = `
local pttl = redis.call('PTTL', KEYS[1])
if pttl ~= -2 then return pttl end
redis.call('LPUSH', KEYS[2], 1)
redis.call('LTRIM', KEYS[2], 0, 0)
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return -2
`;

/** The script object of {@link LOCK_WAKE}. */
export const lockWake = new Script<number>('lock.wake', LOCK_WAKE, { numKeys: 2 });
