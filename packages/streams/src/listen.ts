import { InvalidArgumentError, type Walrus } from '@walrus/core';
import { Subscription, callHandler, closeQuietly } from './subscription';

/** Channels and glob patterns to listen to (names are used as given: the handle's prefix is not added). */
export interface ListenTargets {
  channels?: readonly string[];
  patterns?: readonly string[];
}

interface PubSubClient {
  on?(event: string, fn: (err: unknown) => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channels: string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
  pSubscribe(patterns: string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
  unsubscribe?(): Promise<unknown>;
  pUnsubscribe?(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

function names(list: readonly string[] | undefined, field: string): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.some((c) => typeof c !== 'string' || c === ''))
    throw new InvalidArgumentError(`${field} must be an array of non-empty strings`, { field, value: list });
  return [...list];
}

/**
 * Subscribes to pub/sub channels and patterns (SUBSCRIBE / PSUBSCRIBE) on a duplicate connection of its own and
 * calls `fn(message, channel)` for every message. Resolves once the subscriptions are active. Errors thrown by `fn`
 * are rethrown outside the connection (as an uncaught exception), like an EventEmitter without an error handler.
 */
export async function listen(
  db: Walrus,
  on: ListenTargets,
  fn: (message: string, channel: string) => unknown,
  o: { signal?: AbortSignal } = {},
): Promise<Subscription> {
  if (!on || typeof on !== 'object') throw new InvalidArgumentError('listen takes { channels?, patterns? }', { field: 'on', value: on });
  const channels = names(on.channels, 'channels');
  const patterns = names(on.patterns, 'patterns');
  if (channels.length + patterns.length === 0) throw new InvalidArgumentError('listen needs at least one channel or pattern', { field: 'channels', value: on });
  if (typeof fn !== 'function') throw new InvalidArgumentError('listen needs a handler function', { field: 'fn', value: fn });
  o.signal?.throwIfAborted();
  const client = db.client.duplicate() as unknown as PubSubClient;
  client.on?.('error', () => {});
  const listener = (message: string, channel: string) => callHandler(fn, String(message), String(channel));
  try {
    await client.connect();
    if (channels.length) await client.subscribe(channels, listener);
    if (patterns.length) await client.pSubscribe(patterns, listener);
  } catch (err) {
    await closeQuietly(client);
    throw err;
  }
  const onAbort = () => void sub.unsubscribe();
  const sub = new Subscription(async () => {
    o.signal?.removeEventListener('abort', onAbort);
    // Unsubscribing first means the server has dropped the subscriptions when this resolves (closing alone is async).
    await Promise.all([channels.length && client.unsubscribe?.(), patterns.length && client.pUnsubscribe?.()]).catch(() => {});
    await closeQuietly(client);
  });
  if (o.signal?.aborted) await sub.unsubscribe();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  return sub;
}

/** Publishes a message on a channel (PUBLISH; the prefix is not added). Resolves the number of receivers. */
export async function publish(db: Walrus, channel: string, message: string | Buffer): Promise<number> {
  if (typeof channel !== 'string' || channel === '') throw new InvalidArgumentError('channel must be a non-empty string', { field: 'channel', value: channel });
  if (typeof message !== 'string' && !Buffer.isBuffer(message)) throw new InvalidArgumentError('message must be a string or a Buffer', { field: 'message', value: message });
  return Number(await db.command(['PUBLISH', channel, message], { key: channel }));
}
