import { InvalidArgumentError, NotFoundError, WrongTypeError, isReplyError, type Arg, type Walrus } from '@walrus/core';

/** What a stream command is about, to name it in errors. */
export interface StreamCall {
  /** The key that routes the command (the stream). */
  key: string;
  /** Every stream key the command reads, when several. */
  keys?: readonly string[];
  /** The consumer group involved, if any. */
  group?: string;
}

const INVALID_ID = [
  'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  'ERR The ID specified in XADD must be greater than 0-0',
  'ERR The ID specified in XSETID is smaller than',
  'ERR Invalid stream ID',
];

/**
 * Maps a Redis error of a stream command to a @walrus error: WRONGTYPE → {@link WrongTypeError} naming the
 * offending key (one TYPE per key on this error path), NOGROUP and missing keys → {@link NotFoundError}, rejected
 * or non-increasing ids → {@link InvalidArgumentError}. Anything else passes through.
 */
export async function translateStreamError(db: Walrus, err: unknown, call: StreamCall): Promise<unknown> {
  if (!(err instanceof Error)) return err;
  if (isReplyError(err, 'WRONGTYPE')) {
    for (const key of call.keys ?? [call.key]) {
      const actual = String(await db.command(['TYPE', key], { key }).catch(() => 'unknown'));
      if (actual !== 'stream' && actual !== 'none') return new WrongTypeError(key, 'stream', actual, { cause: err });
    }
    return err;
  }
  if (isReplyError(err, 'NOGROUP')) {
    const key = /No such key '(.*)' or consumer group/.exec(err.message)?.[1] ?? call.key;
    return new NotFoundError(`consumer group "${call.group ?? '?'}" does not exist on stream "${key}" (or the stream does not exist)`, { key, cause: err });
  }
  if (isReplyError(err, 'ERR no such key') || isReplyError(err, 'ERR The XGROUP subcommand requires the key to exist'))
    return new NotFoundError(`stream "${call.key}" does not exist`, { key: call.key, cause: err });
  if (INVALID_ID.some((text) => isReplyError(err, text))) return new InvalidArgumentError(`${err.message.replace(/^ERR /, '')} (stream "${call.key}")`, { field: 'id', cause: err });
  return err;
}

/** Sends one stream command (routed by `call.key`) and translates its errors with {@link translateStreamError}. */
export async function streamCommand<T>(db: Walrus, args: Arg[], call: StreamCall): Promise<T> {
  try {
    return await db.command<T>(args, { key: call.key, keys: call.keys });
  } catch (err) {
    throw await translateStreamError(db, err, call);
  }
}
