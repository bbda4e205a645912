import { Script } from '@walrus/core';

/**
 * Counts the permits held now (expiry after the server's current time). Read-only.
 *
 * KEYS[1] holders ZSET token -> expiry (ms, server clock)
 * ARGV none
 * Returns the number of live holders.
 */
export const SEMAPHORE_COUNT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`;

/** The script object of {@link SEMAPHORE_COUNT}. */
export const semaphoreCount = new Script<number>('semaphore.count', SEMAPHORE_COUNT, { numKeys: 1, readOnly: true });
