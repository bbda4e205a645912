import { AsyncLocalStorage } from 'node:async_hooks';
import { keySlot, type Walrus } from '@walrus/core';

/** The BITOP result keys made inside one scope, per handle. */
class ScopeState {
  closed = false;
  readonly keys = new Map<Walrus, Set<string>>();
  constructor(readonly parent?: ScopeState) {}
}

const root = new ScopeState();
let storage: AsyncLocalStorage<ScopeState> | undefined;
let generation = 0;

function store(): AsyncLocalStorage<ScopeState> {
  storage ??= new AsyncLocalStorage<ScopeState>();
  return storage;
}

/** The innermost open scope of the current async context (a disposed scope hands over to its parent). */
function current(): ScopeState {
  let s = storage?.getStore() ?? root;
  while (s.closed && s.parent) s = s.parent;
  return s;
}

/** Result keys with a TTL tracked outside any scope, per handle, before the oldest are left to expire. */
const ROOT_LIMIT = 10_000;

/**
 * @internal Records a BITOP result key in the current scope, for {@link deleteRuntimeBitopKeys}. Outside any
 * scope a long-running process would track keys forever: there, keys that expire on their own (`expiring`) are
 * tracked up to {@link ROOT_LIMIT} per handle, the oldest dropped first.
 */
export function registerBitopKey(db: Walrus, key: string, expiring = false): void {
  const scope = current();
  let keys = scope.keys.get(db);
  if (!keys) scope.keys.set(db, (keys = new Set()));
  keys.delete(key);
  keys.add(key);
  if (scope === root && expiring && keys.size > ROOT_LIMIT) keys.delete(keys.values().next().value as string);
}

/**
 * @internal A counter bumped before any BITOP result key is deleted by this process: a BitOp materialised
 * under an older value is computed again on its next read.
 */
export function bitopGeneration(): number {
  return generation;
}

/** @internal Marks every materialised BitOp of this process stale. */
export function invalidateBitops(): void {
  generation++;
}

/** Deletes keys with one DEL per handle and cluster slot (concurrently); resolves to the number deleted. */
export async function deleteKeys(db: Walrus, keys: Iterable<string>): Promise<number> {
  const groups = new Map<number, string[]>();
  for (const k of keys) {
    const slot = db.isCluster ? keySlot(k) : 0;
    const g = groups.get(slot);
    if (g) g.push(k);
    else groups.set(slot, [k]);
  }
  const sends: Promise<number>[] = [];
  for (const g of groups.values())
    for (let i = 0; i < g.length; i += 1000) {
      const chunk = g.slice(i, i + 1000);
      sends.push(db.command<number>(['DEL', ...chunk], { key: chunk[0], keys: chunk }));
    }
  return (await Promise.all(sends)).reduce((a, b) => a + Number(b), 0);
}

async function deleteScopeKeys(scope: ScopeState): Promise<number> {
  if (scope.keys.size === 0) return 0;
  const taken = [...scope.keys];
  scope.keys.clear();
  invalidateBitops();
  const results = await Promise.allSettled(taken.map(([db, keys]) => deleteKeys(db, keys)));
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed !== -1) {
    // Keep what could not be deleted tracked, so a later call can retry.
    results.forEach((r, i) => {
      if (r.status === 'rejected') for (const k of taken[i][1]) registerIn(scope, taken[i][0], k);
    });
    throw (results[failed] as PromiseRejectedResult).reason;
  }
  return results.reduce((a, r) => a + (r as PromiseFulfilledResult<number>).value, 0);
}

function registerIn(scope: ScopeState, db: Walrus, key: string): void {
  let keys = scope.keys.get(db);
  if (!keys) scope.keys.set(db, (keys = new Set()));
  keys.add(key);
}

/**
 * Deletes the BITOP result keys created by this async scope (see {@link bitopScope} / {@link runInBitopScope};
 * outside any scope, those of the whole process) since the last cleanup. One DEL per handle and cluster slot.
 * Resolves to the number of keys deleted. Call it at the end of a request or script that ran bit operations.
 */
export function deleteRuntimeBitopKeys(): Promise<number> {
  return deleteScopeKeys(current());
}

/** A scope of BITOP result keys; disposing it deletes them. */
export interface BitopScope extends AsyncDisposable {
  /** Number of result keys tracked by the scope right now. */
  readonly size: number;
  /** Deletes the keys tracked so far (like {@link deleteRuntimeBitopKeys} inside the scope). */
  deleteKeys(): Promise<number>;
}

function scopeHandle(state: ScopeState, onDispose: () => void): BitopScope {
  return {
    get size() {
      let n = 0;
      for (const keys of state.keys.values()) n += keys.size;
      return n;
    },
    deleteKeys: () => deleteScopeKeys(state),
    async [Symbol.asyncDispose]() {
      if (state.closed) return;
      state.closed = true;
      onDispose();
      await deleteScopeKeys(state);
    },
  };
}

/**
 * Opens a scope for the rest of the current async function: BITOP result keys materialised from here on are
 * tracked by it, and `await using` deletes them when the function ends. Concurrent tasks started from the same
 * function share the scope; give each its own with {@link runInBitopScope}.
 *
 * @example
 * await using scope = bitopScope();
 * await DayEvents.fromDate(db, 'active').and(new UniqueEvents(db, 'premium')).count();
 */
export function bitopScope(): BitopScope {
  const als = store();
  const previous = als.getStore();
  const state = new ScopeState(current());
  als.enterWith(state);
  return scopeHandle(state, () => {
    if (als.getStore() === state) als.enterWith(previous ?? root);
  });
}

/**
 * Runs `fn` in a scope of its own (AsyncLocalStorage) and deletes the BITOP result keys it materialised when
 * it settles, whether it resolved or threw.
 */
export async function runInBitopScope<T>(fn: () => T | Promise<T>): Promise<T> {
  const state = new ScopeState(current());
  const handle = scopeHandle(state, () => {});
  let result: T;
  try {
    result = await store().run(state, fn);
  } catch (err) {
    // The caller's failure matters more than a failed cleanup (the TTL removes what is left).
    await Promise.resolve(handle[Symbol.asyncDispose]()).catch(() => {});
    throw err;
  }
  await handle[Symbol.asyncDispose]();
  return result;
}
