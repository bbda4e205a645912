/**
 * Claims the next idle pending entries for this consumer (XAUTOCLAIM), and reads the delivery count of each (XPENDING),
 * so the caller gets both in one round trip. XAUTOCLAIM looks at no more than 10 × COUNT pending entries per call, so
 * the script calls it again (up to 100 times) while it has claimed nothing and the scan is not complete: a long
 * pending list of healthy consumers is walked in few round trips.
 *
 * KEYS[1]  the stream
 * ARGV[1]  group
 * ARGV[2]  consumer
 * ARGV[3]  min idle time, ms (Redis' clock decides)
 * ARGV[4]  cursor ('0-0' to start)
 * ARGV[5]  how many entries to claim
 *
 * Returns { next cursor ('0-0' when the scan is complete), claimed entries, their delivery counts }.
 */
export const AUTOCLAIM = `
local cursor = ARGV[4]
local entries, counts = {}, {}
for _ = 1, 100 do
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', ARGV[5])
  cursor = r[1]
  for _, e in ipairs(r[2]) do
    if type(e) == 'table' and type(e[2]) == 'table' then
      local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
      entries[#entries + 1] = e
      counts[#counts + 1] = (p[1] and p[1][4]) or 1
    end
  end
  if #entries > 0 or cursor == '0-0' then break end
end
return { cursor, entries, counts }
`;
