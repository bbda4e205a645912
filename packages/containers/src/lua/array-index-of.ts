/**
 * Finds the first index of a value in an array hash (fields "0".."n-1").
 * KEYS[1] the array hash
 * ARGV[1] the value
 * Returns the index, or -1.
 */
export const ARRAY_INDEX_OF = `
local n = redis.call('HLEN', KEYS[1])
for i = 0, n - 1 do
  if redis.call('HGET', KEYS[1], i) == ARGV[1] then return i end
end
return -1
`;
