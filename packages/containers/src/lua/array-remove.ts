/**
 * Removes one element of an array hash (fields "0".."n-1") and shifts the later ones down by one.
 * KEYS[1] the array hash
 * ARGV[1] the index (negative counts from the end), or '' for the last element
 * Returns the removed value, or nil when the index is out of range (nothing is written).
 */
export const ARRAY_REMOVE = `
local n = redis.call('HLEN', KEYS[1])
local i = n - 1
if ARGV[1] ~= '' then
  i = tonumber(ARGV[1])
  if i < 0 then i = i + n end
end
if i < 0 or i >= n then return nil end
local value = redis.call('HGET', KEYS[1], i)
for j = i, n - 2 do
  redis.call('HSET', KEYS[1], j, redis.call('HGET', KEYS[1], j + 1))
end
redis.call('HDEL', KEYS[1], n - 1)
return value
`;
