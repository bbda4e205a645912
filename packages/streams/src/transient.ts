import { WalrusError } from '@walrus/core';

const TRANSIENT_CLASSES = new Set([
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'SocketTimeoutError',
  'ClientOfflineError',
  'ReconnectStrategyError',
  'TimeoutError',
  'RootNodesUnavailableError',
  'MaxCommandRedirectionsError',
  'DisconnectsClientError',
  'SocketTimeoutDuringMaintenanceError',
  'CommandTimeoutDuringMaintenanceError',
]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNABORTED']);
const TRANSIENT_REPLIES = ['LOADING', 'TRYAGAIN', 'CLUSTERDOWN', 'MASTERDOWN', 'READONLY', 'BUSY ', 'UNBLOCKED'];

/**
 * True for failures that go away by themselves: lost connections, a server that restarts or loads its data, a
 * cluster that is reconfiguring. The consumer loop retries these; everything else ends it.
 */
export function isTransient(err: unknown, depth = 0): boolean {
  // Duck-typed: errors raised by Node's sockets may come from another realm (vm contexts, test runners).
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { constructor?: { name?: string }; code?: unknown; message?: unknown; cause?: unknown };
  if (TRANSIENT_CLASSES.has(e.constructor?.name ?? '')) return true;
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (!(err instanceof WalrusError) && typeof e.message === 'string' && TRANSIENT_REPLIES.some((p) => (e.message as string).startsWith(p))) return true;
  return e.cause !== undefined && isTransient(e.cause, depth + 1);
}
