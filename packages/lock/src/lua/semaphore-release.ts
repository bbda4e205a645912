import { Script } from '@walrus/core';
import { SEMAPHORE_COMMON } from './semaphore-common';

/**
 * Gives a permit back and announces the waiters that may now take one. An expired permit counts as not held.
 *
 * KEYS[1..5] holders, queue, seen, ticket, event (see semaphore-common)
 * ARGV[1] limit, ARGV[2] stale ms, ARGV[3] event TTL in ms, ARGV[4] token
 * Returns 1 when released, 0 when the token held no permit.
 */
export const SEMAPHORE_RELEASE = `${SEMAPHORE_COMMON}
local limit, stale = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = begin(stale)
local removed = redis.call('ZREM', KEYS[1], ARGV[4])
announce(eligible(limit), tonumber(ARGV[3]))
upkeep(now, stale)
return removed
`;

/** The script object of {@link SEMAPHORE_RELEASE}. */
export const semaphoreRelease = new Script<number>('semaphore.release', SEMAPHORE_RELEASE, { numKeys: 5 });
