import { setTimeout as sleep } from 'node:timers/promises';
import { CrossSlotError, InvalidArgumentError, Script, ScriptError, WrongTypeError, keySlot, replyPairs, type Walrus } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';

describeTopologies('Walrus handle', (t) => {
  it('prefixes keys, groups them under a tag and rejects empty names', () => {
    expect(t.db.key('a')).toBe(`${t.prefix}a`);
    const g = t.db.group('u');
    expect(g.key('a')).toBe(`${t.prefix}{u}:a`);
    expect(keySlot(g.key('a'))).toBe(keySlot(g.key('zzz')));
    expect(() => t.db.key('')).toThrow(InvalidArgumentError);
    expect(() => t.db.group('')).toThrow(InvalidArgumentError);
    expect(() => t.db.group('a{b')).toThrow(InvalidArgumentError);
  });

  it('maps every key of one Keyspace to one CLUSTER KEYSLOT', async () => {
    const ks = t.db.keyspace('jobs');
    const keys = [ks.key('lock:'), ks.key('lock.event:'), ks.key('semaphore.queue:', ':x'), ks.temp()];
    const slots = new Set(keys.map(keySlot));
    expect(slots.size).toBe(1);
    if (t.isCluster) {
      const server = await Promise.all(keys.map((k) => t.rawCommand<number>(['CLUSTER', 'KEYSLOT', k], k)));
      expect(new Set(server.map(Number))).toEqual(slots);
    }
    expect(t.db.keyspace('jobs', { hashTag: false }).key('lock:')).toBe(`${t.prefix}lock:jobs`);
  });

  it('normalises replies to one shape', async () => {
    const h = t.db.key('h');
    await t.db.command(['HSET', h, 'a', '1', 'b', '2']);
    const all = await t.db.command<string[]>(['HGETALL', h]);
    expect(Object.fromEntries([[all[0], all[1]], [all[2], all[3]]])).toEqual({ a: '1', b: '2' });
    const z = t.db.key('z');
    await t.db.command(['ZADD', z, '1.5', 'm', '2', 'n']);
    expect(replyPairs(await t.db.command(['ZRANGE', z, '0', '-1', 'WITHSCORES']))).toEqual([['m', '1.5'], ['n', '2']]);
    expect(await t.db.command(['ZSCORE', z, 'm'])).toBe('1.5');
    const bin = Buffer.from([0, 200, 255]);
    await t.db.command(['SET', t.db.key('bin'), bin]);
    expect(await t.db.command(['GET', t.db.key('bin')], { buffers: true })).toEqual(bin);
  });

  it('turns WRONGTYPE into a WrongTypeError naming key, expected and actual type', async () => {
    const k = t.db.key('wt');
    await t.db.command(['RPUSH', k, 'x']);
    const err = await t.db.command(['HGET', k, 'f'], { type: 'hash' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: k, expected: 'hash', actual: 'list' });
  });

  describe('Script', () => {
    const incr = new Script('incr-by', "return redis.call('INCRBY', KEYS[1], ARGV[1])");

    it('runs by SHA, and its SHA is what SCRIPT LOAD computes', async () => {
      const k = t.db.key('n');
      expect(await incr.run(t.db, [k], [5])).toBe(5);
      expect(await t.rawCommand(['SCRIPT', 'LOAD', incr.source], k)).toBe(incr.sha);
    });

    it('recovers after SCRIPT FLUSH on every node', async () => {
      const k = t.db.key('flushed');
      await incr.run(t.db, [k], [1]);
      const nodes = await t.masters();
      for (const n of nodes) await n.sendCommand(['SCRIPT', 'FLUSH']);
      expect(await incr.run(t.db, [k], [1])).toBe(2);
      // The fallback EVAL loaded the script again, on the node owning the key only.
      const loaded = await Promise.all(nodes.map((n) => n.sendCommand(['SCRIPT', 'EXISTS', incr.sha])));
      expect(loaded.map((r) => Number((r as unknown as number[])[0])).reduce((a, b) => a + b)).toBe(1);
    });

    it('runs on nodes that never saw the script', async () => {
      const fresh = new Script('fresh', `return redis.call('SET', KEYS[1], ARGV[1]) -- ${Math.random()}`);
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => t.db.key(n));
      if (t.isCluster) expect(new Set(keys.map(keySlot)).size).toBeGreaterThan(2);
      for (const k of keys) expect(await fresh.run(t.db, [k], ['v'])).toBe('OK');
      const values = await Promise.all(keys.map((k) => t.rawCommand(['GET', k], k)));
      expect(values).toEqual(keys.map(() => 'v'));
    });

    it('refuses keys in two slots on a cluster with a CrossSlotError naming them, writing nothing', async () => {
      const two = new Script('two', "redis.call('SET', KEYS[1], 1); redis.call('SET', KEYS[2], 1); return 1");
      const [a, b] = [t.db.key('left'), t.db.key('right-x')];
      expect(keySlot(a)).not.toBe(keySlot(b));
      if (t.isCluster) {
        const err = await two.run(t.db, [a, b]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CrossSlotError);
        expect((err as CrossSlotError).keys).toEqual([a, b]);
        expect((err as Error).message).toContain(a);
        expect(await t.rawCommand(['EXISTS', a], a)).toBe(0);
      } else {
        expect(await two.run(t.db, [a, b])).toBe(1);
      }
      const g = t.db.group('pair');
      expect(await two.run(t.db, [g.key('left'), g.key('right')])).toBe(1);
    });

    it('surfaces WALRUS_<CODE> errors as ScriptError with the reason', async () => {
      const fail = new Script('fail', "return redis.error_reply('WALRUS_CONFLICT changed under us')");
      const err = await fail.run(t.db, [t.db.key('x')]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScriptError);
      expect(err).toMatchObject({ reason: 'CONFLICT', script: 'fail', sha: fail.sha });
    });

    it('maps WRONGTYPE inside a script to WrongTypeError when told the expected types', async () => {
      const k = t.db.key('str');
      await t.db.command(['SET', k, 'x']);
      const hset = new Script('hset', "return redis.call('HSET', KEYS[1], 'f', 'v')");
      await expect(hset.run(t.db, [k], [], { types: { [k]: 'hash' } })).rejects.toMatchObject({ name: 'WrongTypeError', key: k, actual: 'string' });
    });

    it('runs read-only scripts and queues scripts inside a transaction', async () => {
      const k = t.db.key('ro');
      await t.db.command(['SET', k, '41']);
      const read = new Script('read', "return redis.call('GET', KEYS[1])", { readOnly: true });
      expect(await read.run(t.db, [k])).toBe('41');
      const replies = await t.db.transaction(k).script(incr, [k], [1]).command(['GET', k]).exec();
      expect(replies).toEqual([42, '42']);
    });

    it('validates its arguments before sending anything', async () => {
      await expect(incr.run(t.db, [])).rejects.toThrow(InvalidArgumentError);
      await expect(incr.run(t.db, [t.db.key('n')], [NaN])).rejects.toThrow(InvalidArgumentError);
      await expect(incr.run(t.db, [t.db.key('n')], [{} as never])).rejects.toThrow(InvalidArgumentError);
      const fixed = new Script('fixed', 'return 1', { numKeys: 2 });
      await expect(fixed.run(t.db, [t.db.key('n')])).rejects.toThrow(InvalidArgumentError);
    });
  });

  it('runs a transaction atomically and refuses cross-slot batches on a cluster', async () => {
    const g = t.db.group('tx');
    const replies = await t.db.transaction(g.key('a')).command(['SET', g.key('a'), '1']).command(['INCR', g.key('b')]).exec();
    expect(replies).toEqual(['OK', 1]);
    if (t.isCluster) {
      const [a, b] = [t.db.key('left'), t.db.key('right-x')];
      await expect(t.db.transaction(a).command(['SET', a, '1']).command(['SET', b, '1']).exec()).rejects.toThrow(CrossSlotError);
      expect(await t.rawCommand(['EXISTS', a], a)).toBe(0);
    }
  });

  describe('blocking connections', () => {
    it('keep a 1 s BLPOP from stalling other commands', async () => {
      const list = t.db.key('blist');
      await t.db.command(['SET', t.db.key('probe'), 'v']);
      const started = Date.now();
      const pop = t.db.blocking((c) => c.command(['BLPOP', list, '1']));
      await sleep(50);
      const t0 = performance.now();
      expect(await t.db.command(['GET', t.db.key('probe')])).toBe('v');
      const elapsed = performance.now() - t0;
      expect(elapsed).toBeLessThan(50);
      expect(await pop).toBeNull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('reject with the abort reason and never send when aborted before the start', async () => {
      const ac = new AbortController();
      ac.abort(new Error('stop'));
      let called = false;
      await expect(
        t.db.blocking(async () => {
          called = true;
        }, { signal: ac.signal }),
      ).rejects.toThrow('stop');
      expect(called).toBe(false);
    });

    it('destroy the connection when aborted mid-command and keep serving others', async () => {
      const ac = new AbortController();
      const t0 = Date.now();
      const pop = t.db.blocking((c) => c.command(['BLPOP', t.db.key('never'), '0']), { signal: ac.signal });
      setTimeout(() => ac.abort(new Error('enough')), 100);
      await expect(pop).rejects.toThrow('enough');
      expect(Date.now() - t0).toBeLessThan(1000);
      await t.db.command(['RPUSH', t.db.key('later'), 'x']);
      expect(await t.db.blocking((c) => c.command(['BLPOP', t.db.key('later'), '1']))).toEqual([t.db.key('later'), 'x']);
    });

    it('queue callers beyond maxBlockingConnections in arrival order', async () => {
      const db: Walrus = await t.connect({ maxBlockingConnections: 1 });
      const list = db.key('fifo');
      const order: number[] = [];
      const pops = [1, 2, 3].map((i) => db.blocking(async (c) => {
        const r = await c.command<[string, string] | null>(['BLPOP', list, '2']);
        order.push(i);
        return r?.[1];
      }));
      await sleep(50);
      await db.command(['RPUSH', list, 'a', 'b', 'c']);
      expect(await Promise.all(pops)).toEqual(['a', 'b', 'c']);
      expect(order).toEqual([1, 2, 3]);
    });
  });

  it('reports the server flavour and version', async () => {
    const s = await t.db.server();
    const info = String(await t.rawCommand(['INFO', 'server'], t.db.key('x')));
    expect(s.flavor).toBe(info.includes('valkey') ? 'valkey' : 'redis');
    expect(info).toContain(s.version);
    expect(await t.db.server()).toBe(s);
  });

  it('scans only its own keys, on every master, with the prefix stripped', async () => {
    const db = await t.connect({ prefix: `${t.prefix}scan:` });
    const names = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const n of names) await db.command(['SET', db.key(n), '1']);
    await t.db.command(['SET', t.db.key('outside'), '1']);
    const seen: string[] = [];
    for await (const k of db.scanKeys('*', { count: 5 })) seen.push(k);
    expect(seen.sort()).toEqual([...names].sort());
    const typed: string[] = [];
    for await (const k of db.scanKeys('k1*', { type: 'string' })) typed.push(k);
    expect(typed.sort()).toEqual(names.filter((n) => n.startsWith('k1')).sort());
  });

  it('closes what it opened, and supports await using', async () => {
    let client: Walrus['client'];
    {
      await using db = await t.connect();
      client = db.client;
      await db.blocking((c) => c.command(['PING']));
      expect(client.isOpen).toBe(true);
    }
    expect(client.isOpen).toBe(false);
  });
});
