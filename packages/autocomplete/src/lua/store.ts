import { CHECK_TYPES } from './check-types';

/**
 * Stores one object: data, title and the prefix ZSET entries of its title, leaving the entries of its previous
 * title, if the stored title is still the one the caller expects (optimistic write). An unchanged title only
 * rewrites the data.
 *
 * KEYS[1]          NS:d  HASH member -> JSON data
 * KEYS[2]          NS:t  HASH member -> title
 * KEYS[3 .. 2+n]   prefix ZSETs (NS:s:<prefix>) of the stored title that the new title does not have
 * KEYS[3+n ..]     prefix ZSETs of the new title
 *
 * ARGV[1]  member (`<id>\x01<type>`)
 * ARGV[2]  expected state: '0' nothing stored, '1' stored with title ARGV[3]
 * ARGV[3]  expected title
 * ARGV[4]  new title
 * ARGV[5]  JSON data
 * ARGV[6]  n
 * ARGV[7 ..] the score of each new prefix ZSET, in KEYS order
 *
 * Returns {1} written; {0} nothing stored after all, or {0, title} another title is stored: nothing written.
 */
export const STORE = `${CHECK_TYPES}
-- Reads first (a wrong type fails them before anything is written), then the state check.
local member = ARGV[1]
local current = redis.call('HGET', KEYS[2], member)
if current == ARGV[4] then
  redis.call('HSET', KEYS[1], member, ARGV[5])
  return {1}
end
if ARGV[2] == '0' then
  if current then return {0, current} end
elseif current ~= ARGV[3] then
  if current then return {0, current} end
  return {0}
end
-- Every key must hold its type before the first write, so a failure leaves nothing half-written.
local err = check(1, 1, 'hash') or check(3, #KEYS, 'zset')
if err then return err end
local n = tonumber(ARGV[6])
for i = 3, 2 + n do
  redis.call('ZREM', KEYS[i], member)
end
for i = 3 + n, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[4 + i - n], member)
end
redis.call('HSET', KEYS[1], member, ARGV[5])
redis.call('HSET', KEYS[2], member, ARGV[4])
return {1}
`;
