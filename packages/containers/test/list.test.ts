import { setTimeout as sleep } from 'node:timers/promises';
import { CrossSlotError, InvalidArgumentError, WrongTypeError, jsonCodec } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import { List } from '@walrus/containers';

describeTopologies('List', (t) => {
  it('acts like a list: extend, slices, pop, prepend, length (the documented session)', async () => {
    const l = new List(t.db, 'names');
    expect(await l.push('charlie', 'huey', 'mickey', 'zaizee')).toBe(4);
    expect(await l.slice(0, 2)).toEqual(['charlie', 'huey']);
    expect(await l.slice(-2)).toEqual(['mickey', 'zaizee']);
    expect(await l.pop()).toBe('zaizee');
    expect(await l.unshift('scout')).toBe(4);
    expect(await l.size()).toBe(4);
    expect(await l.toArray()).toEqual(['scout', 'charlie', 'huey', 'mickey']);
    expect(await t.rawCommand(['LRANGE', l.key, '0', '-1'], l.key)).toEqual(['scout', 'charlie', 'huey', 'mickey']);
  });

  it('slices like Array.prototype.slice, including end 0 and negative bounds', async () => {
    const l = new List(t.db, 'slices');
    const items = ['a', 'b', 'c', 'd', 'e'];
    await l.push(...items);
    const cases: [number | undefined, number | undefined][] = [
      [undefined, undefined], [0, 0], [1, 3], [-2, undefined], [0, -1], [-3, -1], [2, -1], [-10, 2], [3, 1], [0, 10], [10, undefined], [0, -10], [-1, 0],
    ];
    for (const [s, e] of cases) expect([s, e, await l.slice(s, e)]).toEqual([s, e, items.slice(s, e)]);
  });

  it('reads and writes by index; writing outside the list is an InvalidArgumentError', async () => {
    const l = new List(t.db, 'index');
    await l.push('a', 'b', 'c');
    expect(await l.at(0)).toBe('a');
    expect(await l.at(-1)).toBe('c');
    expect(await l.at(5)).toBeUndefined();
    await l.set(1, 'B');
    await l.set(-1, 'C');
    expect(await l.toArray()).toEqual(['a', 'B', 'C']);
    await expect(l.set(3, 'x')).rejects.toThrow(InvalidArgumentError);
    await expect(new List(t.db, 'missing').set(0, 'x')).rejects.toThrow(InvalidArgumentError);
    await expect(l.at(1.5)).rejects.toThrow(InvalidArgumentError);
    expect(await l.toArray()).toEqual(['a', 'B', 'C']);
  });

  it('unshifts several values in argument order, shifts and pops', async () => {
    const l = new List(t.db, 'ends');
    await l.push('c');
    await l.unshift('a', 'b');
    expect(await l.toArray()).toEqual(['a', 'b', 'c']);
    expect(await l.shift()).toBe('a');
    expect(await l.pop()).toBe('c');
    expect(await l.pop()).toBe('b');
    expect(await l.pop()).toBeUndefined();
    expect(await l.shift()).toBeUndefined();
  });

  it('inserts before and after a pivot, and reports a missing pivot as -1', async () => {
    const l = new List(t.db, 'insert');
    await l.push('a', 'c');
    expect(await l.insertBefore('c', 'b')).toBe(3);
    expect(await l.insertAfter('c', 'd')).toBe(4);
    expect(await l.insertAfter('zz', 'x')).toBe(-1);
    expect(await new List(t.db, 'no-list').insertBefore('a', 'x')).toBe(-1);
    expect(await l.toArray()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('removes by value (count) and by index (not the first equal value)', async () => {
    const l = new List(t.db, 'remove');
    await l.push('x', 'y', 'x', 'z', 'x');
    expect(await l.removeValue('x')).toBe(1);
    expect(await l.toArray()).toEqual(['y', 'x', 'z', 'x']);
    expect(await l.removeValue('x', { count: -1 })).toBe(1);
    expect(await l.toArray()).toEqual(['y', 'x', 'z']);
    await l.push('x', 'x');
    expect(await l.removeValue('x', { count: 0 })).toBe(3);
    expect(await l.toArray()).toEqual(['y', 'z']);

    const d = new List(t.db, 'dupes');
    await d.push('a', 'b', 'a', 'c');
    expect(await d.removeAt(2)).toBe('a');
    expect(await d.toArray()).toEqual(['a', 'b', 'c']);
    expect(await d.removeAt(-1)).toBe('c');
    expect(await d.removeAt(7)).toBeUndefined();
    expect(await d.toArray()).toEqual(['a', 'b']);
  });

  it('trims to a slice', async () => {
    const l = new List(t.db, 'trim');
    await l.push('a', 'b', 'c', 'd', 'e');
    await l.trim(1, -1);
    expect(await l.toArray()).toEqual(['b', 'c', 'd']);
    await l.trim(0, 0);
    expect(await l.exists()).toBe(false);
  });

  it('iterates head to tail in pages with for await', async () => {
    const l = new List(t.db, 'iter');
    const items = Array.from({ length: 25 }, (_, i) => `v${i}`);
    await l.push(...items);
    const seen: string[] = [];
    for await (const v of l.iterate({ count: 7 })) seen.push(v);
    expect(seen).toEqual(items);
    const all: string[] = [];
    for await (const v of l) all.push(v);
    expect(all).toEqual(items);
  });

  it('moves elements between lists of one slot; other slots raise CrossSlotError on a cluster', async () => {
    const g = t.db.group('lists');
    const src = new List(g, 'src');
    const dst = new List(g, 'dst');
    await src.push('a', 'b', 'c');
    expect(await src.move(dst)).toBe('c');
    expect(await src.move(dst, { from: 'left', to: 'right' })).toBe('a');
    expect(await src.move('dst')).toBe('b');
    expect(await dst.toArray()).toEqual(['b', 'c', 'a']);
    expect(await src.move(dst)).toBeUndefined();
    await expect(src.move(dst, { from: 'up' as never })).rejects.toThrow(InvalidArgumentError);

    const far = new List(t.db, 'far-away-list');
    await far.push('z');
    if (t.isCluster) {
      const err = await far.move(new List(t.db, 'other-list')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrossSlotError);
      expect(await far.toArray()).toEqual(['z']);
    } else {
      expect(await far.move(new List(t.db, 'other-list'))).toBe('z');
    }
  });

  describe('blocking pops', () => {
    it('wait for a value pushed later, without stalling other commands', async () => {
      const l = new List(t.db, 'queue');
      const popped = l.blockingShift({ timeout: '5s' });
      await sleep(100);
      const t0 = performance.now();
      expect(await l.size()).toBe(0);
      expect(performance.now() - t0).toBeLessThan(100);
      await l.push('job-1');
      expect(await popped).toBe('job-1');
      const fromTail = l.blockingPop({ timeout: 5000 });
      await l.push('a', 'b');
      expect(await fromTail).toBe('b');
    });

    it('time out with undefined, and do not wait at all with timeout 0', async () => {
      const l = new List(t.db, 'empty-queue');
      const t0 = Date.now();
      expect(await l.blockingPop({ timeout: 300 })).toBeUndefined();
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(3000);
      const t1 = Date.now();
      expect(await l.blockingShift({ timeout: 0 })).toBeUndefined();
      expect(Date.now() - t1).toBeLessThan(200);
      await l.push('now');
      expect(await l.blockingShift({ timeout: 0 })).toBe('now');
    });

    it('end on abort with the signal reason, and reject at once when already aborted', async () => {
      const l = new List(t.db, 'abort-queue');
      const ac = new AbortController();
      const pending = l.blockingShift({ signal: ac.signal });
      setTimeout(() => ac.abort(new Error('shutdown')), 100);
      await expect(pending).rejects.toThrow('shutdown');
      await expect(l.blockingPop({ signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
      await l.push('still-here');
      expect(await l.blockingShift({ timeout: '1s' })).toBe('still-here');
    });

    it('move while blocking (BLMOVE) within one slot', async () => {
      const g = t.db.group('bmove');
      const src = new List(g, 'src');
      const dst = new List(g, 'dst');
      const moved = src.blockingMove(dst, { timeout: '5s', from: 'left', to: 'left' });
      await sleep(50);
      await src.push('x');
      expect(await moved).toBe('x');
      expect(await dst.toArray()).toEqual(['x']);
      expect(await src.blockingMove(dst, { timeout: 100 })).toBeUndefined();
      if (t.isCluster) await expect(src.blockingMove(new List(t.db, 'elsewhere'), { timeout: 100 })).rejects.toThrow(CrossSlotError);
    });

    it('raise WrongTypeError on a key of another type', async () => {
      await t.rawCommand(['SET', t.key('str'), 'x'], t.key('str'));
      const l = new List(t.db, 'str');
      await expect(l.blockingPop({ timeout: 100 })).rejects.toMatchObject({ name: 'WrongTypeError', key: t.key('str'), expected: 'list', actual: 'string' });
      await expect(l.blockingPop({ timeout: 0 })).rejects.toBeInstanceOf(WrongTypeError);
      await expect(l.push('a')).rejects.toBeInstanceOf(WrongTypeError);
      await expect(l.removeAt(0)).rejects.toMatchObject({ name: 'WrongTypeError', actual: 'string' });
    });
  });

  it('stores values through a codec', async () => {
    const l = new List<{ id: number }>(t.db, 'jobs', { codec: jsonCodec() });
    await l.push({ id: 1 }, { id: 2 });
    expect(await l.shift()).toEqual({ id: 1 });
    expect(await l.blockingPop({ timeout: 100 })).toEqual({ id: 2 });
  });
});
