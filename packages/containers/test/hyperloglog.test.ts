import { CrossSlotError, WrongTypeError } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { HyperLogLog } from '@walrus/containers';

const range = (start: number, stop: number, step = 1) => Array.from({ length: Math.ceil((stop - start) / step) }, (_, i) => start + i * step);

describeTopologies('HyperLogLog', (t) => {
  it('estimates distinct items (the documented session)', async () => {
    const hl = new HyperLogLog(t.db, 'hl');
    expect(await hl.add(...range(0, 100))).toBe(true);
    expect(await hl.count()).toBe(100);
    await hl.add(...range(1, 100, 2));
    await hl.add(...range(1, 100, 3));
    // Only repeats were added: an estimate within HyperLogLog's error of 100 (the Python session printed 102).
    const n = await hl.count();
    expect(n).toBeGreaterThanOrEqual(97);
    expect(n).toBeLessThanOrEqual(103);
    expect(await hl.add('0')).toBe(false);
    expect(await hl.add()).toBe(false);
  });

  it('merges others into itself and into a destination within one slot', async () => {
    const g = t.db.group('hll');
    const a = new HyperLogLog(g, 'a');
    const b = new HyperLogLog(g, 'b');
    await a.add('x', 'y');
    await b.add('y', 'z', Buffer.from('w'));
    const d = await a.mergeInto('dest', b);
    expect(d.key).toBe(g.key('dest'));
    expect(await d.count()).toBe(4);
    expect(await a.count()).toBe(2);
    await a.merge(b);
    expect(await a.count()).toBe(4);
    if (t.isCluster) {
      const far = new HyperLogLog(t.db, 'far-hll');
      await expect(a.merge(far)).rejects.toThrow(CrossSlotError);
      await expect(far.mergeInto('other-far', a)).rejects.toThrow(CrossSlotError);
      expect(await new HyperLogLog(t.db, 'other-far').exists()).toBe(false);
    }
  });

  it('raises WrongTypeError for keys that are not HyperLogLogs', async () => {
    const g = t.db.group('hwt');
    await t.rawCommand(['SET', g.key('plain'), 'text'], g.key('plain'));
    await t.rawCommand(['RPUSH', g.key('list'), 'x'], g.key('list'));
    const plain = new HyperLogLog(g, 'plain');
    await expect(plain.add('a')).rejects.toMatchObject({ name: 'WrongTypeError', key: g.key('plain'), expected: 'hyperloglog', actual: 'string' });
    await expect(new HyperLogLog(g, 'list').count()).rejects.toMatchObject({ actual: 'list' });
    const ok = new HyperLogLog(g, 'ok');
    await ok.add('a');
    const err = await ok.merge('plain').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongTypeError);
    expect(err).toMatchObject({ key: g.key('plain'), actual: 'string' });
  });
});
