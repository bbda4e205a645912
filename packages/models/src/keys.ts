import { InvalidArgumentError, type Keyspace, type Walrus } from '@walrus/core';

/** Options that shape a model's key names. */
export interface KeyOptions {
  /** Put the model's keys under `<namespace>|<model>` (Python's `__namespace__`). */
  namespace?: string;
  /** Joins the parts of index key names. Default `'.'` (Python's `index_separator`). */
  indexSeparator?: string;
  /** Wrap `<namespace>|<model>` in `{}` so all keys of the model share one cluster slot. Default: the handle's. */
  hashTag?: boolean;
}

function checkName(what: string, v: unknown): string {
  if (typeof v !== 'string' || v === '' || /[{}]/.test(v)) throw new InvalidArgumentError(`a model ${what} must be a non-empty string without braces`, { field: what, value: v });
  return v;
}

/**
 * The key layout of one model (Python walrus' names; `<base>` is `ns|model:`, or `{ns|model}:` in tag mode):
 * record `<base>id.<pk>` (its name without the handle prefix is the record's *hash id*, the member stored in
 * indexes), `<base>all`, `<base><f>._sequence`, `<base><f>.absolute.<value>`, `<base><f>.continuous`,
 * `<base><f>.fts.<token>`, `<base>container.<f>.<hash id>`.
 */
export class ModelKeys {
  /** The handle prefix. */
  readonly prefix: string;
  /** `<base>` without the handle prefix. */
  readonly base: string;
  /** The separator of index key parts. */
  readonly separator: string;
  readonly #space: Keyspace;

  constructor(db: Walrus, model: string, o: KeyOptions = {}) {
    checkName('name', model);
    const ns = o.namespace === undefined ? undefined : checkName('namespace', o.namespace);
    const sep = o.indexSeparator ?? '.';
    if (typeof sep !== 'string' || sep === '') throw new InvalidArgumentError('indexSeparator must be a non-empty string', { field: 'indexSeparator', value: sep });
    const name = ns === undefined ? model : `${ns}|${model}`;
    this.#space = db.keyspace(name, { hashTag: o.hashTag });
    this.prefix = db.prefix;
    this.base = this.#space.key('', ':').slice(db.prefix.length);
    this.separator = sep;
  }

  #part(...parts: string[]): string {
    return this.prefix + this.base + parts.join(this.separator);
  }

  /** The hash id (record key without the handle prefix) of a primary key given as Python's `str(pk)`. */
  hashId(pkText: string): string {
    return `${this.base}id${this.separator}${pkText}`;
  }

  /** The Redis key of a record. */
  record(hashId: string): string {
    return this.prefix + hashId;
  }

  /** The SET of every record's hash id. */
  get all(): string {
    return this.#part('all');
  }

  /** The counter of an autoIncrement field. */
  sequence(field: string): string {
    return this.#part(field, '_sequence');
  }

  /** The SET of the records whose `field` is stored as `value`. */
  absolute(field: string, value: string): string {
    return this.#part(field, 'absolute', value);
  }

  /** The ZSET of hash id → numeric value of a scalar field. */
  continuous(field: string): string {
    return this.#part(field, 'continuous');
  }

  /** The ZSET of hash id → −score of a full-text token. */
  fts(field: string, token: string): string {
    return this.#part(field, 'fts', token);
  }

  /** The name (without the handle prefix) of a record's container field. */
  containerName(field: string, hashId: string): string {
    return this.base + ['container', field, hashId].join(this.separator);
  }

  /** A temporary key in the model's slot. */
  temp(): string {
    return this.#space.temp();
  }
}
