import { NOW, prologue } from './prologue';
/**
 * Token bucket: a HASH { tokens, ts = time of the last update in microseconds }. The bucket holds up to `burst`
 * tokens and refills at `limit / per`; a call of `cost` is allowed when at least `cost` tokens are there. The
 * key expires when the bucket would be full again.
 *
 * KEYS[1]  the bucket (HASH)
 * ARGV[1]  limit (tokens added per `per`)
 * ARGV[2]  per, in microseconds
 * ARGV[3]  burst (capacity)
 * ARGV[4]  cost
 * ARGV[5]  '1' to record an allowed call, '0' to only look
 * Returns  { limited 0|1, burst, remaining, resetMs, retryAfterMs }
 */
export const TOKEN_BUCKET = `${prologue('hash')}
local state = redis.call('HMGET', key, 'tokens', 'ts')
if kind == 'hash' and not state[1] then return redis.error_reply('WALRUS_WRONGTYPE hash of another algorithm') end
${NOW}
local rate = limit / per
local tokens = burst
if state[1] then
  tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate)
end
-- A tiny tolerance keeps float rounding of the refill from denying a call that fits exactly.
local limited = tokens + 1e-9 < cost
if record and not limited then
  tokens = tokens - cost
  redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'ts', string.format('%d', now))
  redis.call('PEXPIRE', key, string.format('%d', math.max(1, math.ceil((burst - tokens) / rate / 1000))))
end
local retry = 0
if limited then retry = math.ceil((cost - tokens) / rate / 1000) end
if limited then limited = 1 else limited = 0 end
return { limited, burst, math.max(0, math.floor(tokens + 1e-9)), math.max(0, math.ceil((burst - tokens) / rate / 1000 - 1e-9)), math.max(0, retry) }
`;
