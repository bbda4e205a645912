/**
 * Indexes, re-indexes or un-indexes one document atomically, if the stored state is still what the caller
 * tokenized (optimistic write: otherwise nothing is written and the current state is returned).
 *
 * KEYS[1]   the index's document SET (`fts.{N}`)
 * KEYS[2]   the document HASH (`doc.{N}.<key>`)
 * KEYS[3..] token ZSETs (`fts.{N}.<token>`): the tokens of the stored content and of the new one
 *
 * ARGV[1]   document key (member of the SET and of the token ZSETs)
 * ARGV[2]   expected state: '0' = not indexed, '1' = indexed with content ARGV[3]
 * ARGV[3]   expected content
 * ARGV[4]   action: 'merge' (add/update: metadata merged), 'replace' (metadata dropped),
 *           'remove' (hash deleted), 'preserve' (un-indexed, hash kept)
 * ARGV[5]   new content
 * ARGV[6]   m = number of metadata fields; ARGV[7 .. 6+2m] field, value pairs
 * ARGV[7+2m ..] one per token key, in KEYS order: the document's new score there, or '' to take it out
 *
 * Returns {1} written; {0, indexed (0|1), content} the state differs, nothing written; {2} not indexed (removals).
 * Raises WRONGTYPE before any write when a key holds another type (checked once the state matches).
 */
export const WRITE_DOCUMENT = `
local function check(key, want)
  local t = redis.call('TYPE', key)['ok']
  if t ~= 'none' and t ~= want then
    return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. t .. ', expected a ' .. want)
  end
end

-- Reads first (a wrong type fails them before anything is written), then the state check.
local member, action = ARGV[1], ARGV[4]
local indexed = redis.call('SISMEMBER', KEYS[1], member) == 1
local content = ''
if indexed then content = redis.call('HGET', KEYS[2], 'content') or '' end

if (action == 'remove' or action == 'preserve') and not indexed then return {2} end
if ARGV[2] == '0' then
  if indexed then return {0, 1, content} end
elseif not indexed then
  return {0, 0, ''}
elseif content ~= ARGV[3] then
  return {0, 1, content}
end

-- Every key must hold its type before the first write, so a failure leaves nothing half-written.
local err = check(KEYS[2], 'hash')
if err then return err end
for i = 3, #KEYS do
  err = check(KEYS[i], 'zset')
  if err then return err end
end

local m = tonumber(ARGV[6])
local scores = 7 + 2 * m
for i = 3, #KEYS do
  local s = ARGV[scores + i - 3]
  if s == '' then
    redis.call('ZREM', KEYS[i], member)
  else
    redis.call('ZADD', KEYS[i], s, member)
  end
end

if action == 'remove' or action == 'preserve' then
  redis.call('SREM', KEYS[1], member)
  if action == 'remove' then redis.call('DEL', KEYS[2]) end
else
  redis.call('SADD', KEYS[1], member)
  if action == 'replace' then redis.call('DEL', KEYS[2]) end
  redis.call('HSET', KEYS[2], 'content', ARGV[5])
  for i = 7, 6 + 2 * m, 2 do
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return {1}
`;
