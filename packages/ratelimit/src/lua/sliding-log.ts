import { NOW, prologue } from './prologue';
/**
 * Sliding log (walrus' algorithm, shareable with Python): a LIST of event times, newest first, as Unix seconds
 * with six decimals. A call of `cost` is allowed when fewer than `limit - cost + 1` logged events are younger
 * than `per`; an allowed call (when recording) pushes `cost` copies of now and trims the list to `limit`.
 *
 * KEYS[1]  the log (LIST)
 * ARGV[1]  limit (events per window)
 * ARGV[2]  per, in microseconds
 * ARGV[3]  burst (unused)
 * ARGV[4]  cost
 * ARGV[5]  '1' to record an allowed call, '0' to only look
 * Returns  { limited 0|1, limit, remaining, resetMs, retryAfterMs }
 */
export const SLIDING_LOG = `${prologue('list')}
${NOW}
local function at(i)
  return tonumber(redis.call('LINDEX', key, i)) * 1000000
end
-- The log is newest first, so the events inside the window are a prefix: binary search its length.
local lo, hi = 0, math.min(redis.call('LLEN', key), limit)
while lo < hi do
  local mid = math.floor((lo + hi) / 2)
  if now - at(mid) < per then lo = mid + 1 else hi = mid end
end
local used = lo
local limited = used + cost > limit
local newest = nil
if used > 0 then newest = at(0) end
if record and not limited then
  local stamp = time[1] .. '.' .. string.format('%06d', tonumber(time[2]))
  -- LPUSH in chunks: unpack() of thousands of values would overflow Lua's stack.
  local left = cost
  while left > 0 do
    local stamps = {}
    for i = 1, math.min(left, 1000) do stamps[i] = stamp end
    redis.call('LPUSH', key, unpack(stamps))
    left = left - #stamps
  end
  redis.call('LTRIM', key, 0, limit - 1)
  redis.call('PEXPIRE', key, string.format('%d', math.ceil(per / 1000)))
  used = used + cost
  newest = now
end
local reset, retry = 0, 0
if newest then reset = math.ceil((newest + per - now) / 1000) end
if limited then retry = math.ceil((at(limit - cost) + per - now) / 1000) end
if limited then limited = 1 else limited = 0 end
return { limited, limit, math.max(0, limit - used), math.max(0, reset), math.max(0, retry) }
`;
