import { ConflictError, InvalidArgumentError, Keyspace, NotFoundError, Script, WrongTypeError, isReplyError, replyObject, type Reply, type Walrus } from '@walrus/core';
import { WRITE_DOCUMENT } from './lua/write-document';
import { parseQuery } from './query';
import { planQuery, type QueryPlan } from './query-plan';
import { Tokenizer, type TokenizerOptions } from './tokenizer';

/** A stored document: its `content` and any metadata fields given with it. */
export type Doc = { content: string; [field: string]: string };

/** Options of {@link Index}: the tokenizer's, plus the key layout. */
export type IndexOptions = TokenizerOptions & {
  /** Wrap the index name in `{}` so all its keys share a cluster slot. Default: the handle's (`true`). `false` gives walrus' Python key names. */
  hashTag?: boolean;
};

/** Options of {@link Index.search} and {@link Index.searchItems}. */
export interface SearchOptions {
  /** Most documents returned. Default: all. */
  limit?: number;
  /** Documents skipped first (best first). Default 0. */
  offset?: number;
  /** What adjacent terms mean. Default `'and'`. */
  defaultConjunction?: 'and' | 'or';
}

/** Options of {@link Index.remove}. */
export interface RemoveOptions {
  /** Keep the document's hash (content and metadata); only take it out of the index. Default `false`. */
  preserveData?: boolean;
}

type Action = 'merge' | 'replace' | 'remove' | 'preserve';
type State = { indexed: boolean; content: string };

const writeDocument = new Script<Reply[]>('fts-write-document', WRITE_DOCUMENT);
const MAX_ATTEMPTS = 5;
const NOTHING: ReadonlyMap<string, number> = new Map();

function documentId(key: unknown): string {
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  if (typeof key === 'string' && key !== '') return key;
  throw new InvalidArgumentError('a document key must be a non-empty string or a finite number', { field: 'key', value: key });
}

function metadataPairs(meta: unknown): string[] {
  if (meta === undefined) return [];
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new InvalidArgumentError('metadata must be an object of strings', { field: 'metadata', value: meta });
  const pairs: string[] = [];
  for (const [field, value] of Object.entries(meta)) {
    if (field === 'content') throw new InvalidArgumentError('metadata cannot have a "content" field (it holds the indexed text)', { field: 'content', value });
    if (typeof value !== 'string') throw new InvalidArgumentError(`metadata field "${field}" must be a string, got ${typeof value}`, { field, value });
    pairs.push(field, value);
  }
  return pairs;
}

function checkCount(field: string, v: unknown, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < min))
    throw new InvalidArgumentError(`${field} must be an integer >= ${min}`, { field, value: v });
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * A full-text index on plain Redis (walrus' `Index`): documents with metadata, Porter stemming, stopwords,
 * optional double metaphone, a boolean query language and ranking by token frequency. Every write is one
 * atomic script (a document is indexed wholly or not at all); a search is one MULTI plus one pipelined read.
 */
export class Index {
  /** The tokenizer documents and queries go through. */
  readonly tokenizer: Tokenizer;
  readonly #db: Walrus;
  readonly #ks: Keyspace;
  readonly #members: string;

  constructor(
    db: Walrus,
    /** The index name (`fts.{name}` / `fts.name`). */
    readonly name: string,
    o: IndexOptions = {},
  ) {
    const { hashTag, ...tokenizer } = o ?? {};
    this.#db = db;
    this.#ks = db.keyspace(name, { hashTag });
    this.tokenizer = new Tokenizer(tokenizer);
    this.#members = this.#ks.key('fts.');
  }

  #documentKey(id: string): string {
    return this.#ks.key('doc.', `.${id}`);
  }

  #tokenKey(token: string): string {
    return this.#ks.key('fts.', `.${token}`);
  }

  /** Indexes a document; on an existing key it behaves as {@link Index.update}. One round trip for a new key, two otherwise. */
  add(key: string | number, content: string, meta?: Record<string, string>): Promise<void> {
    return this.#write(key, 'merge', content, meta);
  }

  /** Re-indexes a document with new content, keeping stored metadata and merging `meta` into it. */
  update(key: string | number, content: string, meta?: Record<string, string>): Promise<void> {
    return this.#write(key, 'merge', content, meta);
  }

  /** Re-indexes a document with new content and only the metadata given (stored metadata is dropped). */
  replace(key: string | number, content: string, meta?: Record<string, string>): Promise<void> {
    return this.#write(key, 'replace', content, meta);
  }

  /**
   * Takes a document out of the index and deletes its hash (kept with `preserveData`). A key that is not indexed
   * raises {@link NotFoundError}. Two round trips.
   */
  async remove(key: string | number, o: RemoveOptions = {}): Promise<void> {
    const preserve = o?.preserveData ?? false;
    if (typeof preserve !== 'boolean') throw new InvalidArgumentError('preserveData must be a boolean', { field: 'preserveData', value: preserve });
    await this.#write(key, preserve ? 'preserve' : 'remove', '', undefined);
  }

  /** The stored document (content and metadata), or `undefined`. One round trip. */
  async getDocument(key: string | number): Promise<Doc | undefined> {
    const k = this.#documentKey(documentId(key));
    const fields = replyObject(await this.#db.command(['HGETALL', k], { type: 'hash' }));
    return Object.keys(fields).length === 0 ? undefined : (fields as Doc);
  }

  /** The documents matching `query`, best first (see {@link parseQuery} for the language). Two round trips. */
  async search(query: string, o: SearchOptions = {}): Promise<Doc[]> {
    return (await this.searchItems(query, o)).map(([, doc]) => doc);
  }

  /** As {@link Index.search}, with each document's key: `[key, doc]` pairs, best first. */
  async searchItems(query: string, o: SearchOptions = {}): Promise<[string, Doc][]> {
    const { limit, offset = 0, defaultConjunction } = o ?? {};
    checkCount('limit', limit, 1);
    checkCount('offset', offset, 0);
    const node = parseQuery(query, { defaultConjunction });
    let ids: string[];
    if (node === null) {
      const all = (await this.#db.command<string[]>(['SMEMBERS', this.#members], { type: 'set' })).map(String).sort(byBytes);
      ids = all.slice(offset, limit === undefined ? undefined : offset + limit);
    } else {
      const plan = planQuery(node, this.tokenizer);
      if (plan === null) return [];
      ids = await this.#rank(plan, offset, limit === undefined ? -1 : offset + limit - 1);
    }
    return this.#load(ids);
  }

  /** Document keys of `plan`, ranked: one ZRANGE, or one MULTI of ZINTERSTORE/ZUNIONSTORE, ZRANGE and DEL. */
  async #rank(plan: QueryPlan, start: number, stop: number): Promise<string[]> {
    const range = (key: string) => ['ZRANGE', key, String(start), String(stop)];
    if (plan.op === 'token') return (await this.#db.command<string[]>(range(this.#tokenKey(plan.token)), { type: 'zset' })).map(String);
    const tx = this.#db.transaction(this.#members);
    const temps: string[] = [];
    const emit = (p: QueryPlan): string => {
      if (p.op === 'token') return this.#tokenKey(p.token);
      const sources = p.children.map(emit);
      const dest = this.#ks.temp();
      temps.push(dest);
      tx.command([p.op === 'and' ? 'ZINTERSTORE' : 'ZUNIONSTORE', dest, String(sources.length), ...sources], { keys: [dest, ...sources] });
      return dest;
    };
    const result = emit(plan);
    tx.command(range(result));
    tx.command(['DEL', ...temps], { keys: temps });
    let replies: Reply[];
    try {
      replies = await tx.exec();
    } catch (err) {
      throw await this.#wrongType(err, plan);
    }
    return (replies[temps.length] as Reply[]).map(String);
  }

  /** Names the token key that made a MULTI fail with WRONGTYPE (other errors pass through). */
  async #wrongType(err: unknown, plan: QueryPlan): Promise<unknown> {
    if (!isReplyError(err, 'WRONGTYPE')) return err;
    const tokens = (p: QueryPlan): string[] => (p.op === 'token' ? [this.#tokenKey(p.token)] : p.children.flatMap(tokens));
    for (const key of new Set(tokens(plan))) {
      const actual = String(await this.#db.command(['TYPE', key]));
      if (actual !== 'zset' && actual !== 'none') return new WrongTypeError(key, 'zset', actual, { cause: err });
    }
    return err;
  }

  async #load(ids: string[]): Promise<[string, Doc][]> {
    const docs = await Promise.all(ids.map((id) => this.#db.command(['HGETALL', this.#documentKey(id)], { type: 'hash' })));
    const out: [string, Doc][] = [];
    docs.forEach((reply, i) => {
      const doc = replyObject(reply);
      // A document removed between the ranking and this read is skipped.
      if (Object.keys(doc).length > 0) out.push([ids[i], doc as Doc]);
    });
    return out;
  }

  async #readState(id: string): Promise<State> {
    const [member, content] = await Promise.all([
      this.#db.command<number>(['SISMEMBER', this.#members, id], { type: 'set' }),
      this.#db.command<string | null>(['HGET', this.#documentKey(id), 'content'], { type: 'hash' }),
    ]);
    return { indexed: Number(member) === 1, content: content === null ? '' : String(content) };
  }

  async #write(key: unknown, action: Action, content: unknown, meta: unknown): Promise<void> {
    const id = documentId(key);
    if (typeof content !== 'string') throw new InvalidArgumentError(`content must be a string, got ${typeof content}`, { field: 'content', value: content });
    const pairs = metadataPairs(meta);
    const removing = action === 'remove' || action === 'preserve';
    const docKey = this.#documentKey(id);
    const fresh = removing ? NOTHING : this.tokenizer.tokenize(content);
    // Adds guess that the document is new (one round trip when it is); removals read the stored state first.
    let state: State = { indexed: false, content: '' };
    if (removing) {
      state = await this.#readState(id);
      if (!state.indexed) throw new NotFoundError(`document "${id}" is not in index "${this.name}"`, { key: docKey });
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stale = state.indexed ? this.tokenizer.tokenize(state.content) : NOTHING;
      const keys = [this.#members, docKey];
      const scores: string[] = [];
      const types: Record<string, string> = { [this.#members]: 'set', [docKey]: 'hash' };
      for (const [token, score] of fresh) {
        keys.push(this.#tokenKey(token));
        scores.push(String(-score));
      }
      for (const token of stale.keys()) {
        if (fresh.has(token)) continue;
        keys.push(this.#tokenKey(token));
        scores.push('');
      }
      for (let i = 2; i < keys.length; i++) types[keys[i]] = 'zset';
      const args = [id, state.indexed ? '1' : '0', state.content, action, content, String(pairs.length / 2), ...pairs, ...scores];
      const reply = await writeDocument.run(this.#db, keys, args, { types });
      const status = Number(reply[0]);
      if (status === 1) return;
      if (status === 2) throw new NotFoundError(`document "${id}" is not in index "${this.name}"`, { key: docKey });
      state = { indexed: Number(reply[1]) === 1, content: String(reply[2]) };
    }
    throw new ConflictError(docKey, { attempts: MAX_ATTEMPTS });
  }
}
