/**
 * Sets or clears one bit in every period key of an event, all or nothing: the types are checked before the
 * first write, so a key holding another Redis type fails the call without touching the others.
 *
 * KEYS: the period keys in bitmapist's order (month, ISO week, day[, hour][, unique]).
 * ARGV[1]: the id (bit offset). ARGV[2]: the bit value, 1 (mark) or 0 (unmark).
 * Returns the number of keys written.
 */
export const MARK_LUA = `
for i = 1, #KEYS do
  local t = redis.call('TYPE', KEYS[i]).ok
  if t ~= 'none' and t ~= 'string' then
    return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
  end
end
for i = 1, #KEYS do
  redis.call('SETBIT', KEYS[i], ARGV[1], ARGV[2])
end
return #KEYS
`;
