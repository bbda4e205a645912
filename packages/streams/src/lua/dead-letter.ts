/**
 * Moves one pending entry to the dead-letter stream and acknowledges it, in one step, if this consumer still holds
 * it (so two consumers never dead-letter the same entry). The entry's fields are copied, followed by
 * _origin_stream, _origin_id, _group, _deliveries and _error.
 *
 * KEYS[1]  the stream
 * KEYS[2]  the dead-letter stream (same slot)
 * ARGV[1]  group
 * ARGV[2]  consumer
 * ARGV[3]  entry id
 * ARGV[4]  stream name as the group knows it (_origin_stream)
 * ARGV[5]  deliveries
 * ARGV[6]  last error text
 *
 * Returns the dead-letter entry id, or 0 when the entry is no longer pending for this consumer.
 */
export const DEAD_LETTER = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 or p[1][2] ~= ARGV[2] then return 0 end
local args = { KEYS[2], '*' }
local found = redis.call('XRANGE', KEYS[1], ARGV[3], ARGV[3])
if found[1] then
  for _, v in ipairs(found[1][2]) do args[#args + 1] = v end
end
local meta = { '_origin_stream', ARGV[4], '_origin_id', ARGV[3], '_group', ARGV[1], '_deliveries', ARGV[5], '_error', ARGV[6] }
for _, v in ipairs(meta) do args[#args + 1] = v end
local id = redis.call('XADD', unpack(args))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
return id
`;
