/**
 * Reads a key's type and, for strings, its value, in one atomic step.
 * KEYS[1] the key
 * (no ARGV)
 * Returns {type} or, for strings, {'string', value}.
 */
export const GET_KEY = `
local t = redis.call('TYPE', KEYS[1])['ok']
if t == 'string' then return {t, redis.call('GET', KEYS[1])} end
return {t}
`;
