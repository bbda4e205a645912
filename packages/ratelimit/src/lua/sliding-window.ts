import { NOW, prologue } from './prologue';
/**
 * Sliding window counter: a HASH { w = window number since the epoch, cur = units used in it, prev = units used
 * in the window before }. The previous window counts in proportion to how much of it still overlaps a window
 * ending now: a call of `cost` is allowed when `prev * (1 - elapsed / per) + cur + cost <= limit`. The key
 * expires when the next window ends (then both counts are zero).
 *
 * KEYS[1]  the counters (HASH)
 * ARGV[1]  limit (units per window)
 * ARGV[2]  per (window length), in microseconds
 * ARGV[3]  burst (unused)
 * ARGV[4]  cost
 * ARGV[5]  '1' to record an allowed call, '0' to only look
 * Returns  { limited 0|1, limit, remaining, resetMs, retryAfterMs }
 */
export const SLIDING_WINDOW = `${prologue('hash')}
local state = redis.call('HMGET', key, 'w', 'cur', 'prev')
if kind == 'hash' and not state[2] then return redis.error_reply('WALRUS_WRONGTYPE hash of another algorithm') end
${NOW}
local w = math.floor(now / per)
local stored = tonumber(state[1])
local cur, prev = 0, 0
if stored == w then
  cur, prev = tonumber(state[2]), tonumber(state[3]) or 0
elseif stored == w - 1 then
  prev = tonumber(state[2])
end
local start = w * per
local weight = 1 - (now - start) / per
local used = prev * weight + cur
-- A tiny tolerance keeps float rounding of prev * weight from denying a call that fits exactly.
local limited = used + cost > limit + 1e-9
if record and not limited then
  cur = cur + cost
  used = used + cost
  redis.call('HSET', key, 'w', string.format('%d', w), 'cur', cur, 'prev', prev)
  redis.call('PEXPIRE', key, string.format('%d', math.max(1, math.ceil((start + 2 * per - now) / 1000))))
end
local reset, retry = 0, 0
if cur > 0 then
  reset = start + 2 * per - now
elseif prev > 0 then
  reset = start + per - now
end
if limited then
  local room = limit - cost
  if cur <= room then
    -- The previous window's share has to shrink to room - cur within this window.
    retry = start + per * (1 - (room - cur) / prev) - now
  else
    -- Wait for the next window, where this window's count decays from its start.
    retry = start + per + per * (1 - room / cur) - now
  end
end
if limited then limited = 1 else limited = 0 end
return { limited, limit, math.max(0, math.floor(limit - used + 1e-9)), math.max(0, math.ceil(reset / 1000)), math.max(0, math.ceil(retry / 1000)) }
`;
