import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, NotFoundError, keySlot } from '@walrus/core';
import { ConsumedMessage, ConsumerGroup, Stream, monitor } from '@walrus/streams';
import { describeTopologies } from '@walrus/testing';
import { consumerScripts } from '../src/consumer-loop';

async function pendingCount(g: ConsumerGroup, name: string): Promise<number> {
  return (await g.stream(name).pendingSummary()).count;
}

describeTopologies('ConsumerGroup.consume', (t) => {
  it('delivers every new message once, in batches, and acknowledges each when the next is asked for', async () => {
    const g = new ConsumerGroup(t.db, 'workers', ['orders', 'refunds']);
    await g.create();
    const orders = await g.stream('orders').addMany(Array.from({ length: 25 }, (_, i) => ({ n: i })));
    const refunds = await g.stream('refunds').addMany([{ n: 'r0' }, { n: 'r1' }]);
    const seen: ConsumedMessage[] = [];
    for await (const m of g.consume({ block: 0, count: 10 })) {
      expect(m).toBeInstanceOf(ConsumedMessage);
      expect(m.deliveries).toBe(1);
      seen.push(m);
    }
    expect(seen.filter((m) => m.stream === 'orders').map((m) => m.id)).toEqual(orders);
    expect(seen.filter((m) => m.stream === 'refunds').map((m) => m.id)).toEqual(refunds);
    expect(seen[0].timestamp.getTime()).toBe(Number(orders[0].split('-')[0]));
    expect(await pendingCount(g, 'orders')).toBe(0);
    expect(await pendingCount(g, 'refunds')).toBe(0);
    expect(seen.every((m) => m.settled)).toBe(true);
  });

  it('ends quietly when its signal aborts, even while blocked', async () => {
    const g = new ConsumerGroup(t.db, 'idle', 'quiet');
    await g.create();
    const ctrl = new AbortController();
    const got: string[] = [];
    const loop = (async () => {
      for await (const m of g.consume({ signal: ctrl.signal, block: '10s' })) {
        got.push(m.data.v);
        await m.ack();
      }
    })();
    await sleep(50);
    await g.stream('quiet').add({ v: 'one' });
    await sleep(100);
    const t0 = Date.now();
    ctrl.abort();
    await loop;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(got).toEqual(['one']);
    expect(await pendingCount(g, 'quiet')).toBe(0);
  });

  it('leaves the message pending when the body throws or breaks, and re-delivers it first next time', async () => {
    const g = new ConsumerGroup(t.db, 'fragile', 'tasks');
    await g.create();
    const ids = await g.stream('tasks').addMany([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
    const boom = new Error('boom');
    const err = await (async () => {
      for await (const m of g.consume({ block: 0, claimIdle: null })) if (m.data.v === 'b') throw boom;
    })().catch((e: unknown) => e);
    expect(err).toBe(boom);
    const pending = await g.stream('tasks').pending();
    // a was acknowledged on the way out; b (thrown on) and c (read in the same batch) stay with this consumer.
    expect(pending.map((p) => [p.id, p.consumer])).toEqual([
      [ids[1], 'fragile.c1'],
      [ids[2], 'fragile.c1'],
    ]);

    const again: [string, number][] = [];
    for await (const m of g.consume({ block: 0, claimIdle: null })) {
      again.push([m.data.v, m.deliveries]);
      if (m.data.v === 'b') break;
    }
    expect(again).toEqual([['b', 2]]);
    expect((await g.stream('tasks').pending()).map((p) => [p.id, p.deliveries])).toEqual([
      [ids[1], 2],
      [ids[2], 1],
    ]);
    const rest: [string, number][] = [];
    for await (const m of g.consume({ block: 0, claimIdle: null })) rest.push([m.data.v, m.deliveries]);
    expect(rest).toEqual([
      ['b', 3],
      ['c', 2],
    ]);
    expect(await pendingCount(g, 'tasks')).toBe(0);
  });

  it('acknowledges only what the body acknowledges when autoAck is off', async () => {
    const g = new ConsumerGroup(t.db, 'manual', 'm');
    await g.create();
    await g.stream('m').addMany([{ v: '1' }, { v: '2' }, { v: '3' }, { v: '4' }]);
    for await (const m of g.consume({ block: 0, autoAck: false, claimIdle: null })) if (Number(m.data.v) % 2 === 0) await m.ack();
    expect((await g.stream('m').pending()).map((p) => p.consumer)).toEqual(['manual.c1', 'manual.c1']);
    expect(await pendingCount(g, 'm')).toBe(2);
  });

  it('reclaims the pending messages of a dead consumer once they are idle', async () => {
    const g = new ConsumerGroup(t.db, 'rescue', 'jobs');
    await g.create();
    const ids = await g.stream('jobs').addMany([{ v: '1' }, { v: '2' }, { v: '3' }, { v: '4' }]);
    const t0 = Date.now();
    const dead = g.consumer('dead');
    expect((await dead.read({ count: 3 }))[0].messages).toHaveLength(3);
    const alive = g.consumer('alive');
    const got: [string, number, number][] = [];
    const ctrl = new AbortController();
    for await (const m of alive.consume({ signal: ctrl.signal, claimIdle: '300ms', block: '1s' })) {
      got.push([m.id, m.deliveries, Date.now() - t0]);
      if (got.length === 4) ctrl.abort();
    }
    expect(got.map(([id, n]) => [id, n]).sort()).toEqual([...ids.slice(0, 3).map((id) => [id, 2]), [ids[3], 1]]);
    // The dead consumer's three are taken over only once idle for 300 ms (Redis decides; small slack for clocks).
    for (const [id, , at] of got) if (id !== ids[3]) expect(at).toBeGreaterThanOrEqual(280);
    expect((await g.stream('jobs').pendingSummary()).count).toBe(0);
  });

  describe.each([
    ['in the same slot (one script)', '{mail}jobs'],
    ['in another slot on a cluster (two steps)', 'mail-jobs'],
  ])('dead letters %s', (_label, name) => {
    it('moves a message failed on its last allowed delivery, with its fields, deliveries and last error', async () => {
      const dead = `${name}:dead`;
      if (t.isCluster) expect(keySlot(t.key(dead)) === keySlot(t.key(name))).toBe(name.startsWith('{'));
      const g = new ConsumerGroup(t.db, 'mailer', name);
      await g.create();
      const [poison] = await g.stream(name).addMany([{ to: 'x@example.com' }, { to: 'ok@example.com' }]);
      const attempts: number[] = [];
      const ctrl = new AbortController();
      for await (const m of g.consume({ signal: ctrl.signal, claimIdle: '100ms', block: '300ms', deadLetter: { maxDeliveries: 2 } })) {
        if (m.data.to === 'ok@example.com') continue;
        attempts.push(m.deliveries);
        await m.fail(new Error(`smtp refused (attempt ${m.deliveries})`));
        if (m.deliveries === 2) ctrl.abort();
      }
      expect(attempts).toEqual([1, 2]);
      const letters = await new Stream(t.db, dead).range();
      expect(letters).toHaveLength(1);
      expect(letters[0].data).toEqual({
        to: 'x@example.com',
        _origin_stream: name,
        _origin_id: poison,
        _group: 'mailer',
        _deliveries: '2',
        _error: 'Error: smtp refused (attempt 2)',
      });
      expect(await pendingCount(g, name)).toBe(0);
    });

    it('dead-letters instead of re-delivering a message that reached the limit in another consumer', async () => {
      const g = new ConsumerGroup(t.db, 'limit', { [name]: '$' });
      await g.create();
      const [id] = await g.stream(name).addMany([{ v: 'poison' }]);
      const crashed = g.consumer('crashed');
      await crashed.read();
      await crashed.stream(name).claim([id]);
      await crashed.stream(name).claim([id]);
      await sleep(60);
      const yielded: string[] = [];
      for await (const m of g.consumer('next').consume({ block: 0, claimIdle: 50, deadLetter: { maxDeliveries: 3 } })) yielded.push(m.id);
      expect(yielded).toEqual([]);
      const letters = (await new Stream(t.db, `${name}:dead`).range()).filter((e) => e.data._group === 'limit');
      expect(letters.map((e) => [e.data.v, e.data._deliveries, e.data._error])).toEqual([['poison', '3', 'not acknowledged after 3 deliveries']]);
      expect(await pendingCount(g, name)).toBe(0);
    });
  });

  it('does not dead-letter an entry another consumer took over meanwhile, writing nothing', async () => {
    const name = '{own}jobs';
    const g = new ConsumerGroup(t.db, 'owner', name);
    await g.create();
    const [id] = await g.stream(name).addMany([{ v: 'x' }]);
    const it = g.consume({ block: 0, claimIdle: null, deadLetter: { maxDeliveries: 1 } });
    const first = await it.next();
    expect(first.value?.id).toBe(id);
    await g.consumer('other').stream(name).claim([id]);
    await first.value!.fail(new Error('too late'));
    await it.return!();
    expect(await new Stream(t.db, `${name}:dead`).exists()).toBe(false);
    expect((await g.stream(name).pending()).map((p) => p.consumer)).toEqual(['other']);
  });

  it('dead-letters its own pending messages at the limit when it starts', async () => {
    const g = new ConsumerGroup(t.db, 'restarted', '{r}q');
    await g.create();
    const [a, b] = await g.stream('{r}q').addMany([{ v: 'a' }, { v: 'b' }]);
    await g.read();
    await g.stream('{r}q').claim([a]);
    const got: [string, number][] = [];
    for await (const m of g.consume({ block: 0, claimIdle: null, deadLetter: { maxDeliveries: 2, stream: (n) => `${n}:graveyard` } })) got.push([m.id, m.deliveries]);
    expect(got).toEqual([[b, 2]]);
    const letters = await new Stream(t.db, '{r}q:graveyard').range();
    expect(letters.map((e) => [e.data._origin_id, e.data._deliveries])).toEqual([[a, '2']]);
  });

  it('sends the acknowledgements of a batch with the next read', async () => {
    const g = new ConsumerGroup(t.db, 'counted', 'rt');
    await g.create();
    await g.stream('rt').addMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    const key = t.key('rt');
    const lines: string[] = [];
    const sub = await monitor(t.db, (line) => {
      if (line.includes(`"${key}"`) && !line.includes(' lua]')) lines.push(line);
    });
    let n = 0;
    for await (const _m of g.consume({ block: 0, count: 10, claimIdle: null })) n++;
    await sleep(100);
    await sub.unsubscribe();
    expect(n).toBe(20);
    const commands = lines.map((l) => /\] "([^"]+)"/.exec(l)?.[1]?.toUpperCase());
    // One script for the own pending list, three reads (10, 10, none) and one XACK riding with each later read.
    expect(commands.filter((c) => c === 'XREADGROUP')).toHaveLength(3);
    expect(commands.filter((c) => c === 'XACK')).toHaveLength(2);
    expect(commands.filter((c) => c === 'EVALSHA' || c === 'EVAL')).toHaveLength(1);
    expect(await pendingCount(g, 'rt')).toBe(0);
  });

  it('rejects bad options before any command and ends with NotFoundError on an unknown group', async () => {
    const g = new ConsumerGroup(t.db, 'never-created', 'void');
    expect(() => g.consume({ count: 0 })).toThrow(InvalidArgumentError);
    expect(() => g.consume({ block: 'soon' as never })).toThrow(InvalidArgumentError);
    expect(() => g.consume({ claimIdle: Infinity })).toThrow(InvalidArgumentError);
    expect(() => g.consume({ deadLetter: { maxDeliveries: 0 } })).toThrow(InvalidArgumentError);
    expect(() => g.consume({ deadLetter: { maxDeliveries: 1, stream: (n) => n } })).toThrow(InvalidArgumentError);
    await new Stream(t.db, 'void').add({ a: '1' });
    const err = await (async () => {
      for await (const _m of g.consume({ block: 0 })) break;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
  });

  it('runs scripts whose SHA is what SCRIPT LOAD computes', async () => {
    for (const s of Object.values(consumerScripts)) expect(await t.rawCommand(['SCRIPT', 'LOAD', s.source], t.key('x'))).toBe(s.sha);
  });
});
