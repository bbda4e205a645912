/**
 * Applies the writes of one or more records (save, delete, incr, queryDelete) after re-checking, for each record,
 * the stored values its index changes were computed from (optimistic concurrency). Every check runs before the
 * first write, so a failed check or a key of the wrong type leaves everything as it was.
 *
 * KEYS: every key the writes touch (record hashes, the `all` set, index sets and zsets, container keys).
 * ARGV[1]: one type letter per key, checked before any write: `h` hash, `s` set, `z` zset, `-` any.
 * ARGV[2]: the number of record blocks; then per block:
 *   record key index, member (hash id), check count, (field, `1` present | `0` absent, value) per check,
 *   op token count, op tokens:
 *   `H n f v …` HSET record · `D n f …` HDEL record · `X k` DEL · `SA k` / `SR k` SADD / SREM member ·
 *   `ZA k score` / `ZR k` ZADD / ZREM member.
 * Returns the number of blocks applied, or, when a checked value changed, nothing is written and the reply is
 * `{'WALRUS_CONFLICT', block, field, HGETALL of that block's record…}` so the caller can re-plan without another
 * read. Errors: `WALRUS_WRONGTYPE <key index> <actual type>`.
 */
export const APPLY_LUA = `
local types = ARGV[1]
local names = { h = 'hash', s = 'set', z = 'zset' }
for k = 1, #KEYS do
  local want = names[string.sub(types, k, k)]
  if want then
    local actual = redis.call('TYPE', KEYS[k])['ok']
    if actual ~= 'none' and actual ~= want then
      return redis.error_reply('WALRUS_WRONGTYPE ' .. k .. ' ' .. actual)
    end
  end
end

local nblocks = tonumber(ARGV[2])
local blocks = {}
local i = 3
for b = 1, nblocks do
  local rec, member, nchecks = tonumber(ARGV[i]), ARGV[i + 1], tonumber(ARGV[i + 2])
  i = i + 3
  if nchecks > 0 then
    local fields = {}
    for c = 1, nchecks do fields[c] = ARGV[i + 3 * (c - 1)] end
    local stored = redis.call('HMGET', KEYS[rec], unpack(fields))
    for c = 1, nchecks do
      local present, value = ARGV[i + 1], ARGV[i + 2]
      if (present == '0' and stored[c]) or (present == '1' and stored[c] ~= value) then
        return { 'WALRUS_CONFLICT', b, ARGV[i], redis.call('HGETALL', KEYS[rec]) }
      end
      i = i + 3
    end
  end
  local nops = tonumber(ARGV[i])
  blocks[b] = { rec, member, i + 1, i + nops }
  i = i + nops + 1
end

for b = 1, nblocks do
  local rec, member, j, last = blocks[b][1], blocks[b][2], blocks[b][3], blocks[b][4]
  while j <= last do
    local op = ARGV[j]
    if op == 'H' or op == 'D' then
      local n = tonumber(ARGV[j + 1])
      local width = op == 'H' and 2 * n or n
      if n > 0 then
        redis.call(op == 'H' and 'HSET' or 'HDEL', KEYS[rec], unpack(ARGV, j + 2, j + 1 + width))
      end
      j = j + 2 + width
    elseif op == 'X' then
      redis.call('DEL', KEYS[tonumber(ARGV[j + 1])])
      j = j + 2
    elseif op == 'SA' then
      redis.call('SADD', KEYS[tonumber(ARGV[j + 1])], member)
      j = j + 2
    elseif op == 'SR' then
      redis.call('SREM', KEYS[tonumber(ARGV[j + 1])], member)
      j = j + 2
    elseif op == 'ZA' then
      redis.call('ZADD', KEYS[tonumber(ARGV[j + 1])], ARGV[j + 2], member)
      j = j + 3
    elseif op == 'ZR' then
      redis.call('ZREM', KEYS[tonumber(ARGV[j + 1])], member)
      j = j + 2
    else
      return redis.error_reply('WALRUS_BADOP ' .. tostring(op))
    end
  end
end
return nblocks
`;
