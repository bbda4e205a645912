import { CHECK_TYPES } from './check-types';

/**
 * Removes one object: its data, title, id+type boost and its entries in the prefix ZSETs of its title (ZREM
 * only, so entries of other phrases stay; Redis deletes a ZSET when its last member goes), if the stored title is
 * still the one the caller read.
 *
 * KEYS[1]  NS:d  HASH member -> JSON data
 * KEYS[2]  NS:t  HASH member -> title
 * KEYS[3]  NS:b  HASH boost field -> multiplier
 * KEYS[4..] prefix ZSETs of the stored title
 *
 * ARGV[1]  member (`<id>\x01<type>`, also its boost field)
 * ARGV[2]  expected title ('' when none was stored)
 *
 * Returns {1} removed; {2} not stored; {0} the title changed: nothing written.
 */
export const REMOVE = `${CHECK_TYPES}
local member = ARGV[1]
local current = redis.call('HGET', KEYS[2], member)
if not current and redis.call('HEXISTS', KEYS[1], member) == 0 then return {2} end
if (current or '') ~= ARGV[2] then return {0} end
-- Every key must hold its type before the first write, so a failure leaves nothing half-written.
local err = check(1, 1, 'hash') or check(3, 3, 'hash') or check(4, #KEYS, 'zset')
if err then return err end
for i = 4, #KEYS do
  redis.call('ZREM', KEYS[i], member)
end
redis.call('HDEL', KEYS[1], member)
redis.call('HDEL', KEYS[2], member)
redis.call('HDEL', KEYS[3], member)
return {1}
`;
