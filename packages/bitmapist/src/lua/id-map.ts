/**
 * Maps a string id to a dense integer id (0, 1, 2, …), creating the mapping on first sight.
 *
 * KEYS[1]: the forward hash (string id -> integer). KEYS[2]: the reverse hash (integer -> string id).
 * KEYS[3]: the counter of ids handed out so far.
 * ARGV[1]: the string id. ARGV[2]: the largest integer id allowed (2^32 - 1).
 * Returns the integer id; raises WALRUS_RANGE when every integer id is taken. Every key's type is checked before
 * the first write, so a foreign key fails the call without a half-written mapping.
 */
export const ID_MAP_LUA = `
local n = redis.call('HGET', KEYS[1], ARGV[1])
if n then return tonumber(n) end
local rev = redis.call('TYPE', KEYS[2]).ok
if rev ~= 'none' and rev ~= 'hash' then
  return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
end
local used = tonumber(redis.call('GET', KEYS[3]) or '0')
if used > tonumber(ARGV[2]) then
  return redis.error_reply('WALRUS_RANGE every integer id up to ' .. ARGV[2] .. ' is taken')
end
redis.call('SET', KEYS[3], used + 1)
redis.call('HSET', KEYS[1], ARGV[1], used)
redis.call('HSET', KEYS[2], used, ARGV[1])
return used
`;
