/**
 * The opening every rate-limit script shares: it reads the arguments every algorithm takes and refuses a key of
 * another Redis type before anything is written.
 *
 * KEYS[1]  the limited key
 * ARGV[1]  limit, ARGV[2] per (µs), ARGV[3] burst, ARGV[4] cost, ARGV[5] '1' to record an allowed call
 */
export function prologue(type: 'hash' | 'list' | 'string'): string {
  return `
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local per = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local record = ARGV[5] == '1'
local kind = redis.call('TYPE', key)['ok']
if kind ~= 'none' and kind ~= '${type}' then return redis.error_reply('WALRUS_WRONGTYPE ' .. kind) end`;
}

/** `now` in microseconds from the server's clock (never the client's). */
export const NOW = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])`;
