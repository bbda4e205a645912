import {
  ConflictError,
  DecodeError,
  InvalidArgumentError,
  NotFoundError,
  Script,
  formatPythonFloat,
  jsonCodec,
  keySlot,
  toMs,
  type Duration,
  type Keyspace,
  type Reply,
  type Walrus,
} from '@walrus/core';
import { resolveStopwords } from '@walrus/fts/stopwords';
import { SEPARATOR, compareBytes } from './boosts';
import { BOOST } from './lua/boost';
import { REMOVE } from './lua/remove';
import { SEARCH } from './lua/search';
import { STORE } from './lua/store';
import { cleanWords, prefixScores } from './scoring';

/** Options of {@link Autocomplete}. */
export interface AutocompleteOptions {
  /** Prefix of every key (`NS:d`, `NS:s:<prefix>`…). Default `'autocomplete'` (walrus used `'walrus'`). */
  namespace?: string;
  /** How long a multi-word search's intersection is cached. Default `'600s'`; `0` disables the cache. */
  cacheTtl?: Duration;
  /** Words left out of titles and searches (except a search's last word); `false` keeps all. Default: @walrus/fts' list. */
  stopwords?: Iterable<string> | false;
  /** Keep every Unicode letter and digit in titles and searches (walrus keeps only `a-z 0-9 _ -`). Default `false`. */
  unicode?: boolean;
  /** Wrap the namespace in `{}` so all keys share a cluster slot. Default: the handle's (`true`). `false` gives walrus' names. */
  hashTag?: boolean;
}

/** An object to index: its `title` is what searches match, its `data` what they return. */
export interface AutocompleteItem<D> {
  /** Unique per `type`. */
  id: string | number;
  /** The phrase indexed. Default: the id. */
  title?: string;
  /** Returned by searches, stored as JSON. Default: the title (or the id, when there is no title). */
  data?: D;
  /** Lets boosts target a kind of object. Default: none. */
  type?: string;
}

/** Options of {@link Autocomplete.search}. */
export interface AutocompleteSearchOptions {
  /** Most results. Default: all. */
  limit?: number;
  /** One-off multipliers by id or type (`'<id>\x01<type>'` for one object), over the saved ones. > 1 moves up. */
  boosts?: Record<string, number>;
}

/** Options of {@link Autocomplete.boostObject}: `id` and/or `type`. */
export interface BoostOptions {
  /** Boost one object id (of `type` when given). */
  id?: string | number;
  /** Boost every object of this type (only the object `id` when both are given). */
  type?: string;
  /** Positive factor; > 1 moves results up, < 1 down. Default 1.1. */
  multiplier?: number;
  /** Multiply the saved boost (`true`, default) or replace it. */
  relative?: boolean;
}

const storeScript = new Script<Reply[]>('autocomplete-store', STORE);
const removeScript = new Script<Reply[]>('autocomplete-remove', REMOVE);
const searchScript = new Script<Reply[]>('autocomplete-search', SEARCH);
const boostScript = new Script<string>('autocomplete-boost', BOOST);
const MAX_ATTEMPTS = 5;
const CHUNK = 1000;

function idText(id: unknown, field = 'id'): string {
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string' && id !== '' && !id.includes(SEPARATOR)) return id;
  throw new InvalidArgumentError(`${field} must be a non-empty string without \\x01 or a finite number`, { field, value: id });
}

function typeText(type: unknown): string {
  if (type === undefined || type === null) return '';
  if (typeof type === 'string' && !type.includes(SEPARATOR)) return type;
  throw new InvalidArgumentError('type must be a string without \\x01', { field: 'type', value: type });
}

function checkMultiplier(m: unknown, field: string): number {
  if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0) throw new InvalidArgumentError(`${field} must be a finite number > 0`, { field, value: m });
  return m;
}

function checkBoosts(boosts: unknown): Record<string, number> | undefined {
  if (boosts === undefined) return undefined;
  if (boosts === null || typeof boosts !== 'object' || Array.isArray(boosts)) throw new InvalidArgumentError('boosts must be an object of multipliers', { field: 'boosts', value: boosts });
  for (const [k, m] of Object.entries(boosts)) checkMultiplier(m, `boosts.${k}`);
  return Object.keys(boosts).length > 0 ? (boosts as Record<string, number>) : undefined;
}

/**
 * Prefix typeahead on plain Redis (walrus' `Autocomplete`): phrases or objects with JSON data, walrus' exact
 * position-aware scoring, saved and one-off boosts by id and type. Writes are atomic scripts; a search without
 * boosts is one round trip.
 */
export class Autocomplete<D = unknown> {
  /** Prefix of every key. */
  readonly namespace: string;
  /** Words left out of titles and of searches (except their last word). */
  readonly stopwords: ReadonlySet<string>;
  readonly #db: Walrus;
  readonly #ks: Keyspace;
  readonly #cacheMs: number;
  readonly #unicode: boolean;
  readonly #codec = jsonCodec<D>();
  readonly #data: string;
  readonly #titles: string;
  readonly #boosts: string;

  constructor(db: Walrus, o: AutocompleteOptions = {}) {
    const { namespace = 'autocomplete', cacheTtl = '600s', stopwords, unicode = false, hashTag } = o ?? {};
    if (typeof unicode !== 'boolean') throw new InvalidArgumentError('unicode must be a boolean', { field: 'unicode', value: unicode });
    this.#cacheMs = Math.ceil(toMs(cacheTtl, 'cacheTtl'));
    if (!Number.isFinite(this.#cacheMs)) throw new InvalidArgumentError('cacheTtl must be a finite duration >= 0', { field: 'cacheTtl', value: cacheTtl });
    this.#db = db;
    this.#ks = db.keyspace(namespace, { hashTag });
    this.namespace = namespace;
    this.#unicode = unicode;
    this.stopwords = resolveStopwords(stopwords);
    this.#data = this.#key(':d');
    this.#titles = this.#key(':t');
    this.#boosts = this.#key(':b');
  }

  #key(suffix: string): string {
    return this.#ks.key('', suffix);
  }

  #prefixKey(prefix: string): string {
    return this.#key(`:s:${prefix}`);
  }

  /** The title's words that are indexed: cleaned, stopwords dropped. */
  #titleWords(title: string): string[] {
    return cleanWords(title, this.#unicode).filter((w) => !this.stopwords.has(w));
  }

  #prefixKeys(title: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [p, score] of prefixScores(this.#titleWords(title))) out.set(this.#prefixKey(p), score);
    return out;
  }

  /**
   * Indexes a phrase (`store('walrus tusks')`: id, title and data are the phrase) or an object. Storing an id
   * again replaces its title and data; an unchanged title rewrites only the data. One round trip, two when the
   * title changes.
   */
  async store(item: string | number | AutocompleteItem<D>): Promise<void> {
    const o: AutocompleteItem<D> = typeof item === 'object' && item !== null ? item : { id: item as string | number };
    const id = idText(o.id);
    const type = typeText(o.type);
    const title = o.title === undefined ? id : o.title;
    if (typeof title !== 'string' || title === '') throw new InvalidArgumentError('title must be a non-empty string', { field: 'title', value: title });
    // As in walrus, the data defaults to the title, or to the id itself (a number stays a number).
    const data = this.#codec.encode((o.data !== undefined ? o.data : o.title === undefined ? o.id : title) as D);
    const member = `${id}${SEPARATOR}${type}`;
    const fresh = this.#prefixKeys(title);
    let expected: string | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stale = expected === undefined ? [] : [...this.#prefixKeys(expected).keys()].filter((k) => !fresh.has(k));
      const keys = [this.#data, this.#titles, ...stale, ...fresh.keys()];
      const args = [member, expected === undefined ? '0' : '1', expected ?? '', title, data, String(stale.length), ...fresh.values()];
      const reply = await storeScript.run(this.#db, keys, args, { types: this.#types(keys, 2) });
      if (Number(reply[0]) === 1) return;
      expected = reply.length > 1 ? String(reply[1]) : undefined;
    }
    throw new ConflictError(this.#titles, { attempts: MAX_ATTEMPTS });
  }

  /**
   * Removes an object (or phrase) with its id+type boost. Prefix entries of other phrases stay. An object that is
   * not stored raises {@link NotFoundError}. Two round trips.
   */
  async remove(id: string | number, type?: string): Promise<void> {
    const member = `${idText(id)}${SEPARATOR}${typeText(type)}`;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const title = await this.#db.command<string | null>(['HGET', this.#titles, member], { type: 'hash' });
      const keys = [this.#data, this.#titles, this.#boosts, ...(title === null ? [] : this.#prefixKeys(String(title)).keys())];
      const reply = await removeScript.run(this.#db, keys, [member, title ?? ''], { types: this.#types(keys, 3) });
      const status = Number(reply[0]);
      if (status === 1) return;
      if (status === 2) throw new NotFoundError(`no autocomplete object ${JSON.stringify(String(id))}${type ? ` of type ${JSON.stringify(type)}` : ''}`, { key: this.#data });
    }
    throw new ConflictError(this.#titles, { attempts: MAX_ATTEMPTS });
  }

  /** Whether the object (or phrase) is stored. One round trip. */
  async exists(id: string | number, type?: string): Promise<boolean> {
    const member = `${idText(id)}${SEPARATOR}${typeText(type)}`;
    return Number(await this.#db.command(['HEXISTS', this.#data, member], { type: 'hash' })) === 1;
  }

  /**
   * Saves a boost for one object (`id` and `type`), an id of any type, or a type. With `relative` (default) the
   * saved multiplier is multiplied, else replaced. Returns the multiplier now saved. One round trip.
   */
  async boostObject(o: BoostOptions): Promise<number> {
    const { id, type, multiplier = 1.1, relative = true } = o ?? {};
    if (id === undefined && (type === undefined || type === '')) throw new InvalidArgumentError('boostObject needs an id or a type', { field: 'id', value: id });
    const field = `${id === undefined ? '' : idText(id)}${SEPARATOR}${typeText(type)}`;
    checkMultiplier(multiplier, 'multiplier');
    if (typeof relative !== 'boolean') throw new InvalidArgumentError('relative must be a boolean', { field: 'relative', value: relative });
    if (!relative) {
      await this.#db.command(['HSET', this.#boosts, field, formatPythonFloat(multiplier)], { type: 'hash' });
      return multiplier;
    }
    return Number(await boostScript.run(this.#db, [this.#boosts], [field, String(multiplier)], { types: { [this.#boosts]: 'hash' } }));
  }

  /**
   * The data of the objects whose title has a word starting with each searched word, best first: earlier words
   * and earlier titles win, then boosts apply. Stopwords are ignored except the last word (it may be half typed).
   * One round trip. With boosts (saved or given) the script reads and ranks every match, so the cost grows with
   * the number of phrases the prefix matches.
   */
  async search(phrase: string, o: AutocompleteSearchOptions = {}): Promise<D[]> {
    const { limit, boosts } = o ?? {};
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new InvalidArgumentError('limit must be an integer >= 1', { field: 'limit', value: limit });
    const out: D[] = [];
    for await (const d of this.#results(phrase, checkBoosts(boosts), limit ?? -1)) out.push(d);
    return out;
  }

  /**
   * As {@link Autocomplete.search}, reading results in chunks of `chunkSize` (default 1000) as they are consumed
   * (with boosts, all matches are ranked in the first call).
   */
  async *searchIter(phrase: string, o: { boosts?: Record<string, number>; chunkSize?: number } = {}): AsyncIterableIterator<D> {
    const { boosts, chunkSize = CHUNK } = o ?? {};
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new InvalidArgumentError('chunkSize must be an integer >= 1', { field: 'chunkSize', value: chunkSize });
    yield* this.#results(phrase, checkBoosts(boosts), -1, chunkSize);
  }

  async *#results(phrase: string, boosts: Record<string, number> | undefined, limit: number, chunk = limit): AsyncIterableIterator<D> {
    if (typeof phrase !== 'string') throw new InvalidArgumentError('a search phrase must be a string', { field: 'phrase', value: phrase });
    const cleaned = cleanWords(phrase, this.#unicode);
    const words = cleaned.filter((w, i) => i === cleaned.length - 1 || !this.stopwords.has(w));
    if (words.length === 0) return;
    const sources = words.map((w) => this.#prefixKey(w));
    const keys = words.length === 1 ? [this.#data, this.#boosts, sources[0]] : [this.#data, this.#boosts, this.#key(`:c:${words.join('|')}`), ...sources];
    const oneOff = Object.entries(boosts ?? {}).flatMap(([k, m]) => [k, String(m)]);
    const types = this.#types(keys, 2);
    let rank = 0;
    let left = limit; // -1: no limit
    for (;;) {
      const want = chunk < 0 ? left : left < 0 ? chunk : Math.min(chunk, left);
      const reply = await searchScript.run(this.#db, keys, [this.#cacheMs, rank, want, limit, ...oneOff], { types });
      if (Number(reply[0]) === 1) {
        // Boosted: the script ranked by boosted score; members tied on score go by their bytes, as in a ZSET.
        yield* this.#ranked(reply[1] as Reply[], limit);
        return;
      }
      const values = reply[2] as Reply[];
      for (const raw of values) yield this.#decode(raw);
      if (left > 0) left -= values.length;
      rank = Number(reply[1]);
      if (rank < 0 || left === 0) return;
    }
  }

  *#ranked(flat: Reply[], limit: number): IterableIterator<D> {
    const rows: { member: string; score: number; data: Reply }[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) rows.push({ member: String(flat[i]), score: Number(flat[i + 1]), data: flat[i + 2] });
    rows.sort((a, b) => a.score - b.score || compareBytes(a.member, b.member));
    for (const row of limit > 0 ? rows.slice(0, limit) : rows) yield this.#decode(row.data);
  }

  #decode(raw: Reply): D {
    try {
      return this.#codec.decode(raw as string);
    } catch (err) {
      throw err instanceof DecodeError ? new DecodeError(err.message, { key: this.#data, cause: err.cause }) : err;
    }
  }

  #types(keys: string[], hashes: number): Record<string, string> {
    const types: Record<string, string> = {};
    keys.forEach((k, i) => (types[k] = i < hashes ? 'hash' : 'zset'));
    return types;
  }

  /** Deletes every key of the namespace (data, titles, boosts, prefixes, caches). Returns how many went. */
  async flush(): Promise<number> {
    const base = this.#ks.key('').slice(this.#db.prefix.length);
    const pattern = `${base.replace(/[*?[\]\\]/g, '\\$&')}:*`;
    const bySlot = new Map<number, string[]>();
    let removed = 0;
    const drop = async (keys: string[]) => {
      if (keys.length > 0) removed += Number(await this.#db.command(['UNLINK', ...keys], { keys }));
    };
    for await (const k of this.#db.scanKeys(pattern)) {
      const key = this.#db.prefix + k;
      const slot = this.#db.isCluster ? keySlot(key) : 0;
      const batch = bySlot.get(slot) ?? [];
      batch.push(key);
      bySlot.set(slot, batch);
      if (batch.length >= 500) {
        bySlot.delete(slot);
        await drop(batch);
      }
    }
    for (const batch of bySlot.values()) await drop(batch);
    return removed;
  }

  /** Every object's data, decoded (hash order). One round trip. */
  async listData(): Promise<D[]> {
    return (await this.#db.command<Reply[]>(['HVALS', this.#data], { type: 'hash' })).map((raw) => this.#decode(raw));
  }

  /** Every object's title (hash order). One round trip. */
  async listTitles(): Promise<string[]> {
    return (await this.#db.command<Reply[]>(['HVALS', this.#titles], { type: 'hash' })).map(String);
  }
}

