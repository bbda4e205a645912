/**
 * Removes the list element at an index and returns it (nil when the index is out of range).
 * KEYS[1] the list
 * ARGV[1] the index (negative counts from the tail)
 * ARGV[2] a marker unique to this call: the element is overwritten with it (LSET), then the marker is removed (LREM)
 */
export const LIST_REMOVE_AT = `
local value = redis.call('LINDEX', KEYS[1], ARGV[1])
if not value then return nil end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('LREM', KEYS[1], 1, ARGV[2])
return value
`;
