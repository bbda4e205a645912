import { InvalidArgumentError, type Walrus } from '@walrus/core';
import { Container, assertInteger, notAnInteger } from './container';

/**
 * An integer counter in one Redis string at `counter:<name>` (the Python library's key, in both key modes).
 * A missing counter reads 0; nothing is written until the first change.
 *
 * @example
 * const hits = new Counter(db, 'hits');
 * await hits.incr(); // 1
 * await hits.incr(5); // 6
 */
export class Counter extends Container {
  readonly redisType = 'string';

  /** A counter at `db.key('counter:' + name)`. */
  constructor(db: Walrus, name: string) {
    if (typeof name !== 'string' || name === '') throw new InvalidArgumentError('a counter name must be a non-empty string', { field: 'name', value: name });
    super(db, name, db.key(`counter:${name}`));
  }

  /** The current value (GET); 0 when the counter does not exist. */
  async value(): Promise<number> {
    const raw = await this.cmd<string | null>(['GET', this.key]);
    if (raw === null) return 0;
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`counter "${this.key}" holds ${JSON.stringify(raw)}, not an integer`, { value: raw });
    return n;
  }

  async #by(cmd: 'INCRBY' | 'DECRBY', by: number): Promise<number> {
    assertInteger(by, 'by');
    try {
      return await this.cmd<number>([cmd, this.key, String(by)]);
    } catch (err) {
      throw notAnInteger(err, this.key);
    }
  }

  /** Adds `by` (default 1; INCRBY) and resolves to the new value. */
  incr(by = 1): Promise<number> {
    return this.#by('INCRBY', by);
  }

  /** Subtracts `by` (default 1; DECRBY) and resolves to the new value. */
  decr(by = 1): Promise<number> {
    return this.#by('DECRBY', by);
  }

  /** Sets the value (SET). */
  async set(value: number): Promise<void> {
    assertInteger(value, 'value');
    await this.cmd(['SET', this.key, String(value)]);
  }
}
