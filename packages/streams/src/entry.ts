import type { Reply } from '@walrus/core';
import type { Id } from './id';

/** One stream entry: its id and its fields (values read back as UTF-8 strings). */
export interface Entry {
  readonly id: Id;
  readonly data: Record<string, string>;
}

/** Builds the entry objects a stream returns (a Stream makes Entries, a TimeSeriesStream Messages). */
export type EntryFactory<E extends Entry = Entry> = (id: Id, data: Record<string, string>) => E;

/** The plain entry factory. */
export const plainEntry: EntryFactory = (id, data) => ({ id, data });

/** Reads a flat `[field, value, …]` list into an object (a repeated field keeps its last value). */
export function fieldsToObject(fields: Reply): Record<string, string> {
  const data: Record<string, string> = {};
  if (!Array.isArray(fields)) return data;
  for (let i = 0; i + 1 < fields.length; i += 2) data[String(fields[i])] = String(fields[i + 1]);
  return data;
}

/**
 * Reads a list of `[id, fields]` replies (XRANGE, XCLAIM, XAUTOCLAIM, one stream of XREAD). Entries whose fields
 * are nil (deleted or trimmed while pending) go to `deleted`.
 */
export function parseEntries<E extends Entry>(reply: Reply, make: EntryFactory<E>): { entries: E[]; deleted: Id[] } {
  const entries: E[] = [];
  const deleted: Id[] = [];
  if (!Array.isArray(reply)) return { entries, deleted };
  for (const item of reply) {
    if (!Array.isArray(item)) continue;
    const id = String(item[0]);
    if (item[1] === null || item[1] === undefined) deleted.push(id);
    else entries.push(make(id, fieldsToObject(item[1])));
  }
  return { entries, deleted };
}

/**
 * Reads an XREAD / XREADGROUP reply into `[key, entries]` pairs, whether the client speaks RESP2
 * (`[[key, entries], …]`) or RESP3 (a map, normalised to `[key, entries, key, entries]`). Nil (timeout) gives `[]`.
 */
export function parseStreamsReply(reply: Reply): [string, Reply][] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  if (Array.isArray(reply[0])) return (reply as Reply[][]).map((pair) => [String(pair[0]), pair[1]]);
  const out: [string, Reply][] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), reply[i + 1]]);
  return out;
}
