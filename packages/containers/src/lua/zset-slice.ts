/**
 * Reads a rank slice of a sorted set whose bounds may be members: each member bound is replaced by its rank
 * (ZRANK, or ZREVRANK when reversed) and the slice read with ZRANGE, all in one atomic step. The end is exclusive.
 * KEYS[1] the sorted set
 * ARGV[1] start kind: 'i' (index), 'm' (member) or 'n' (none: 0)
 * ARGV[2] the start index or member
 * ARGV[3] end kind: 'i' (index), 'm' (member) or 'n' (none: to the end)
 * ARGV[4] the end index or member
 * ARGV[5] '1' to rank from the highest score (REV)
 * ARGV[6] '1' to return scores (WITHSCORES)
 * Raises WALRUS_NOTFOUND when a member bound is not in the set.
 */
export const ZSET_SLICE = `
local function rank(member)
  if ARGV[5] == '1' then return redis.call('ZREVRANK', KEYS[1], member) end
  return redis.call('ZRANK', KEYS[1], member)
end
local start = 0
if ARGV[1] == 'i' then
  start = tonumber(ARGV[2])
elseif ARGV[1] == 'm' then
  start = rank(ARGV[2])
  if not start then return redis.error_reply('WALRUS_NOTFOUND the start member is not in the sorted set') end
end
local stop = -1
if ARGV[3] ~= 'n' then
  local e
  if ARGV[3] == 'i' then
    e = tonumber(ARGV[4])
  else
    e = rank(ARGV[4])
    if not e then return redis.error_reply('WALRUS_NOTFOUND the end member is not in the sorted set') end
  end
  if e == 0 then return {} end
  stop = e - 1
end
local args = {'ZRANGE', KEYS[1], start, stop}
if ARGV[5] == '1' then args[#args + 1] = 'REV' end
if ARGV[6] == '1' then args[#args + 1] = 'WITHSCORES' end
return redis.call(unpack(args))
`;
