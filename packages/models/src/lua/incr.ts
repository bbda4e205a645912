/**
 * Adds to an integer field that has no index, in place (HINCRBY), refusing records that do not exist so an
 * increment never creates a record that no index knows.
 *
 * KEYS[1]: the record hash. ARGV[1]: the field. ARGV[2]: the integer increment.
 * Returns the new value. Errors: `WALRUS_NOTFOUND` when the record does not exist.
 */
export const INCR_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('WALRUS_NOTFOUND record does not exist')
end
return redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
`;
