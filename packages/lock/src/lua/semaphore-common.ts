/**
 * Lua shared by the semaphore scripts. Every semaphore script takes the same five keys:
 *
 * KEYS[1] holders ZSET token -> expiry (ms, server clock)
 * KEYS[2] queue   ZSET token -> ticket (arrival order)
 * KEYS[3] seen    ZSET token -> last time the waiter asked (ms, server clock)
 * KEYS[4] ticket counter
 * KEYS[5] event STREAM: each entry names waiters that may now take a permit (field `grant`, space-separated)
 *
 * `begin(stale)` reads TIME and, before writing anything, reads the seen, queue and event keys (a key of the
 * wrong type fails the call right there, with WRONGTYPE, and nothing changed); then it drops holders whose
 * expiry has passed and waiters unseen for `stale` ms. It returns the time and the last event id.
 * `eligible(limit)` lists the queued tokens that may take a permit now (rank < limit - holders); `announce`
 * appends them to the event stream so their processes wake at once, and returns the new entry's id.
 * `upkeep` sets every key's expiry to when it would be empty anyway (the ticket counter goes with an empty
 * queue), so an idle semaphore leaves no keys behind.
 */
export const SEMAPHORE_COMMON = `
local function begin(stale)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - stale)
  redis.call('ZCARD', KEYS[2])
  local last = redis.call('XREVRANGE', KEYS[5], '+', '-', 'COUNT', 1)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  for _, tok in ipairs(gone) do
    redis.call('ZREM', KEYS[2], tok)
    redis.call('ZREM', KEYS[3], tok)
  end
  local id = '0-0'
  if last[1] then id = last[1][1] end
  return now, id
end

local function eligible(limit)
  local free = limit - redis.call('ZCARD', KEYS[1])
  if free <= 0 then return {} end
  return redis.call('ZRANGE', KEYS[2], 0, free - 1)
end

local function announce(list, eventTtl)
  if #list == 0 then return nil end
  local id = redis.call('XADD', KEYS[5], 'MAXLEN', 16, '*', 'grant', table.concat(list, ' '))
  redis.call('PEXPIRE', KEYS[5], eventTtl)
  return id
end

local function upkeep(now, stale)
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIRE', KEYS[1], tonumber(last[2]) - now + 1) end
  if redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('PEXPIRE', KEYS[2], stale * 2)
    redis.call('PEXPIRE', KEYS[3], stale * 2)
    redis.call('PEXPIRE', KEYS[4], stale * 2)
  else
    redis.call('DEL', KEYS[3], KEYS[4])
  end
end
`;
