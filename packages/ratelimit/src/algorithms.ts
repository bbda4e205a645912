import { Script, type Reply } from '@walrus/core';
import { FIXED_WINDOW } from './lua/fixed-window';
import { GCRA } from './lua/gcra';
import { SLIDING_LOG } from './lua/sliding-log';
import { SLIDING_WINDOW } from './lua/sliding-window';
import { TOKEN_BUCKET } from './lua/token-bucket';

/** The limiting algorithms; see the package README for accuracy, memory and round trips of each. */
export type RateLimitAlgorithm = 'sliding-log' | 'fixed-window' | 'sliding-window' | 'token-bucket' | 'gcra';

/** @internal How one algorithm is run and stored. */
export interface AlgorithmSpec {
  /** Decides and records an allowed call. */
  readonly check: Script<Reply[]>;
  /** Decides without writing (EVALSHA_RO where the server has it). */
  readonly peek: Script<Reply[]>;
  /** The Redis type of its key, for WrongTypeError. */
  readonly redisType: string;
  /** Whether `burst` (capacity above the steady rate) applies. */
  readonly usesBurst: boolean;
}

function spec(name: RateLimitAlgorithm, source: string, redisType: string, usesBurst: boolean): AlgorithmSpec {
  return {
    check: new Script<Reply[]>(`ratelimit:${name}`, source, { numKeys: 1 }),
    peek: new Script<Reply[]>(`ratelimit:${name}:peek`, source, { numKeys: 1, readOnly: true }),
    redisType,
    usesBurst,
  };
}

/** @internal The five algorithms, by name. */
export const ALGORITHMS: Readonly<Record<RateLimitAlgorithm, AlgorithmSpec>> = {
  'sliding-log': spec('sliding-log', SLIDING_LOG, 'list', false),
  'fixed-window': spec('fixed-window', FIXED_WINDOW, 'hash', false),
  'sliding-window': spec('sliding-window', SLIDING_WINDOW, 'hash', false),
  'token-bucket': spec('token-bucket', TOKEN_BUCKET, 'hash', true),
  gcra: spec('gcra', GCRA, 'string', true),
};
