import { Script } from '@walrus/core';
import { SEMAPHORE_COMMON } from './semaphore-common';

/**
 * Resets a held permit's remaining time to `ttl` (server clock). An expired permit counts as not held.
 *
 * KEYS[1..5] holders, queue, seen, ticket, event (see semaphore-common)
 * ARGV[1] ttl in ms, ARGV[2] stale ms, ARGV[3] token
 * Returns 1 when extended, 0 when the token held no permit.
 */
export const SEMAPHORE_EXTEND = `${SEMAPHORE_COMMON}
local ttl, stale = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = begin(stale)
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[3])
upkeep(now, stale)
return 1
`;

/** The script object of {@link SEMAPHORE_EXTEND}. */
export const semaphoreExtend = new Script<number>('semaphore.extend', SEMAPHORE_EXTEND, { numKeys: 5 });
