export { connect, fromClient, type ConnectOptions } from './connect';
export { Walrus, assertSameSlot, tempKey, type BlockingConnection, type CommandOpts, type Transaction, type WalrusOptions } from './walrus';
export { Keyspace } from './keyspace';
export { Script, type ScriptArg } from './script';
export { keySlot } from './slot';
export { toMs, type Duration, type DurationUnit } from './duration';
export { bufferCodec, formatPythonFloat, jsonCodec, stringCodec, type Codec } from './codec';
export { normalizeReply, replyObject, replyPairs } from './reply';
export { parseServerInfo, type Capability, type ServerInfo } from './server';
export {
  ConflictError,
  CrossSlotError,
  DecodeError,
  InvalidArgumentError,
  LockNotOwnedError,
  LockTimeoutError,
  MultipleResultsError,
  NotFoundError,
  ParseError,
  RateLimitExceededError,
  ScriptError,
  UnsupportedError,
  ValidationError,
  WalrusError,
  WrongTypeError,
  isReplyError,
} from './errors';
export type { Arg, ClientMultiLike, ClusterMultiLike, CommandOptions, RedisClientLike, RedisClusterLike, Reply } from './types';
