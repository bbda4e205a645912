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
export const TOKEN_BUCKET = `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local record = ARGV[5] == '1'
local kind = redis.call('TYPE', key)['ok']
if kind ~= 'none' and kind ~= 'hash' then return redis.error_reply('WALRUS_WRONGTYPE ' .. kind) end
local state = redis.call('HMGET', key, 'tokens', 'ts')
if kind == 'hash' and not state[1] then return redis.error_reply('WALRUS_WRONGTYPE hash of another algorithm') end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
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
