import { createClient as createClient6, createCluster as createCluster6 } from 'redis';
import { createClient as createClient5, createCluster as createCluster5 } from 'redis5';
import { InvalidArgumentError, Script, fromClient, replyPairs, type RedisClientLike, type RedisClusterLike } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';

const majors = {
  'node-redis 6 (RESP3 default)': { createClient: createClient6, createCluster: createCluster6 },
  'node-redis 5 (RESP2 default)': { createClient: createClient5, createCluster: createCluster5 },
} as const;

describeTopologies("a user's own client", (t) => {
  for (const [label, lib] of Object.entries(majors)) {
    describe(label, () => {
      let client: RedisClientLike | RedisClusterLike;
      beforeAll(async () => {
        const o = t.connectOptions;
        type Made = { on(e: 'error', fn: () => void): void; connect(): Promise<unknown> };
        const c = (o.cluster
          ? (lib.createCluster as (x: object) => unknown)({ rootNodes: o.cluster.rootNodes })
          : (lib.createClient as (x: object) => unknown)({ url: o.url })) as Made;
        c.on('error', () => {});
        await c.connect();
        client = c as unknown as RedisClientLike | RedisClusterLike;
      });
      afterAll(async () => {
        await client.close();
      });

      it('runs commands, scripts, transactions and blocking pops with identical replies', async () => {
        const db = fromClient(client, { prefix: `${t.prefix}${label.slice(11, 12)}:` });
        const h = db.key('h');
        await db.command(['HSET', h, 'a', '1']);
        expect(await db.command(['HGETALL', h])).toEqual(['a', '1']);
        await db.command(['ZADD', db.key('z'), '2.5', 'm']);
        expect(replyPairs(await db.command(['ZRANGE', db.key('z'), '0', '-1', 'WITHSCORES']))).toEqual([['m', '2.5']]);
        const s = new Script('user-client', "return {redis.call('INCR', KEYS[1]), 'x'}");
        expect(await s.run(db, [db.key('n')])).toEqual([1, 'x']);
        const g = db.group('g');
        expect(await db.transaction(g.key('a')).command(['HSET', g.key('a'), 'f', 'v']).command(['HGETALL', g.key('a')]).exec()).toEqual([1, ['f', 'v']]);
        await db.command(['RPUSH', db.key('l'), 'x']);
        expect(await db.blocking((c) => c.command(['BLPOP', db.key('l'), '1']))).toEqual([db.key('l'), 'x']);
        const keys: string[] = [];
        for await (const k of db.scanKeys()) keys.push(k);
        expect(keys.sort()).toEqual(['h', 'n', 'z', '{g}:a'].sort());
        await db.close();
        expect(client.isOpen).toBe(true);
        expect(await db.command(['HGET', h, 'a'])).toBe('1');
      });
    });
  }

  it('rejects a client configured with a node-redis keyPrefix', async () => {
    const o = t.connectOptions;
    const c = o.cluster ? createCluster6({ rootNodes: o.cluster.rootNodes, keyPrefix: 'x:' }) : createClient6({ url: o.url, keyPrefix: 'x:' });
    expect(() => fromClient(c as unknown as RedisClientLike)).toThrow(InvalidArgumentError);
  });

  it('rejects things that are not clients', () => {
    expect(() => fromClient({} as RedisClientLike)).toThrow(InvalidArgumentError);
  });
});
