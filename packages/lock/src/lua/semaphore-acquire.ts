import { Script } from '@walrus/core';
import { SEMAPHORE_COMMON } from './semaphore-common';

/**
 * One acquisition attempt for a batch of waiters of one process (FIFO): queues each token not yet queued with
 * the next ticket, marks it seen, and grants a permit to each token whose rank in the queue is below
 * `limit - holders`. Eligible tokens of other processes are announced on the event stream.
 *
 * KEYS[1..5] holders, queue, seen, ticket, event (see semaphore-common)
 * ARGV[1] limit, ARGV[2] ttl in ms, ARGV[3] stale ms, ARGV[4] '1' keep waiting / '0' try once (ungranted
 * tokens leave the queue), ARGV[5] event TTL in ms, ARGV[6..] tokens in arrival order
 * Returns {granted tokens, ms until the first holder expires (-1: no holder), last event id ('0-0': none)}.
 */
export const SEMAPHORE_ACQUIRE = `${SEMAPHORE_COMMON}
local limit, ttl, stale = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now, id = begin(stale)
local mine = {}
for i = 6, #ARGV do
  local tok = ARGV[i]
  mine[tok] = true
  if not redis.call('ZSCORE', KEYS[2], tok) then
    redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), tok)
  end
  redis.call('ZADD', KEYS[3], now, tok)
end
local granted = {}
local free = limit - redis.call('ZCARD', KEYS[1])
if free > 0 then
  for _, tok in ipairs(redis.call('ZRANGE', KEYS[2], 0, free - 1)) do
    if mine[tok] then
      redis.call('ZREM', KEYS[2], tok)
      redis.call('ZREM', KEYS[3], tok)
      redis.call('ZADD', KEYS[1], now + ttl, tok)
      granted[#granted + 1] = tok
      mine[tok] = nil
    end
  end
end
if ARGV[4] == '0' then
  for tok in pairs(mine) do
    redis.call('ZREM', KEYS[2], tok)
    redis.call('ZREM', KEYS[3], tok)
  end
end
id = announce(eligible(limit), tonumber(ARGV[5])) or id
upkeep(now, stale)
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = -1
if first[2] then wait = tonumber(first[2]) - now end
return {granted, wait, id}
`;

/** The script object of {@link SEMAPHORE_ACQUIRE}. */
export const semaphoreAcquire = new Script<[string[], number, string]>('semaphore.acquire', SEMAPHORE_ACQUIRE, { numKeys: 5 });
