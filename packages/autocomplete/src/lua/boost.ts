/**
 * Multiplies a saved boost (1 when none is saved) and stores the product in its shortest round-trip form.
 *
 * KEYS[1]  NS:b  HASH boost field -> multiplier
 * ARGV[1]  boost field (`<id>\x01<type>`, `<id>\x01` or `\x01<type>`)
 * ARGV[2]  multiplier
 *
 * Returns the new multiplier as a string.
 */
export const BOOST = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local base = 1
if current then
  base = tonumber(current)
  if not base then return redis.error_reply('WALRUS_INVALID the saved boost ' .. current .. ' is not a number') end
end
local value = base * tonumber(ARGV[2])
local text
for digits = 15, 17 do
  text = string.format('%.' .. digits .. 'g', value)
  if tonumber(text) == value then break end
end
redis.call('HSET', KEYS[1], ARGV[1], text)
return text
`;
