/**
 * Re-claims one page of this consumer's own pending entries (XPENDING … consumer, then XCLAIM to itself, which
 * counts a delivery), leaving out entries whose next delivery would exceed the limit so the caller can dead-letter
 * them. Ids whose entries were deleted are acknowledged (Redis 6.2 keeps them pending; 7+ drops them in XCLAIM).
 *
 * KEYS[1]  the stream
 * ARGV[1]  group
 * ARGV[2]  consumer
 * ARGV[3]  first id of the page ('-' or '(<id>' exclusive)
 * ARGV[4]  page size
 * ARGV[5]  max deliveries (0 = no limit)
 *
 * Returns { last pending id seen or '', number of pending entries seen, claimed entries, their delivery counts,
 *           ids over the limit, their delivery counts }.
 */
export const CLAIM_OWN = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], '+', tonumber(ARGV[4]), ARGV[2])
local max = tonumber(ARGV[5])
local claim, counts, over, overCounts = {}, {}, {}, {}
for _, p in ipairs(pending) do
  if max > 0 and p[4] >= max then
    over[#over + 1] = p[1]
    overCounts[#overCounts + 1] = p[4]
  else
    claim[#claim + 1] = p[1]
    counts[p[1]] = p[4]
  end
end
local entries, claimedCounts, seen = {}, {}, {}
if #claim > 0 then
  for _, e in ipairs(redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(claim))) do
    if type(e) == 'table' and type(e[2]) == 'table' then
      entries[#entries + 1] = e
      claimedCounts[#claimedCounts + 1] = counts[e[1]] + 1
      seen[e[1]] = true
    end
  end
  local gone = {}
  for _, id in ipairs(claim) do
    if not seen[id] then gone[#gone + 1] = id end
  end
  if #gone > 0 then redis.call('XACK', KEYS[1], ARGV[1], unpack(gone)) end
end
local last = ''
if #pending > 0 then last = pending[#pending][1] end
return { last, #pending, entries, claimedCounts, over, overCounts }
`;
