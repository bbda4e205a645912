import type { Reply } from './types';

/** node-redis RESP type ids (RESP_TYPES), kept here so core never imports node-redis at runtime. */
const RESP = { BLOB_STRING: 36, DOUBLE: 44, MAP: 37, SET: 126, VERBATIM_STRING: 61 } as const;

/** Type mappings that make RESP3 replies look like RESP2 ones: maps as flat arrays, doubles as strings. */
export const STRING_REPLIES = { [RESP.MAP]: Array, [RESP.SET]: Array, [RESP.DOUBLE]: String } as const;
/** As {@link STRING_REPLIES}, with bulk strings as Buffers. */
export const BUFFER_REPLIES = { ...STRING_REPLIES, [RESP.BLOB_STRING]: Buffer, [RESP.VERBATIM_STRING]: Buffer } as const;

/**
 * Brings a reply to RESP2 shape whatever the client's protocol and type mapping: maps (objects or `Map`s) become
 * flat `[k, v, …]` arrays, sets become arrays, booleans `1`/`0`, big numbers strings.
 */
export function normalizeReply(r: unknown): Reply {
  if (r === null || r === undefined) return null;
  switch (typeof r) {
    case 'string':
    case 'number':
      return r;
    case 'boolean':
      return r ? 1 : 0;
    case 'bigint':
      return r.toString();
  }
  if (Buffer.isBuffer(r)) return r;
  if (Array.isArray(r)) return r.map(normalizeReply);
  if (r instanceof Map) return [...r].flatMap(([k, v]) => [normalizeReply(k), normalizeReply(v)]);
  if (r instanceof Set) return [...r].map(normalizeReply);
  if (r instanceof Error) throw r;
  if (typeof r === 'object') return Object.entries(r as Record<string, unknown>).flatMap(([k, v]) => [k, normalizeReply(v)]);
  return String(r);
}

/**
 * Reads `[member, score]` pairs from a WITHSCORES-style reply, flat (RESP2: `[m, s, m, s]`) or nested
 * (RESP3: `[[m, s], …]`).
 */
export function replyPairs<K = string | Buffer>(r: Reply): [K, string][] {
  if (!Array.isArray(r) || r.length === 0) return [];
  if (Array.isArray(r[0])) return (r as Reply[][]).map((p) => [p[0] as K, String(p[1])]);
  const out: [K, string][] = [];
  for (let i = 0; i < r.length; i += 2) out.push([r[i] as K, String(r[i + 1])]);
  return out;
}

/** Reads a flat `[k, v, k, v]` reply (HGETALL, XINFO, CONFIG GET) into an object with string keys. */
export function replyObject(r: Reply): Record<string, Reply> {
  const out: Record<string, Reply> = {};
  if (!Array.isArray(r)) return out;
  for (let i = 0; i + 1 < r.length; i += 2) out[String(r[i])] = r[i + 1];
  return out;
}
