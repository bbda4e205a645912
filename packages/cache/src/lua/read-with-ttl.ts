/**
 * read-with-ttl: reads a cache entry and its remaining lifetime in one atomic step (stale-while-revalidate reads).
 *
 * KEYS[1]  the entry
 * ARGV     none
 * Returns  { pttl, value }: pttl is -2 when the entry is missing (value nil), -1 when it never expires,
 *          else the milliseconds it has left.
 */
export const READ_WITH_TTL = `local value = redis.call('GET', KEYS[1])
return { redis.call('PTTL', KEYS[1]), value }
`;
