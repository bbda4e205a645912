/** Hit and miss counters of a cache or of one wrapper. Times are wall-clock milliseconds per call. */
export interface CacheMetrics {
  /** Calls answered without running the function (a stored value, a stale value or another caller's result). */
  readonly hits: number;
  /** Calls that ran the function (or, for `get`/`getMany`, found nothing). */
  readonly misses: number;
  /** Entries written to Redis. */
  readonly writes: number;
  /** Hits that served a stale value while a refresh ran in the background. */
  readonly stale: number;
  /** Mean duration of a hit, in ms. */
  readonly avgHitMs: number;
  /** Mean duration of a miss (including the function's run), in ms. */
  readonly avgMissMs: number;
}

/** Counters that also roll up into a parent (a wrapper's metrics feed its cache's). @internal */
export class Metrics implements CacheMetrics {
  hits = 0;
  misses = 0;
  writes = 0;
  stale = 0;
  #hitMs = 0;
  #missMs = 0;

  constructor(readonly parent?: Metrics) {}

  get avgHitMs(): number {
    return this.hits === 0 ? 0 : this.#hitMs / this.hits;
  }

  get avgMissMs(): number {
    return this.misses === 0 ? 0 : this.#missMs / this.misses;
  }

  hit(ms: number, count = 1): void {
    this.hits += count;
    this.#hitMs += ms * count;
    this.parent?.hit(ms, count);
  }

  miss(ms: number, count = 1): void {
    this.misses += count;
    this.#missMs += ms * count;
    this.parent?.miss(ms, count);
  }

  wrote(count = 1): void {
    this.writes += count;
    this.parent?.wrote(count);
  }

  servedStale(): void {
    this.stale += 1;
    this.parent?.servedStale();
  }

  /** A plain snapshot (for logging). */
  toJSON(): CacheMetrics {
    const { hits, misses, writes, stale, avgHitMs, avgMissMs } = this;
    return { hits, misses, writes, stale, avgHitMs, avgMissMs };
  }
}
