/**
 * Reads elements of an array hash (fields "0".."n-1") in index order, with Array.prototype.slice bounds
 * (end exclusive, negatives from the end), in HMGET batches of 1000 fields.
 * KEYS[1] the array hash
 * ARGV[1] the start index
 * ARGV[2] the end index, or '' for the end of the array
 * Returns the values.
 */
export const ARRAY_SLICE = `
local n = redis.call('HLEN', KEYS[1])
local function clamp(v)
  if v < 0 then v = v + n end
  if v < 0 then v = 0 end
  if v > n then v = n end
  return v
end
local s = clamp(tonumber(ARGV[1]))
local e = n
if ARGV[2] ~= '' then e = clamp(tonumber(ARGV[2])) end
local out = {}
local i = s
while i < e do
  local last = math.min(i + 999, e - 1)
  local fields = {}
  for j = i, last do fields[#fields + 1] = j end
  local values = redis.call('HMGET', KEYS[1], unpack(fields))
  for j = 1, #fields do out[#out + 1] = values[j] or '' end
  i = last + 1
end
return out
`;
