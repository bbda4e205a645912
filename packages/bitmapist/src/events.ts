import { InvalidArgumentError, WrongTypeError, assertSameSlot, isReplyError, type Arg, type Reply, type Walrus } from '@walrus/core';
import { bitopGeneration, invalidateBitops, registerBitopKey } from './bitop-scope';
import { getBitopTtl } from './bitop-ttl';
import { bitsOf, checkId } from './ids';

/** A Redis BITOP operation. */
export type BitOpName = 'AND' | 'OR' | 'XOR' | 'NOT';

/** One `BITOP op dest ...sources` that computes a result key. */
export interface BitopStep {
  readonly op: BitOpName;
  readonly dest: string;
  readonly sources: readonly string[];
}

/** Options of {@link Events.ids}. */
export interface IdsOptions {
  /** Bytes read per GETRANGE (8 ids per byte). Default 65536 (524,288 ids per round trip). */
  chunkBytes?: number;
  /** Ends the iteration early when aborted. */
  signal?: AbortSignal;
}

const OPS: readonly BitOpName[] = ['AND', 'OR', 'XOR', 'NOT'];

/** Finds which of `keys` holds a non-string and names it in a {@link WrongTypeError} (one TYPE per key). */
async function asWrongType(db: Walrus, keys: readonly string[], err: unknown): Promise<unknown> {
  if (!isReplyError(err, 'WRONGTYPE')) return err;
  const types = await Promise.all(keys.map((k) => db.command<string>(['TYPE', k], { key: k })));
  const i = types.findIndex((t) => t !== 'none' && t !== 'string');
  return i === -1 ? err : new WrongTypeError(keys[i], 'string', types[i], { cause: err });
}

/** Steps of several events, each result key once, dependencies first. */
export function mergeSteps(...lists: (readonly BitopStep[])[]): BitopStep[] {
  const seen = new Set<string>();
  const out: BitopStep[] = [];
  for (const list of lists)
    for (const s of list)
      if (!seen.has(s.dest)) {
        seen.add(s.dest);
        out.push(s);
      }
  return out;
}

/**
 * @internal Runs `steps` (each BITOP followed by PEXPIRE of the handle's TTL) and then `reads` in one MULTI routed
 * by `route`; resolves to the replies of `reads`. Result keys are registered in the current bitop scope first.
 */
export async function computeAndRead(db: Walrus, route: string, steps: readonly BitopStep[], reads: Arg[][]): Promise<Reply[]> {
  const ttl = getBitopTtl(db);
  for (const s of steps) registerBitopKey(db, s.dest, ttl !== null);
  const tx = db.transaction(route);
  for (const s of steps) {
    tx.command(['BITOP', s.op, s.dest, ...s.sources], { key: s.dest, keys: [s.dest, ...s.sources] });
    if (ttl !== null) tx.command(['PEXPIRE', s.dest, String(ttl)], { key: s.dest });
  }
  for (const r of reads) tx.command(r);
  try {
    const replies = await tx.exec();
    return replies.slice(replies.length - reads.length);
  } catch (err) {
    throw await asWrongType(db, [...new Set(steps.flatMap((s) => s.sources))], err);
  }
}

/**
 * A set of ids in one Redis bitmap: stored events of a period, unique events, or the result of a bit operation.
 * Reads are single commands; computed sets (BitOps, years) are (re)computed inside the same round trip when
 * needed. Iterating yields the ids in ascending order.
 */
export abstract class Events implements AsyncIterable<number> {
  /** The handle the events are read through. */
  readonly db: Walrus;
  /** The Redis key of the bitmap. */
  readonly key: string;
  /** @internal What event keys start with (`P_`), used to name bit operations over these events. */
  readonly keyBase: string;
  #freshGen = -1;
  #freshUntil = 0;

  /** @internal */
  protected constructor(db: Walrus, key: string, keyBase: string) {
    this.db = db;
    this.key = key;
    this.keyBase = keyBase;
  }

  /** @internal The BITOPs that compute this key, dependencies first; empty for stored events. */
  steps(): readonly BitopStep[] {
    return [];
  }

  /** Steps to run before a read: none for stored events and for results computed recently by this object. */
  #pending(): readonly BitopStep[] {
    const steps = this.steps();
    if (steps.length === 0) return steps;
    return this.#freshGen === bitopGeneration() && performance.now() < this.#freshUntil ? [] : steps;
  }

  /** Runs the steps (always) plus `reads` in one MULTI and remembers when the result will need recomputing. */
  protected async compute(reads: Arg[][]): Promise<Reply[]> {
    const gen = bitopGeneration();
    const started = performance.now();
    const ttl = getBitopTtl(this.db);
    const replies = await computeAndRead(this.db, this.key, this.steps(), reads);
    this.#freshGen = gen;
    this.#freshUntil = ttl === null ? Infinity : started + ttl / 2;
    return replies;
  }

  /** Sends one read command, computing the key first (same MULTI) when it is a stale computed result. */
  protected async read<T extends Reply>(args: Arg[]): Promise<T> {
    if (this.#pending().length === 0) return this.db.command<T>(args, { key: this.key, type: 'string' });
    return (await this.compute([args]))[0] as T;
  }

  /** Number of ids in the set (BITCOUNT). */
  async count(): Promise<number> {
    return Number(await this.read(['BITCOUNT', this.key]));
  }

  /** True when `id` is in the set (GETBIT). */
  async has(id: number): Promise<boolean> {
    checkId(id);
    return Number(await this.read(['GETBIT', this.key, String(id)])) === 1;
  }

  /** True when the key exists, i.e. something was marked in the period, even if later unmarked (EXISTS; Py). */
  async hasEventsMarked(): Promise<boolean> {
    return Number(await this.read(['EXISTS', this.key])) === 1;
  }

  /** Deletes the key of the set (DEL). */
  async delete(): Promise<void> {
    if (this.steps().length) invalidateBitops();
    await this.db.command(['DEL', this.key], { key: this.key });
  }

  /**
   * The ids in the set, ascending, read in GETRANGE chunks (one round trip per chunk). Like SCAN, a set
   * changing during the iteration may or may not show the changes.
   */
  async *ids(o: IdsOptions = {}): AsyncIterableIterator<number> {
    const size = o.chunkBytes ?? 65_536;
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError('chunkBytes must be a positive integer', { field: 'chunkBytes', value: size });
    for (let offset = 0; ; offset += size) {
      if (o.signal?.aborted) return;
      const chunk = await this.#range(offset, offset + size - 1);
      yield* bitsOf(chunk, offset);
      if (chunk.length < size) return;
    }
  }

  async #range(start: number, end: number): Promise<Buffer> {
    const args = ['GETRANGE', this.key, String(start), String(end)];
    const computed = this.steps().length > 0;
    for (let attempt = 0; ; attempt++) {
      if (this.#pending().length) await this.compute([]);
      const gen = bitopGeneration();
      const buf = await this.db.command<Buffer>(args, { key: this.key, type: 'string', buffers: true });
      // A result key deleted by this process between the computation and the read is computed again.
      if (!computed || gen === this.#freshGen || attempt >= 3) return Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf ?? ''));
    }
  }

  /** Iterates {@link Events.ids}. */
  [Symbol.asyncIterator](): AsyncIterator<number> {
    return this.ids();
  }

  /** True when both name the same Redis key (Py's `==`). */
  equals(other: Events): boolean {
    return other instanceof Events && other.key === this.key;
  }

  /** Ids in this set and in every other one (BITOP AND; `&` in Python). */
  and(...others: Events[]): BitOp {
    return new BitOp('AND', [this, ...others]);
  }

  /** Ids in this set or in any other one (BITOP OR; `|` in Python). */
  or(...others: Events[]): BitOp {
    return new BitOp('OR', [this, ...others]);
  }

  /** Ids in an odd number of the sets (BITOP XOR; `^` in Python). */
  xor(...others: Events[]): BitOp {
    return new BitOp('XOR', [this, ...others]);
  }

  /** Ids not in this set, up to the end of its last byte (BITOP NOT; `~` in Python). */
  not(): BitOp {
    return new BitOp('NOT', [this]);
  }
}

/**
 * The result of a bit operation over events, itself events (so operations nest). Lazy: nothing runs until the
 * first read, which computes every nested BITOP in one MULTI (post-order, each followed by PEXPIRE of the
 * handle's TTL) together with the read. Reads within half a TTL reuse the result key; later ones compute it
 * again. The key, `P_bitop_<OP>_<k1>-<k2>-…`, names the operand keys verbatim, so identical operations share it.
 * Raw BITOP semantics: missing keys are empty, NOT flips bits up to the end of the operand's last byte.
 */
export class BitOp extends Events {
  /** The operation. */
  readonly op: BitOpName;
  /** The operands, as given. */
  readonly operands: readonly Events[];

  constructor(op: BitOpName, operands: readonly Events[]) {
    if (!OPS.includes(op)) throw new InvalidArgumentError(`op must be one of ${OPS.join(', ')}, got ${String(op)}`, { field: 'op', value: op });
    if (!Array.isArray(operands) || operands.length === 0 || !operands.every((e) => e instanceof Events))
      throw new InvalidArgumentError(`BITOP ${op} needs at least one Events operand`, { field: 'operands', value: operands });
    if (op === 'NOT' && operands.length !== 1) throw new InvalidArgumentError(`BITOP NOT takes exactly one operand, got ${operands.length}`, { field: 'operands', value: operands.length });
    const first = operands[0];
    if (operands.some((e) => e.db !== first.db))
      throw new InvalidArgumentError('all operands of a bit operation must come from the same @walrus handle', { field: 'operands' });
    const key = `${first.keyBase}bitop_${op}_${operands.map((e) => e.key).join('-')}`;
    super(first.db, key, first.keyBase);
    this.op = op;
    this.operands = [...operands];
    assertSameSlot(this.db, [key, ...operands.map((e) => e.key)]);
  }

  override steps(): readonly BitopStep[] {
    return mergeSteps(...this.operands.map((e) => e.steps()), [{ op: this.op, dest: this.key, sources: this.operands.map((e) => e.key) }]);
  }

  /** Computes the result key now (and every nested one) in one MULTI; usually left to the first read. */
  async materialize(): Promise<this> {
    await this.compute([]);
    return this;
  }
}

/** Ids in every one of the sets (BITOP AND). */
export function bitOpAnd(...events: Events[]): BitOp {
  return new BitOp('AND', events);
}

/** Ids in any of the sets (BITOP OR). */
export function bitOpOr(...events: Events[]): BitOp {
  return new BitOp('OR', events);
}

/** Ids in an odd number of the sets (BITOP XOR). */
export function bitOpXor(...events: Events[]): BitOp {
  return new BitOp('XOR', events);
}

/** Ids not in the set, up to the end of its last byte (BITOP NOT). */
export function bitOpNot(events: Events): BitOp {
  return new BitOp('NOT', [events]);
}
