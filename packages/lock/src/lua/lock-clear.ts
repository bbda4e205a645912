import { Script } from '@walrus/core';

/**
 * Deletes the lock whoever holds it and wakes one waiter. The fence counter is kept, so fencing tokens keep
 * increasing across a clear. The push comes first: an event key of the wrong type fails with nothing changed.
 *
 * KEYS[1] lock key, KEYS[2] event list
 * ARGV[1] event TTL in ms
 * Returns 1 when a holder was removed, else 0.
 */
export const LOCK_CLEAR = `
redis.call('LPUSH', KEYS[2], 1)
redis.call('LTRIM', KEYS[2], 0, 0)
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])
`;

/** The script object of {@link LOCK_CLEAR}. */
export const lockClear = new Script<number>('lock.clear', LOCK_CLEAR, { numKeys: 2 });
