/**
 * Reads one element of an array hash (fields "0".."n-1"); negative indexes count from the end.
 * KEYS[1] the array hash
 * ARGV[1] the index
 * Returns the value, or nil when the index is out of range.
 */
export const ARRAY_AT = `
local n = redis.call('HLEN', KEYS[1])
local i = tonumber(ARGV[1])
if i < 0 then i = i + n end
if i < 0 or i >= n then return nil end
return redis.call('HGET', KEYS[1], i)
`;
