/**
 * Compare-and-set on a string key: writes the new value only when the current one matches.
 * KEYS[1] the string key
 * ARGV[1] the expected value (a prefix of the current value in 'prefix' mode)
 * ARGV[2] the new value
 * ARGV[3] 'prefix' or 'exact'
 * ARGV[4] '1' to keep the key's time to live (SET … KEEPTTL), '0' to clear it like a plain SET
 * Returns 1 when written, 0 when the key is missing or does not match.
 */
export const CAS = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if ARGV[3] == 'exact' then
  if current ~= ARGV[1] then return 0 end
elseif string.sub(current, 1, #ARGV[1]) ~= ARGV[1] then
  return 0
end
if ARGV[4] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 1
`;
