import type { Reply } from '@walrus/core';
import { fieldsToObject, type Entry, type EntryFactory } from './entry';
import type { Id } from './id';

/** `XINFO STREAM`, camelCased. Fields a server version does not report are absent. */
export interface StreamInfo {
  length: number;
  radixTreeKeys: number;
  radixTreeNodes: number;
  lastGeneratedId: Id;
  /** Redis 7+. */
  maxDeletedEntryId?: Id;
  /** Redis 7+. */
  entriesAdded?: number;
  /** Redis 7+. */
  recordedFirstEntryId?: Id;
  groups: number;
  firstEntry?: Entry;
  lastEntry?: Entry;
  [field: string]: unknown;
}

/** One group of `XINFO GROUPS`, camelCased. */
export interface GroupInfo {
  name: string;
  consumers: number;
  pending: number;
  lastDeliveredId: Id;
  /** Redis 7+: entries read by the group so far (null when Redis cannot tell). */
  entriesRead?: number | null;
  /** Redis 7+: entries not yet delivered to the group (null when Redis cannot tell). */
  lag?: number | null;
  [field: string]: unknown;
}

/** One consumer of `XINFO CONSUMERS`, camelCased. */
export interface ConsumerInfo {
  name: string;
  pending: number;
  /** Milliseconds since the consumer last tried to read. */
  idle: number;
  /** Redis 7.2+: milliseconds since its last successful read (-1: never). */
  inactive?: number;
  [field: string]: unknown;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Turns a flat XINFO reply into a camelCased object; `*-entry` fields become entries. */
export function infoObject(reply: Reply, make?: EntryFactory): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const name = camel(String(reply[i]));
    const value = reply[i + 1];
    if (name.endsWith('Entry') && make) {
      if (Array.isArray(value) && value.length === 2) out[name] = make(String(value[0]), fieldsToObject(value[1]));
    } else out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  }
  return out;
}

/** Reads an XINFO reply that lists objects (GROUPS, CONSUMERS). */
export function infoList<T>(reply: Reply): T[] {
  return Array.isArray(reply) ? reply.map((item) => infoObject(item) as T) : [];
}
