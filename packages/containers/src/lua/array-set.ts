/**
 * Replaces one element of an array hash (fields "0".."n-1"); negative indexes count from the end.
 * KEYS[1] the array hash
 * ARGV[1] the index
 * ARGV[2] the new value
 * Returns {1, length} when set, {0, length} when the index is out of range (nothing is written).
 */
export const ARRAY_SET = `
local n = redis.call('HLEN', KEYS[1])
local i = tonumber(ARGV[1])
if i < 0 then i = i + n end
if i < 0 or i >= n then return {0, n} end
redis.call('HSET', KEYS[1], i, ARGV[2])
return {1, n}
`;
