/**
 * Appends values to an array hash (fields "0".."n-1") as fields n, n+1, …
 * KEYS[1] the array hash
 * ARGV the values, in order
 * Returns the new length.
 */
export const ARRAY_PUSH = `
local n = redis.call('HLEN', KEYS[1])
for i = 1, #ARGV do
  redis.call('HSET', KEYS[1], n + i - 1, ARGV[i])
end
return n + #ARGV
`;
