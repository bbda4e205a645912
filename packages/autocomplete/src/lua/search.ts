/**
 * Reads one search. Multi-word searches intersect the words' prefix ZSETs (SUM) into a cache key when it is
 * missing (expiring after the cache TTL, or deleted at the end when the TTL is 0).
 *
 * Without boosts it returns data values in rank order from `ARGV[2]` on, skipping members without data.
 * With boosts (saved in NS:b or given in ARGV) every member's score is multiplied by 1/m for its id+type, id and
 * type multipliers, the members are sorted by that score and the best ones with data are returned with their
 * boosted scores, plus every member tied with the last one, so the caller can order ties by member bytes (Lua's
 * string order follows the server's locale). Nothing is written back: boosts never compound.
 *
 * KEYS[1]  NS:d  HASH member -> JSON data
 * KEYS[2]  NS:b  HASH boost field (`id\x01type`, `id\x01`, `\x01type`) -> multiplier
 * KEYS[3]  the ZSET read: a prefix ZSET (NS:s:<word>) or the cache key (NS:c:<w1|w2…>)
 * KEYS[4..] prefix ZSETs intersected into the cache key (multi-word searches only)
 *
 * ARGV[1]  cache TTL in milliseconds ('0': no cache)
 * ARGV[2]  first rank to read (searches without boosts)
 * ARGV[3]  most data values to return without boosts (a page; -1: all)
 * ARGV[4]  most data values to return with boosts (-1: all)
 * ARGV[5..] one-off boosts: key (an id, a type, or `id\x01type`), multiplier, …
 *
 * Returns {0, next rank or -1 at the end, {data…}} without boosts, {1, {member, boosted score, data, …}} with.
 */
export const SEARCH = `
local intersect = #KEYS > 3
if intersect and redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('ZINTERSTORE', KEYS[3], #KEYS - 3, unpack(KEYS, 4))
  if ARGV[1] ~= '0' then redis.call('PEXPIRE', KEYS[3], ARGV[1]) end
end

local function split(s)
  local at = string.find(s, '\\1', 1, true)
  if not at then return s, '' end
  return string.sub(s, 1, at - 1), string.sub(s, at + 1)
end

local function plain()
  local rank, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
  local chunk = 1000
  if limit > 0 and limit < chunk then chunk = limit end
  local out = {}
  while true do
    local ids = redis.call('ZRANGE', KEYS[3], rank, rank + chunk - 1)
    if #ids == 0 then return {0, -1, out} end
    local values = redis.call('HMGET', KEYS[1], unpack(ids))
    for i = 1, #ids do
      if values[i] then
        out[#out + 1] = values[i]
        if #out == limit then return {0, rank + i, out} end
      end
    end
    rank = rank + #ids
    if #ids < chunk then return {0, -1, out} end
  end
end

local function boosted(saved)
  local limit = tonumber(ARGV[4])
  local pairs_, ids, types = {}, {}, {}
  for i = 1, #saved, 2 do
    local m = tonumber(saved[i + 1])
    if m and m > 0 then
      local id, ty = split(saved[i])
      if id ~= '' and ty ~= '' then pairs_[saved[i]] = m
      elseif id ~= '' then ids[id] = m
      elseif ty ~= '' then types[ty] = m end
    end
  end
  for i = 5, #ARGV, 2 do
    local m = tonumber(ARGV[i + 1])
    if string.find(ARGV[i], '\\1', 1, true) then pairs_[ARGV[i]] = m else ids[ARGV[i]] = m; types[ARGV[i]] = m end
  end
  local all = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local rows = {}
  for i = 1, #all, 2 do
    local member, score = all[i], tonumber(all[i + 1])
    local id, ty = split(member)
    local m
    if id ~= '' and ty ~= '' then m = pairs_[member]; if m then score = score * (1 / m) end end
    if id ~= '' then m = ids[id]; if m then score = score * (1 / m) end end
    if ty ~= '' then m = types[ty]; if m then score = score * (1 / m) end end
    rows[#rows + 1] = {score, member}
  end
  table.sort(rows, function(a, b) return a[1] < b[1] end)
  local out, found, last = {}, 0, nil
  local size = 1000
  if limit > 0 and limit < 990 then size = limit + 10 end
  local i = 1
  while i <= #rows do
    local batch = {}
    for j = i, math.min(#rows, i + size - 1) do batch[#batch + 1] = rows[j][2] end
    local values = redis.call('HMGET', KEYS[1], unpack(batch))
    for j = 1, #batch do
      local row = rows[i + j - 1]
      if values[j] then
        -- Past the limit, only members tied with the last one kept still count.
        if limit > 0 and found >= limit and row[1] ~= last then return {1, out} end
        out[#out + 1] = row[2]
        out[#out + 1] = string.format('%.17g', row[1])
        out[#out + 1] = values[j]
        found = found + 1
        last = row[1]
      end
    end
    i = i + #batch
  end
  return {1, out}
end

local saved = redis.call('HGETALL', KEYS[2])
local result
if #saved > 0 or #ARGV > 4 then result = boosted(saved) else result = plain() end
if intersect and ARGV[1] == '0' then redis.call('DEL', KEYS[3]) end
return result
`;
