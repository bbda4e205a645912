/**
 * A Lua prelude shared by the write scripts: `check(first, last, want)` raises WRONGTYPE (before any write) when a
 * key in KEYS[first..last] holds another type than `want`.
 */
export const CHECK_TYPES = `
local function check(first, last, want)
  for i = first, last do
    local t = redis.call('TYPE', KEYS[i])['ok']
    if t ~= 'none' and t ~= want then
      return redis.error_reply('WRONGTYPE ' .. KEYS[i] .. ' holds a ' .. t .. ', expected a ' .. want)
    end
  end
end
`;
