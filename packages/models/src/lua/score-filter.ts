/**
 * Copies the members of a continuous index whose score lies in a range into a SET (so range results combine with
 * the other index sets as plain members). Runs inside the query's MULTI.
 *
 * KEYS[1]: the continuous index ZSET. KEYS[2]: the destination SET (a temporary key).
 * ARGV[1], ARGV[2]: ZRANGEBYSCORE bounds (`(` for exclusive, `-inf` / `+inf`).
 * Returns the number of members copied.
 */
export const SCORE_FILTER_LUA = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2])
for i = 1, #ids, 1000 do
  redis.call('SADD', KEYS[2], unpack(ids, i, math.min(i + 999, #ids)))
end
return #ids
`;
