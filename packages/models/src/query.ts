import { InvalidArgumentError, Script, type Arg, type Transaction } from '@walrus/core';
import type { Stored } from './apply-call';
import { nodeOf, type ExprNode, type Expr, type Order, type OrderNode, type TokenTree } from './expression';
import { SCORE_FILTER_LUA } from './lua/score-filter';
import type { ModelRuntime } from './runtime';
import type { ValueSpec } from './schema';

const SCORE_FILTER = new Script<number>('models.score-filter', SCORE_FILTER_LUA);

/** Options of `Model.query`. */
export interface QueryOptions {
  /** Only records matching this expression (default: all records). */
  where?: Expr;
  /** Sort by a field (`User.fields.name.asc()`); without it the order is unspecified, full-text matches best first. */
  orderBy?: Order;
  /** At most this many records. */
  limit?: number;
  /** Skip this many records first. */
  offset?: number;
}

type RangeNode = Extract<ExprNode, { min: string }>;
const RANGE_OPS = new Set<ExprNode['op']>(['lt', 'le', 'gt', 'ge', 'between']);

/** Where a compiled expression's result lives: a SET, or a ZSET when full-text scores are involved. */
interface Result {
  key: string;
  zset: boolean;
}

/** What one query run returns: the count (when asked) and the matching records (hash id, stored fields). */
export interface QueryResult {
  count: number;
  records: [string, Stored][];
}

/** Turns an expression into commands of one MULTI that leave its result in a key. */
class Compiler {
  readonly steps: ((tx: Transaction) => void)[] = [];
  readonly temps: string[] = [];

  constructor(readonly rt: ModelRuntime) {}

  #temp(): string {
    const t = this.rt.keys.temp();
    this.temps.push(t);
    return t;
  }

  /** Checks that an expression node was made by this model. */
  owned(n: { owner: object; field: string }): void {
    this.#field(n.owner, n.field);
  }

  #field(owner: object, name: string): void {
    if (owner !== this.rt) throw new InvalidArgumentError(`the expression on "${name}" belongs to another model than ${this.rt.name}`, { field: name });
  }

  compile(n: ExprNode): Result {
    const k = this.rt.keys;
    switch (n.op) {
      case 'eq':
        this.#field(n.owner, n.field);
        return { key: k.absolute(n.field, n.text), zset: false };
      case 'ne': {
        this.#field(n.owner, n.field);
        const t = this.#temp();
        this.steps.push((tx) => tx.command(['SDIFFSTORE', t, k.all, k.absolute(n.field, n.text)]));
        return { key: t, zset: false };
      }
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
      case 'between': {
        this.#field(n.owner, n.field);
        const t = this.#temp();
        this.steps.push((tx) => tx.script(SCORE_FILTER, [k.continuous(n.field), t], [n.min, n.max]));
        return { key: t, zset: false };
      }
      case 'match':
      case 'search':
        this.#field(n.owner, n.field);
        if (n.all) return { key: k.all, zset: false };
        return n.tree ? this.#tree(n.field, n.tree) : { key: this.#temp(), zset: false };
      case 'and':
      case 'or':
        return this.#combine(
          n.op,
          n.children.map((c) => this.compile(c)),
        );
    }
  }

  #tree(field: string, t: TokenTree): Result {
    if (t.op === 'token') return { key: this.rt.keys.fts(field, t.token), zset: true };
    return this.#combine(
      t.op,
      t.children.map((c) => this.#tree(field, c)),
    );
  }

  #combine(op: 'and' | 'or', parts: Result[]): Result {
    if (parts.length === 1) return parts[0];
    const t = this.#temp();
    const zset = parts.some((p) => p.zset);
    const keys = parts.map((p) => p.key);
    const cmd = zset ? (op === 'and' ? 'ZINTERSTORE' : 'ZUNIONSTORE') : op === 'and' ? 'SINTERSTORE' : 'SUNIONSTORE';
    // Set members count as score 1 in ZINTERSTORE/ZUNIONSTORE (as in Python walrus).
    this.steps.push((tx) => tx.command(zset ? [cmd, t, String(keys.length), ...keys] : [cmd, t, ...keys], { keys: [t, ...keys] }));
    return { key: t, zset };
  }
}

function checkCount(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`, { field: name, value: v });
  return v as number;
}

/** The sort field of an order, checked against the model. */
export function orderSpec(rt: ModelRuntime, orderBy: Order | undefined): ValueSpec | undefined {
  if (orderBy === undefined) return undefined;
  const o = orderBy as OrderNode;
  const spec = rt.schema.byName.get(o?.field);
  if (o?.owner !== rt || !spec || !('kind' in spec) || (o.direction !== 'asc' && o.direction !== 'desc')) {
    throw new InvalidArgumentError(`orderBy must be made by a field of ${rt.name} (${rt.name}.fields.<name>.asc() or .desc())`, { field: 'orderBy', value: orderBy });
  }
  return spec;
}

/** Byte order of two strings, as Redis compares them. */
function bytesCompare(a: string | Buffer, b: string | Buffer): number {
  return Buffer.compare(Buffer.isBuffer(a) ? a : Buffer.from(a), Buffer.isBuffer(b) ? b : Buffer.from(b));
}

/** Sorts records as `SORT … BY *-><field>` does: numbers (absent = 0) or bytes (absent first), ties by hash id. */
export function sortRecords(records: [string, Stored][], spec: ValueSpec, desc: boolean): [string, Stored][] {
  const numeric = spec.kind.scalar;
  const cmp = ([ida, a]: [string, Stored], [idb, b]: [string, Stored]): number => {
    const va = a.get(spec.name);
    const vb = b.get(spec.name);
    let c: number;
    if (numeric) c = Number(va ?? 0) - Number(vb ?? 0);
    else if (va === undefined || vb === undefined) c = va === vb ? 0 : va === undefined ? -1 : 1;
    else c = bytesCompare(va, vb);
    if (c === 0) c = bytesCompare(ida, idb);
    return desc ? -c : c;
  };
  return [...records].sort(cmp);
}

/**
 * Runs a query as one MULTI: the expression's SINTERSTORE/SUNIONSTORE/ZINTERSTORE/score-filter steps into temporary
 * keys, the count, the page of hash ids (`SORT … BY <prefix>*-><field> … LIMIT`, with `GET` of every field on a
 * single server), and `DEL` of the temporaries. A lone range, unsorted or sorted by its own field, instead copies just
 * the page from the continuous index (`ZRANGESTORE … BYSCORE [REV] LIMIT`). On a cluster (and for binary models) the
 * records are then read with one pipelined HGETALL each; on a cluster another `orderBy` sorts on the client.
 */
export async function runQuery(rt: ModelRuntime, o: QueryOptions & { count?: boolean; fetch?: boolean }): Promise<QueryResult> {
  const limit = checkCount('limit', o.limit);
  const offset = checkCount('offset', o.offset) ?? 0;
  const order = orderSpec(rt, o.orderBy);
  const desc = o.orderBy?.direction === 'desc';
  const keys = rt.keys;
  const compiler = new Compiler(rt);
  const node = o.where === undefined ? undefined : nodeOf(o.where);
  const serverSide = !rt.db.isCluster && !keys.prefix.includes('*');
  const inlineFields = serverSide && !rt.schema.binary;
  const fields = rt.schema.values.map((v) => v.name);
  const tx = rt.db.transaction(keys.all);
  const paged = limit !== undefined || offset > 0;
  const page = (): Arg[] => (paged ? ['LIMIT', String(offset), String(limit ?? -1)] : []);
  let result: Result;
  let countArgs: Arg[];
  // A lone range sorted by its own field (or unsorted) is read in score order straight from the continuous index:
  // ZRANGESTORE copies just the page, instead of copying every match and sorting them.
  const lone = node && RANGE_OPS.has(node.op) && (order === undefined || order.name === (node as RangeNode).field) ? (node as RangeNode) : undefined;
  if (lone) {
    compiler.owned(lone);
    const t = keys.temp();
    compiler.temps.push(t);
    const source = keys.continuous(lone.field);
    tx.command(['ZRANGESTORE', t, source, ...(desc ? [lone.max, lone.min, 'BYSCORE', 'REV'] : [lone.min, lone.max, 'BYSCORE']), ...page()], { keys: [t, source] });
    result = { key: t, zset: true };
    countArgs = ['ZCOUNT', source, lone.min, lone.max];
  } else {
    result = node === undefined ? { key: keys.all, zset: false } : compiler.compile(node);
    for (const step of compiler.steps) step(tx);
    countArgs = [result.zset ? 'ZCARD' : 'SCARD', result.key];
  }
  const countAt = o.count ? tx.length : -1;
  if (o.count) tx.command(countArgs);
  const fetchAt = o.fetch === false ? -1 : tx.length;
  const clientSort = order !== undefined && !serverSide && !lone;
  if (fetchAt !== -1 && limit !== 0) {
    const sort: Arg[] = ['SORT', result.key];
    if (lone) sort.push('BY', 'nosort', ...(desc ? ['DESC'] : []));
    else if (order && serverSide) sort.push('BY', `${keys.prefix}*->${order.name}`, ...(order.kind.scalar ? [] : ['ALPHA']), ...(desc ? ['DESC'] : []));
    else sort.push('BY', 'nosort');
    if (!clientSort && !lone) sort.push(...page());
    if (inlineFields) sort.push('GET', '#', ...fields.flatMap((f) => ['GET', `${keys.prefix}*->${f}`]));
    tx.command(sort, { keys: [result.key] });
  }
  if (compiler.temps.length) tx.command(['DEL', ...compiler.temps], { keys: compiler.temps });
  const replies = tx.length ? await tx.exec() : [];

  const count = countAt === -1 ? 0 : Number(replies[countAt]);
  if (fetchAt === -1 || limit === 0) return { count, records: [] };
  const reply = (replies[fetchAt] ?? []) as (string | null)[];
  let records: [string, Stored][] = [];
  if (inlineFields) {
    const width = fields.length + 1;
    for (let i = 0; i + width <= reply.length; i += width) {
      const stored: Stored = new Map();
      fields.forEach((f, j) => {
        const v = reply[i + 1 + j];
        if (v !== null && v !== undefined) stored.set(f, v);
      });
      if (stored.size > 0) records.push([String(reply[i]), stored]);
    }
    return { count, records };
  }
  const ids = reply.map(String);
  const stored = await rt.readStored(ids);
  records = ids.flatMap((id, i) => (stored[i] ? [[id, stored[i]] as [string, Stored]] : []));
  if (clientSort) records = sortRecords(records, order, desc).slice(offset, limit === undefined ? undefined : offset + limit);
  return { count, records };
}
