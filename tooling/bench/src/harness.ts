import { createClient } from 'redis';
import type { Walrus } from '@walrus/core';

/** A raw node-redis v6 client, made as its README shows (`createClient({ url })`). */
export type RawClient = ReturnType<typeof createClient>;

/** What a case sees: the server to use, as a URL (direct, or through the round-trip counting proxy). */
export interface BenchEnv {
  /** URL of the server (or of the counting proxy in front of it). */
  readonly url: string;
  /** A @walrus handle made by `connect(url)` with its defaults. */
  readonly db: Walrus;
  /** A raw node-redis client (`createClient({ url })` with no per-command timeout, like `connect()`). */
  readonly raw: RawClient;
}

/** An opened case: `run(n)` performs `n` operations (as it likes: sequential, concurrent, batched). */
export interface Runner {
  run(n: number): Promise<void>;
  close?(): Promise<void>;
}

/** One contender in a comparison: the library, raw node-redis, or a peer library. */
export interface Case {
  name: string;
  open(env: BenchEnv): Promise<Runner>;
}

/** Contenders doing the same work; ratios are against `cases[0]` (the baseline, usually raw node-redis). */
export interface Comparison {
  title: string;
  /** Operations in a timed run. */
  ops: number;
  cases: Case[];
  /** Also measure per-operation latency (p50/p99) over sequential single operations. */
  latency?: boolean;
  /** Prepares the server before each case is opened (untimed), after a FLUSHALL. */
  prepare?(env: BenchEnv): Promise<void>;
}

/** Redis memory per stored item: `fill(env, n)` stores `n` items into an empty server. */
export interface MemoryCase {
  title: string;
  items: number;
  fill(env: BenchEnv, n: number): Promise<void>;
}

/** A free-form table for figures that are not throughput (false-positive rates, compute times). */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** A named benchmark: `pnpm bench <name>`. */
export interface Benchmark {
  name: string;
  description: string;
  comparisons?: Comparison[];
  memory?: MemoryCase[];
  tables?(env: BenchEnv): Promise<Table[]>;
}

/** Declares a benchmark (identity, for types). */
export function defineBenchmark(b: Benchmark): Benchmark {
  return b;
}

/** A case whose `run(n)` issues the operations `op(i)` concurrently in windows of `concurrency` (default 100). */
export function concurrent(name: string, open: (env: BenchEnv) => Promise<(i: number) => Promise<unknown>>, o: { concurrency?: number; close?: () => Promise<void> } = {}): Case {
  return {
    name,
    async open(env) {
      const op = await open(env);
      const width = o.concurrency ?? 100;
      let next = 0;
      return {
        async run(n) {
          const end = next + n;
          const worker = async () => {
            while (next < end) await op(next++);
          };
          await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
        },
        close: o.close,
      };
    },
  };
}
