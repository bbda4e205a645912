import { Script } from '@walrus/core';
import { SEMAPHORE_COMMON } from './semaphore-common';

/**
 * Removes a waiter that gave up (timeout, abort) from the queue, and from the holders in case a grant crossed
 * its departure; announces the waiters that may now take a permit.
 *
 * KEYS[1..5] holders, queue, seen, ticket, event (see semaphore-common)
 * ARGV[1] limit, ARGV[2] stale ms, ARGV[3] event TTL in ms, ARGV[4..] tokens
 * Returns the number of permits that were given back.
 */
export const SEMAPHORE_LEAVE = `${SEMAPHORE_COMMON}
local limit, stale = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = begin(stale)
local returned = 0
for i = 4, #ARGV do
  redis.call('ZREM', KEYS[2], ARGV[i])
  redis.call('ZREM', KEYS[3], ARGV[i])
  returned = returned + redis.call('ZREM', KEYS[1], ARGV[i])
end
announce(eligible(limit), tonumber(ARGV[3]))
upkeep(now, stale)
return returned
`;

/** The script object of {@link SEMAPHORE_LEAVE}. */
export const semaphoreLeave = new Script<number>('semaphore.leave', SEMAPHORE_LEAVE, { numKeys: 5 });
