/**
 * drop-idle-fence: deletes the fencing counter @walrus/lock keeps for a lock, once the lock is free. The cache
 * takes one lock per entry key for distributed single-flight and never uses fencing tokens, so without this every
 * key computed in distributed mode would leave a counter behind for good.
 *
 * KEYS[1]  the lock key (lock:{<cache name>:<key>})
 * KEYS[2]  its fence counter (lock.fence:{<cache name>:<key>})
 * ARGV     none
 * Returns  1 when the counter was deleted, 0 when the lock is held again (the next holder cleans up).
 */
export const DROP_IDLE_FENCE = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
return redis.call('DEL', KEYS[2])
`;
