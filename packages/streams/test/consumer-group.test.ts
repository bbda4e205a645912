import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, NotFoundError, WrongTypeError, keySlot } from '@walrus/core';
import { ConsumerGroup, Stream } from '@walrus/streams';
import { describeTopologies } from '@walrus/testing';

describeTopologies('ConsumerGroup', (t) => {
  it('walks through the documented consumer-group session', async () => {
    const keys = ['stream-a', 'stream-b', 'stream-c'] as const;
    for (const k of keys) await new Stream(t.db, k).add({ data: '' });
    if (t.isCluster) expect(new Set(keys.map((k) => keySlot(t.key(k)))).size).toBeGreaterThan(1);

    const cg = new ConsumerGroup(t.db, 'cg-abc', [...keys]);
    expect(await cg.create()).toEqual({ 'stream-a': true, 'stream-b': true, 'stream-c': true });
    await cg.setId('$');
    expect(await cg.read()).toEqual([]);

    await cg.stream('stream-a').add({ message: 'new a' });
    await cg.stream('stream-b').add({ message: 'new for b' });
    for (let i = 0; i < 10; i++) await cg.stream('stream-c').add({ message: `c-${i}` });

    const first = await cg.read({ count: 1 });
    expect(first.map((b) => [b.stream, b.messages.map((m) => m.data.message)])).toEqual([
      ['stream-a', ['new a']],
      ['stream-b', ['new for b']],
      ['stream-c', ['c-0']],
    ]);
    const second = await cg.read({ count: 1 });
    expect(second.map((b) => [b.stream, b.messages.map((m) => m.data.message)])).toEqual([['stream-c', ['c-1']]]);

    const pendingA = await cg.stream('stream-a').pending();
    expect(pendingA).toEqual([{ id: first[0].messages[0].id, consumer: 'cg-abc.c1', idleMs: expect.any(Number), deliveries: 1 }]);
    expect(await cg.stream('stream-a').ack(pendingA[0].id)).toBe(1);
    expect(await cg.stream('stream-a').pending()).toEqual([]);

    const cg2 = cg.consumer('cg-abc.c2');
    expect(cg2.consumerName).toBe('cg-abc.c2');
    const third = await cg2.read({ count: 1 });
    expect(third.map((b) => [b.stream, b.messages.map((m) => m.data.message)])).toEqual([['stream-c', ['c-2']]]);

    const [mc1, mc2, mc3] = await cg.stream('stream-c').pending();
    expect([mc1.consumer, mc2.consumer, mc3.consumer]).toEqual(['cg-abc.c1', 'cg-abc.c1', 'cg-abc.c2']);
    const claimed = await cg2.stream('stream-c').claim([mc1.id]);
    expect(claimed).toEqual([{ id: mc1.id, data: { message: 'c-0' } }]);
    const after = await cg.stream('stream-c').pending();
    expect(after.map((p) => [p.id, p.consumer, p.deliveries])).toEqual([
      [mc1.id, 'cg-abc.c2', 2],
      [mc2.id, 'cg-abc.c1', 1],
      [mc3.id, 'cg-abc.c2', 1],
    ]);
    expect(after[0].idleMs).toBeLessThanOrEqual(mc1.idleMs + 5);
  });

  it('creates missing streams, reports existing groups, and refuses keys of another type before creating anything', async () => {
    const g = new ConsumerGroup(t.db, 'g1', ['fresh-1', 'fresh-2']);
    expect(await g.create()).toEqual({ 'fresh-1': true, 'fresh-2': true });
    expect(await g.create()).toEqual({ 'fresh-1': false, 'fresh-2': false });
    expect(await new Stream(t.db, 'fresh-1').size()).toBe(0);

    await t.db.command(['SET', t.key('not-a-stream'), 'x']);
    const bad = new ConsumerGroup(t.db, 'g2', ['untouched-1', 'not-a-stream', 'untouched-2']);
    const err = await bad.create().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: t.key('not-a-stream'), expected: 'stream', actual: 'string' });
    expect(await new Stream(t.db, 'untouched-1').exists()).toBe(false);
    expect(await new Stream(t.db, 'untouched-2').exists()).toBe(false);

    const strict = new ConsumerGroup(t.db, 'g3', 'never-made');
    await expect(strict.create({ ensureExists: false })).rejects.toBeInstanceOf(NotFoundError);
    expect(await new Stream(t.db, 'never-made').exists()).toBe(false);
  });

  it('starts each stream at its given id, resets, sets ids and destroys', async () => {
    const s1 = new Stream(t.db, 'start-1');
    const s2 = new Stream(t.db, 'start-2');
    const [a1, a2] = await s1.addMany([{ v: 'a1' }, { v: 'a2' }]);
    await s2.addMany([{ v: 'b1' }, { v: 'b2' }]);
    const g = new ConsumerGroup(t.db, 'starts', { 'start-1': a1, 'start-2': '$' });
    await g.create();
    expect((await g.read()).map((b) => [b.stream, b.messages.map((m) => m.data.v)])).toEqual([['start-1', ['a2']]]);
    await g.reset();
    expect((await g.read()).map((b) => [b.stream, b.messages.map((m) => m.data.v)])).toEqual([
      ['start-1', ['a1', 'a2']],
      ['start-2', ['b1', 'b2']],
    ]);
    await g.stream('start-1').setId(a1);
    expect((await g.read()).map((b) => b.messages.map((m) => m.id))).toEqual([[a2]]);
    const info = await g.stream('start-1').groupInfo();
    expect(info).toMatchObject({ name: 'starts', consumers: 1, lastDeliveredId: a2 });
    expect(Object.keys(await g.info())).toEqual(['start-1', 'start-2']);
    expect(await g.destroy()).toEqual({ 'start-1': true, 'start-2': true });
    expect(await g.destroy()).toEqual({ 'start-1': false, 'start-2': false });
    expect(await new ConsumerGroup(t.db, 'starts', 'no-such-stream').destroy()).toEqual({ 'no-such-stream': false });
  });

  it('filters pending entries, auto-claims idle ones, and removes consumers', async () => {
    const g = new ConsumerGroup(t.db, 'pend', 'jobs');
    await g.create();
    const ids = await g.stream('jobs').addMany(Array.from({ length: 6 }, (_, i) => ({ n: i })));
    const c1 = g.consumer('c1');
    const c2 = g.consumer('c2');
    await c1.read({ count: 4 });
    await c2.read({ count: 2 });
    // Make c1's entries look idle for a minute (XCLAIM … IDLE, no extra delivery), so idle filters do not race the clock.
    await t.rawCommand(['XCLAIM', t.key('jobs'), 'pend', 'c1', '0', ...ids.slice(0, 4), 'IDLE', '60000', 'JUSTID'], t.key('jobs'));
    const s = g.stream('jobs');
    expect((await s.pending({ consumer: 'c2' })).map((p) => p.id)).toEqual(ids.slice(4));
    expect((await s.pending({ minIdle: '30s' })).map((p) => p.id)).toEqual(ids.slice(0, 4));
    expect((await s.pending({ start: ids[1], end: ids[3], count: 2 })).map((p) => p.id)).toEqual(ids.slice(1, 3));
    expect((await s.pending({ start: `(${ids[4]}` })).map((p) => p.id)).toEqual([ids[5]]);
    expect(await s.pendingSummary()).toEqual({ count: 6, minId: ids[0], maxId: ids[5], consumers: { c1: 4, c2: 2 } });

    const stolen = await c2.stream('jobs').autoClaim({ minIdle: '30s', count: 3 });
    expect(stolen.messages.map((m) => m.data.n)).toEqual(['0', '1', '2']);
    expect(stolen.nextId).toBe(ids[3]);
    expect(stolen.deletedIds).toEqual([]);
    const rest = await c2.stream('jobs').autoClaim({ minIdle: '30s', start: stolen.nextId });
    expect(rest.messages.map((m) => m.id)).toEqual([ids[3]]);
    expect(rest.nextId).toBe('0-0');
    expect((await s.pending({ consumer: 'c2' })).map((p) => [p.id, p.deliveries])).toEqual(ids.map((id, i) => [id, i < 4 ? 2 : 1]));

    const consumers = await s.consumersInfo();
    expect(consumers.map((c) => [c.name, c.pending])).toEqual([
      ['c1', 0],
      ['c2', 6],
    ]);
    expect(await c2.stream('jobs').deleteConsumer()).toBe(6);
    expect(await s.deleteConsumer('c1')).toBe(0);
    expect(await s.pending()).toEqual([]);
  });

  it('re-reads its own pending entries by id, leaves out deleted ones, and reads without ack', async () => {
    const g = new ConsumerGroup(t.db, 'own', 'own-jobs');
    await g.create();
    const s = g.stream('own-jobs');
    const [a, b] = await s.addMany([{ v: 'a' }, { v: 'b' }]);
    expect((await s.read()).map((e) => e.id)).toEqual([a, b]);
    expect(await s.read()).toEqual([]);
    await s.delete(a);
    expect((await s.read({ lastId: '0' })).map((e) => e.id)).toEqual([b]);
    const c = await s.add({ v: 'c' });
    expect((await s.read({ noAck: true })).map((e) => e.id)).toEqual([c]);
    expect((await s.pending()).map((p) => p.id)).toEqual([a, b]);
    const claimed = await s.claim([a, b]);
    expect(claimed.map((e) => e.id)).toEqual([b]);
  });

  it('merges a blocking read across streams in different slots, keeping later replies for the next read', async () => {
    const names = ['left', 'right'] as const;
    const g = new ConsumerGroup(t.db, 'merge', [...names]);
    await g.create();
    if (t.isCluster) expect(keySlot(t.key('left'))).not.toBe(keySlot(t.key('right')));
    const waiting = g.read({ block: '3s' });
    await sleep(50);
    const l = await g.stream('left').add({ v: 'L' });
    const first = await waiting;
    expect(first).toEqual([{ stream: 'left', messages: [{ id: l, data: { v: 'L' } }] }]);
    const r = await g.stream('right').add({ v: 'R' });
    if (t.isCluster) {
      // The right stream's read was still blocked: its reply went to the pending list and the buffer.
      const end = Date.now() + 5000;
      while ((await g.stream('right').pending()).length === 0 && Date.now() < end) await sleep(10);
      expect((await g.stream('right').pending()).map((p) => p.id)).toEqual([r]);
    } else expect(await g.stream('right').pending()).toEqual([]);
    const second = await g.read({ block: '3s' });
    expect(second).toEqual([{ stream: 'right', messages: [{ id: r, data: { v: 'R' } }] }]);
    expect(await g.read()).toEqual([]);
  });

  it('reads streams that share a slot with one XREADGROUP', async () => {
    const tagged = t.db.group('cg');
    const g = new ConsumerGroup(tagged, 'tagged', ['x', 'y']);
    expect(g.slots).toHaveLength(1);
    await g.create();
    await g.stream('x').add({ v: '1' });
    await g.stream('y').add({ v: '2' });
    expect((await g.read()).map((b) => b.stream)).toEqual(['x', 'y']);
  });

  it('turns unknown groups, unknown streams and bad arguments into named errors', async () => {
    await new Stream(t.db, 'lonely').add({ a: '1' });
    const g = new ConsumerGroup(t.db, 'ghost', 'lonely');
    for (const op of [() => g.read(), () => g.stream('lonely').pending(), () => g.setId('0'), () => g.stream('lonely').consumersInfo(), () => g.stream('lonely').read()]) {
      const err = await op().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).key).toBe(t.key('lonely'));
    }
    expect(await g.stream('lonely').ack('1-1')).toBe(0);
    expect(() => g.stream('other' as 'lonely')).toThrow(InvalidArgumentError);
    expect(() => new ConsumerGroup(t.db, '', 'x')).toThrow(InvalidArgumentError);
    expect(() => new ConsumerGroup(t.db, 'g', [])).toThrow(InvalidArgumentError);
    expect(() => new ConsumerGroup(t.db, 'g', ['a', 'a'])).toThrow(InvalidArgumentError);
    expect(() => new ConsumerGroup(t.db, 'g', { a: 'zz' })).toThrow(InvalidArgumentError);
    expect(() => g.consumer('')).toThrow(InvalidArgumentError);
    await expect(g.setId('>')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(g.stream('lonely').read({ lastId: '$' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(g.stream('lonely').ack('x')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(g.read({ count: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);

    await t.db.command(['SET', t.key('str'), 'x']);
    const wt = new ConsumerGroup(t.db, 'wt', 'str');
    await expect(wt.read()).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key('str') });
  });
});
