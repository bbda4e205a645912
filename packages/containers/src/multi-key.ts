import { WrongTypeError, isReplyError, type Arg, type Walrus } from '@walrus/core';

/** The type a key holds, as TYPE says, except that strings which are not HyperLogLogs read as `string` and those that are as `hyperloglog`. */
async function typeOf(db: Walrus, key: string, expected: string): Promise<string> {
  const t = await db.command<string>(['TYPE', key], { key });
  if (t !== 'string' || expected !== 'hyperloglog') return t;
  const head = await db.command<string>(['GETRANGE', key, '0', '3'], { key });
  return head === 'HYLL' ? 'hyperloglog' : 'string';
}

/**
 * Turns a WRONGTYPE failure of a command over several keys into a WrongTypeError naming the first key that holds
 * another type than `expected` (one TYPE per key, sent together). Other errors pass through.
 */
export async function wrongTypeAmong(db: Walrus, err: unknown, keys: readonly string[], expected: string): Promise<unknown> {
  if (!isReplyError(err, 'WRONGTYPE')) return err;
  const actual = await Promise.all(keys.map((k) => typeOf(db, k, expected)));
  const i = actual.findIndex((t) => t !== 'none' && t !== expected);
  return i === -1 ? err : new WrongTypeError(keys[i], expected, actual[i], { cause: err });
}

/** Sends a command over several keys of one slot, mapping WRONGTYPE on any of `sources` to a WrongTypeError. */
export async function multiKeyCommand<T>(
  db: Walrus,
  args: Arg[],
  c: { key: string; keys: string[]; sources: string[]; expected: string; buffers?: boolean },
): Promise<T> {
  try {
    return await db.command<T>(args, { key: c.key, keys: c.keys, buffers: c.buffers });
  } catch (err) {
    throw await wrongTypeAmong(db, err, c.sources, c.expected);
  }
}
