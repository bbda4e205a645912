import { UnsupportedError, type Duration, type Walrus } from '@walrus/core';

/** The part of `@walrus/lock` the distributed single-flight uses. @internal */
export interface LeaseLike {
  release(): Promise<void>;
}

/** @internal */
export interface LockLike {
  acquire(o: { block: false }): Promise<LeaseLike | null>;
  /** The lock key and its fencing counter (public on @walrus/lock's Lock). */
  readonly key?: string;
  readonly fenceKey?: string;
}

/** @internal */
export type LockClass = new (db: Walrus, name: string, o: { ttl: Duration }) => LockLike;

let loading: Promise<LockClass> | undefined;

/**
 * Loads the optional peer `@walrus/lock` on first use of `distributed`; a missing or unusable package raises
 * {@link UnsupportedError}. @internal
 */
export function loadLock(): Promise<LockClass> {
  loading ??= import('@walrus/lock').then(
    (mod) => {
      const Lock = (mod as { Lock?: unknown }).Lock;
      if (typeof Lock !== 'function') throw new UnsupportedError('@walrus/lock', 'the installed @walrus/lock does not export Lock; install a current @walrus/lock');
      return Lock as LockClass;
    },
    (cause: unknown) => {
      throw new UnsupportedError('@walrus/lock', 'the distributed option needs the optional peer @walrus/lock: npm i @walrus/lock', { cause });
    },
  );
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
