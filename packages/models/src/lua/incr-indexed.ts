/**
 * Adds to a numeric field and moves its index entries, without losing increments made concurrently by others.
 * The caller read the field as `v0` and declares the absolute index keys of the next values it could hold if other
 * callers added the same amount meanwhile (`v0`, `v0+by`, `v0+2by`…): the script finds the stored value among those
 * candidates and applies the matching step, so concurrent increments by one amount never conflict.
 *
 * KEYS[1]: the record hash. KEYS[2]: the field's continuous index ZSET (any key when the field has none).
 * KEYS[3..]: per candidate j, the absolute index SET of candidate j, then that of its successor (none when the
 * field has no index).
 * ARGV[1]: field. ARGV[2]: member (hash id). ARGV[3]: `1` when the field is indexed, else `0`.
 * ARGV[4]: candidate count n. ARGV[5..4+n]: candidate stored values. ARGV[5+n..4+2n]: their successors.
 * Returns `{ 'OK', new value }`, or `{ 'WALRUS_CONFLICT', stored value or '' }` when the stored value is none of the
 * candidates (nothing written). Errors: `WALRUS_NOTFOUND` when the record does not exist.
 */
export const INCR_INDEXED_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.error_reply('WALRUS_NOTFOUND record does not exist')
end
local field, member, indexed, n = ARGV[1], ARGV[2], ARGV[3] == '1', tonumber(ARGV[4])
local stored = redis.call('HGET', KEYS[1], field) or ''
for j = 1, n do
  if ARGV[4 + j] == stored then
    local nextValue = ARGV[4 + n + j]
    redis.call('HSET', KEYS[1], field, nextValue)
    if indexed then
      redis.call('SREM', KEYS[1 + 2 * j], member)
      redis.call('SADD', KEYS[2 + 2 * j], member)
      redis.call('ZADD', KEYS[2], nextValue, member)
    end
    return { 'OK', nextValue }
  end
end
return { 'WALRUS_CONFLICT', stored }
`;
