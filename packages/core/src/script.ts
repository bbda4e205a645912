import { createHash } from 'node:crypto';
import { InvalidArgumentError, ScriptError, WalrusError, WrongTypeError, isReplyError } from './errors';
import type { Arg, Reply } from './types';
import { assertSameSlot, type Transaction, type Walrus } from './walrus';

/** A value a script accepts as an argument. */
export type ScriptArg = Arg | number | bigint | boolean;

function toArg(v: unknown, script: string): Arg {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`script ${script}: argument ${v} is not a finite number`, { value: v });
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  throw new InvalidArgumentError(`script ${script}: arguments must be strings, Buffers, numbers, bigints or booleans; got ${typeof v}`, { value: v });
}

/**
 * A Lua script run by SHA. `run` sends EVALSHA (EVALSHA_RO for read-only scripts on Redis 7+) and, on
 * NOSCRIPT, EVAL with the source, routed by the first key to the same node: after a restart or SCRIPT FLUSH
 * a script costs one extra round trip, on every cluster node. Scripts raise `WALRUS_<CODE> message` errors on
 * purpose; those surface as {@link ScriptError} with `reason` = `<CODE>`.
 */
export class Script<R = Reply> {
  #sha?: string;
  /** True for scripts that only read (run with EVALSHA_RO where the server has it). */
  readonly readOnly: boolean;
  /** The exact number of keys the script takes, when fixed. */
  readonly numKeys?: number;

  constructor(
    /** A name used in error messages. */
    readonly name: string,
    /** The Lua source. */
    readonly source: string,
    o: { readOnly?: boolean; numKeys?: number } = {},
  ) {
    this.readOnly = o.readOnly ?? false;
    this.numKeys = o.numKeys;
  }

  /** SHA-1 of the source, as `SCRIPT LOAD` would return it. */
  get sha(): string {
    this.#sha ??= createHash('sha1').update(this.source).digest('hex');
    return this.#sha;
  }

  #check(db: Walrus, keys: string[]): void {
    if (!Array.isArray(keys) || keys.length === 0) throw new InvalidArgumentError(`script ${this.name} needs at least one key (it routes the call)`, { field: 'keys', value: keys });
    if (this.numKeys !== undefined && keys.length !== this.numKeys)
      throw new InvalidArgumentError(`script ${this.name} takes ${this.numKeys} keys, got ${keys.length}`, { field: 'keys', value: keys });
    assertSameSlot(db, keys);
  }

  /**
   * Runs the script on the node owning `keys[0]`. `types` maps keys to the Redis type they must hold, so a
   * WRONGTYPE failure becomes a {@link WrongTypeError} naming the key.
   */
  async run(db: Walrus, keys: string[], args: readonly ScriptArg[] = [], o: { buffers?: boolean; types?: Record<string, string> } = {}): Promise<R> {
    this.#check(db, keys);
    const argv = args.map((a) => toArg(a, this.name));
    const ro = this.readOnly && (await db.server()).has('evalRo');
    const call = (cmd: string, body: string) =>
      db.command<R>([cmd, body, String(keys.length), ...keys, ...argv], { key: keys[0], readonly: ro, buffers: o.buffers });
    try {
      try {
        return await call(ro ? 'EVALSHA_RO' : 'EVALSHA', this.sha);
      } catch (err) {
        if (!isReplyError(err, 'NOSCRIPT')) throw err;
        return await call(ro ? 'EVAL_RO' : 'EVAL', this.source);
      }
    } catch (err) {
      throw await this.translate(db, err, o.types);
    }
  }

  /** Queues the script into a transaction as EVAL (no NOSCRIPT retry is possible inside EXEC). */
  queue(tx: Transaction, keys: string[], args: readonly unknown[] = []): Transaction {
    if (!Array.isArray(keys) || keys.length === 0) throw new InvalidArgumentError(`script ${this.name} needs at least one key`, { field: 'keys', value: keys });
    return tx.command(['EVAL', this.source, String(keys.length), ...keys, ...args.map((a) => toArg(a, this.name))], { key: keys[0], keys });
  }

  /** Maps a failure of this script to a @walrus error (used for replies of queued scripts too). */
  async translate(db: Walrus, err: unknown, types?: Record<string, string>): Promise<unknown> {
    if (err instanceof WalrusError || typeof (err as Error | null)?.message !== 'string') return err;
    const message = (err as Error).message;
    if (isReplyError(err, 'WRONGTYPE') && types) {
      const entries = Object.entries(types);
      const actual = await Promise.all(entries.map(([k]) => db.command<string>(['TYPE', k], { key: k })));
      const i = entries.findIndex(([, expected], j) => actual[j] !== 'none' && actual[j] !== expected);
      if (i !== -1) return new WrongTypeError(entries[i][0], entries[i][1], actual[i], { cause: err });
    }
    const m = /^WALRUS_([A-Z_]+)\s*(.*)$/s.exec(message);
    // Failures of the server (CLUSTERDOWN, OOM, NOPERM, connection loss) are not the script's: pass them through.
    if (!m && !/user_script/.test(message)) return err;
    return new ScriptError(this.name, this.sha, m ? m[2] || m[1] : message, { cause: err, reason: m?.[1] ?? message.split(' ')[0] });
  }
}
