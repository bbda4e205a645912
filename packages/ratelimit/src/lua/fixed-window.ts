import { NOW, prologue } from './prologue';
/**
 * Fixed window: a HASH { w = window number since the epoch, c = units used in it }. A call of `cost` is allowed
 * when `c + cost <= limit`; the key expires when its window ends.
 *
 * KEYS[1]  the counter (HASH)
 * ARGV[1]  limit (units per window)
 * ARGV[2]  per (window length), in microseconds
 * ARGV[3]  burst (unused)
 * ARGV[4]  cost
 * ARGV[5]  '1' to record an allowed call, '0' to only look
 * Returns  { limited 0|1, limit, remaining, resetMs, retryAfterMs }
 */
export const FIXED_WINDOW = `${prologue('hash')}
local state = redis.call('HMGET', key, 'w', 'c')
if kind == 'hash' and not state[2] then return redis.error_reply('WALRUS_WRONGTYPE hash of another algorithm') end
${NOW}
local w = math.floor(now / per)
local used = 0
if tonumber(state[1]) == w then used = tonumber(state[2]) end
local limited = used + cost > limit
local ends = (w + 1) * per
if record and not limited then
  used = used + cost
  redis.call('HSET', key, 'w', string.format('%d', w), 'c', used)
  redis.call('PEXPIRE', key, string.format('%d', math.max(1, math.ceil((ends - now) / 1000))))
end
local reset, retry = 0, 0
if used > 0 then reset = math.ceil((ends - now) / 1000) end
if limited then retry = math.ceil((ends - now) / 1000) end
if limited then limited = 1 else limited = 0 end
return { limited, limit, math.max(0, limit - used), reset, retry }
`;
