import { setTimeout as sleep } from 'node:timers/promises';
import { CrossSlotError, InvalidArgumentError, keySlot } from '@walrus/core';
import { describeTopologies } from '@walrus/testing';
import {
  BitOp,
  DayEvents,
  MonthEvents,
  UniqueEvents,
  WeekEvents,
  bitOpAnd,
  bitOpNot,
  bitOpOr,
  bitOpXor,
  bitopScope,
  deleteRuntimeBitopKeys,
  markEvent,
  markUnique,
  runInBitopScope,
  setBitopTtl,
} from '../src';
import { registerBitopKey } from '../src/bitop-scope';

const now = new Date('2021-06-15T12:00:00Z');

async function idsOf(e: { ids(): AsyncIterableIterator<number> }): Promise<number[]> {
  const out: number[] = [];
  for await (const id of e.ids()) out.push(id);
  return out;
}

describeTopologies('bit operations', (t) => {
  const exists = (key: string) => t.rawCommand<number>(['EXISTS', key], key).then(Number);
  const pttl = (key: string) => t.rawCommand<number>(['PTTL', key], key).then(Number);

  beforeAll(async () => {
    for (const id of [1, 2, 3, 10]) await markEvent(t.db, 'active', id, { now });
    for (const id of [2, 3, 4]) await markEvent(t.db, 'paid', id, { now });
    for (const id of [3, 10, 11]) await markUnique(t.db, 'premium', id);
  });
  afterEach(async () => {
    await deleteRuntimeBitopKeys();
  });

  const active = () => DayEvents.fromDate(t.db, 'active', now);
  const paid = () => DayEvents.fromDate(t.db, 'paid', now);
  const premium = () => new UniqueEvents(t.db, 'premium');

  it('and, or, xor as methods and functions, with any number of operands', async () => {
    expect(await idsOf(active().and(paid()))).toEqual([2, 3]);
    expect(await idsOf(bitOpAnd(active(), paid(), premium()))).toEqual([3]);
    expect(await idsOf(active().or(paid(), premium()))).toEqual([1, 2, 3, 4, 10, 11]);
    expect(await idsOf(bitOpOr(paid()))).toEqual([2, 3, 4]);
    expect(await idsOf(active().xor(paid()))).toEqual([1, 4, 10]);
    expect(await bitOpXor(active(), paid(), premium()).count()).toBe([1, 4, 3, 11].length);
    expect(await active().and(paid()).has(2)).toBe(true);
    expect(await active().and(paid()).has(1)).toBe(false);
  });

  it('NOT flips bits up to the end of the last byte (raw BITOP semantics), missing keys are empty', async () => {
    // paid = {2, 3, 4}: one byte, so NOT holds the other 5 ids of 0-7 and nothing beyond.
    const notPaid = paid().not();
    expect(await idsOf(notPaid)).toEqual([0, 1, 5, 6, 7]);
    expect(await notPaid.has(8)).toBe(false);
    // active reaches id 10: two bytes, 16 - 4 ids.
    expect(await bitOpNot(active()).count()).toBe(12);
    expect(await idsOf(bitOpNot(active()))).toEqual([0, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]);
    // "Active but not paid" the Python way: active & ~paid, within paid's byte length.
    expect(await idsOf(active().and(paid().not()))).toEqual([1]);
    const missing = new DayEvents(t.db, 'never', 2000, 1, 1);
    expect(await missing.not().count()).toBe(0);
    expect(await missing.not().hasEventsMarked()).toBe(false);
    expect(await active().and(missing).count()).toBe(0);
    expect(await active().or(missing).count()).toBe(4);
  });

  it('nests: (active & paid) | (premium ^ month)', async () => {
    const month = MonthEvents.fromDate(t.db, 'paid', now);
    const op = active().and(paid()).or(premium().xor(month));
    // active&paid = {2,3}; premium^month = {3,10,11} ^ {2,3,4} = {2,4,10,11}
    expect(await idsOf(op)).toEqual([2, 3, 4, 10, 11]);
    expect(op.operands).toHaveLength(2);
    expect(op.op).toBe('OR');
  });

  it('is lazy: nothing runs before the first read, which computes every level with a TTL', async () => {
    const inner = active().and(paid());
    const op = inner.or(premium());
    expect(await exists(op.key)).toBe(0);
    expect(await exists(inner.key)).toBe(0);
    expect(await op.count()).toBe(4); // {2, 3} | {3, 10, 11}
    expect(await exists(op.key)).toBe(1);
    expect(await exists(inner.key)).toBe(1);
    for (const k of [op.key, inner.key]) {
      const ttl = await pttl(k);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    expect(await (await bitOpAnd(active(), paid()).materialize()).count()).toBe(2);
  });

  it('names result keys P_bitop_<OP>_<operand keys>, so identical operations share a key', () => {
    const a = active();
    const b = paid();
    expect(a.and(b).key).toBe(t.key(`{trackist}_bitop_AND_${a.key}-${b.key}`));
    expect(a.and(b).equals(bitOpAnd(active(), paid()))).toBe(true);
    expect(a.and(b).equals(b.and(a))).toBe(false);
    expect(a.not().key).toBe(t.key(`{trackist}_bitop_NOT_${a.key}`));
    expect(new Set([a.key, b.key, a.and(b).key, a.and(b).not().key].map(keySlot)).size).toBe(1);
  });

  it('reuses a result for half its TTL, then computes it again', async () => {
    const db = await t.connect();
    setBitopTtl(db, 300);
    const now2 = new Date('2021-07-01T00:00:00Z');
    await markEvent(db, 'ttl', 1, { now: now2 });
    const op = DayEvents.fromDate(db, 'ttl', now2).or(WeekEvents.fromDate(db, 'ttl', now2));
    expect(await op.count()).toBe(1);
    const ttl = await pttl(op.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    await markEvent(db, 'ttl', 2, { now: now2 });
    expect(await op.count()).toBe(1); // the cached result, still fresh
    await sleep(200); // past half the TTL
    expect(await op.count()).toBe(2);
    setBitopTtl(db, null);
    const forever = DayEvents.fromDate(db, 'ttl', now2).and(WeekEvents.fromDate(db, 'ttl', now2));
    await forever.materialize();
    expect(await pttl(forever.key)).toBe(-1);
    expect(() => setBitopTtl(db, 0)).toThrow(InvalidArgumentError);
    expect(() => setBitopTtl(db, 'soon' as never)).toThrow(InvalidArgumentError);
    await deleteRuntimeBitopKeys();
    expect(await exists(forever.key)).toBe(0);
  });

  it('deleteRuntimeBitopKeys deletes the keys this scope made, and a later read computes them again', async () => {
    const op = active().and(paid());
    expect(await op.count()).toBe(2);
    expect(await exists(op.key)).toBe(1);
    expect(await deleteRuntimeBitopKeys()).toBe(1);
    expect(await exists(op.key)).toBe(0);
    expect(await deleteRuntimeBitopKeys()).toBe(0);
    expect(await op.count()).toBe(2); // not a stale 0: the deletion invalidated it
    expect(await idsOf(op)).toEqual([2, 3]);
  });

  it('runInBitopScope keeps concurrent scopes apart and cleans up when the function settles', async () => {
    const outer = active().or(paid());
    await outer.materialize();
    const keysSeen: string[] = [];
    const results = await Promise.all(
      ['paid', 'active'].map((name) =>
        runInBitopScope(async () => {
          const op = DayEvents.fromDate(t.db, name, now).and(premium());
          keysSeen.push(op.key);
          const n = await op.count();
          await sleep(5);
          expect(await exists(op.key)).toBe(1);
          return n;
        }),
      ),
    );
    expect(results).toEqual([1, 2]);
    for (const k of keysSeen) expect(await exists(k)).toBe(0);
    expect(await exists(outer.key)).toBe(1); // the outer scope's key is not theirs to delete
    await expect(
      runInBitopScope(async () => {
        await active().xor(premium()).count();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await exists(active().xor(premium()).key)).toBe(0);
    expect(await deleteRuntimeBitopKeys()).toBe(1);
  });

  it('await using bitopScope() deletes the keys made in the block', async () => {
    const op = paid().xor(premium());
    const inner = async () => {
      await using scope = bitopScope();
      expect(await op.count()).toBe(4);
      expect(scope.size).toBe(1);
    };
    await inner();
    expect(await exists(op.key)).toBe(0);
    // Keys made after the scope ended go to the enclosing scope.
    const later = paid().or(premium());
    await later.materialize();
    expect(await deleteRuntimeBitopKeys()).toBe(1);
    expect(await exists(later.key)).toBe(0);
  });

  it('outside any scope, tracks at most 10,000 expiring result keys per handle (the oldest are left to their TTL)', async () => {
    const keys = Array.from({ length: 10_050 }, (_, i) => t.key(`{trackist}_bitop_CAP_${i}`));
    for (const k of [...keys.slice(0, 50), keys[keys.length - 1]]) await t.rawCommand(['SET', k, 'x', 'PX', '60000'], k);
    for (const k of keys) registerBitopKey(t.db, k, true);
    expect(await deleteRuntimeBitopKeys()).toBe(1); // only the newest existing key was still tracked
    expect(await exists(keys[0])).toBe(1);
    expect(await exists(keys[keys.length - 1])).toBe(0);
  });

  it('refuses bad operands: none, NOT of two, other handles, other slots', async () => {
    expect(() => bitOpAnd()).toThrow(InvalidArgumentError);
    expect(() => new BitOp('NOT', [active(), paid()])).toThrow(InvalidArgumentError);
    expect(() => new BitOp('NAND' as never, [active()])).toThrow(InvalidArgumentError);
    expect(() => active().and({ key: 'x' } as never)).toThrow(InvalidArgumentError);
    const other = await t.connect();
    expect(() => active().and(DayEvents.fromDate(other, 'paid', now))).toThrow(InvalidArgumentError);
    const elsewhere = DayEvents.fromDate(t.db, 'paid', now, { keyPrefix: 'stats' });
    expect(keySlot(elsewhere.key)).not.toBe(keySlot(active().key));
    if (t.isCluster) {
      expect(() => active().and(elsewhere)).toThrow(CrossSlotError);
    } else {
      await markEvent(t.db, 'paid', 1, { now, keyPrefix: 'stats' });
      expect(await idsOf(active().and(elsewhere))).toEqual([1]);
    }
  });
});
