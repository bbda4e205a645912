/** A command argument as sent to Redis. */
export type Arg = string | Buffer;

/** A reply after @walrus' normalisation: the same on node-redis 5 and 6, RESP2 and RESP3. */
export type Reply = null | number | string | Buffer | Reply[];

/** Per-command options node-redis 5 and 6 accept. */
export interface CommandOptions {
  typeMapping?: Record<number, unknown>;
  [k: string]: unknown;
}

/** A MULTI builder of a node-redis client. */
export interface ClientMultiLike {
  addCommand(args: Arg[]): unknown;
  exec(): Promise<unknown[]>;
}

/** A MULTI builder of a node-redis cluster. */
export interface ClusterMultiLike {
  addCommand(firstKey: Arg | undefined, isReadonly: boolean | undefined, args: Arg[]): unknown;
  exec(): Promise<unknown[]>;
}

/** The part of a node-redis 5/6 client that @walrus calls. */
export interface RedisClientLike {
  readonly isOpen: boolean;
  readonly options?: unknown;
  sendCommand(args: Arg[], o?: CommandOptions): Promise<unknown>;
  multi(): ClientMultiLike;
  duplicate(): RedisClientLike;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
  subscribe(channels: string | string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
  pSubscribe(patterns: string | string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
}

/** The part of a node-redis 5/6 cluster that @walrus calls. */
export interface RedisClusterLike {
  readonly isOpen: boolean;
  readonly options?: unknown;
  readonly masters: readonly unknown[];
  nodeClient(master: never): RedisClientLike | Promise<RedisClientLike>;
  sendCommand(firstKey: Arg | undefined, isReadonly: boolean | undefined, args: Arg[], o?: CommandOptions): Promise<unknown>;
  multi(routingKey?: Arg): ClusterMultiLike;
  duplicate(): RedisClusterLike;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
  subscribe(channels: string | string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
  pSubscribe(patterns: string | string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
}
