import { NOW, prologue } from './prologue';
/**
 * GCRA (generic cell rate algorithm): a STRING holding the theoretical arrival time (TAT) in microseconds.
 * Units are spaced by `interval = per / limit`; up to `burst` units may arrive at once. A call of `cost` is
 * allowed when `max(TAT, now) + cost * interval - burst * interval <= now`; it moves TAT by `cost * interval`.
 * The key expires at TAT, when it is equivalent to absent.
 *
 * KEYS[1]  the theoretical arrival time (STRING)
 * ARGV[1]  limit (units per `per`)
 * ARGV[2]  per, in microseconds
 * ARGV[3]  burst (units that may arrive at once)
 * ARGV[4]  cost
 * ARGV[5]  '1' to record an allowed call, '0' to only look
 * Returns  { limited 0|1, burst, remaining, resetMs, retryAfterMs }
 */
export const GCRA = `${prologue('string')}
${NOW}
local interval = per / limit
local capacity = burst * interval
local tat = math.max(tonumber(redis.call('GET', key)) or now, now)
local nextTat = tat + cost * interval
local allowAt = nextTat - capacity
-- A tiny tolerance keeps float rounding from denying a call that fits exactly.
local limited = allowAt > now + 1e-6
if record and not limited then
  tat = nextTat
  redis.call('SET', key, string.format('%.17g', tat), 'PX', string.format('%d', math.max(1, math.ceil((tat - now) / 1000))))
end
local retry = 0
if limited then retry = math.ceil((allowAt - now) / 1000) end
if limited then limited = 1 else limited = 0 end
local remaining = math.floor((capacity - (tat - now)) / interval + 1e-9)
return { limited, burst, math.max(0, remaining), math.max(0, math.ceil((tat - now) / 1000 - 1e-9)), math.max(0, retry) }
`;
