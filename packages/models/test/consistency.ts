// Checks every index of a model against its records, straight from Redis: the invariant atomic saves keep.
import { replyObject, replyPairs, type Walrus } from '@walrus/core';
import { Tokenizer } from '@walrus/fts';

export interface IndexLayout {
  /** `<base>` without the handle prefix, e.g. `{user}:`. */
  base: string;
  absolute: string[];
  continuous: string[];
  fts: string[];
}

/** Every problem found (empty = consistent) and the number of records. */
export async function checkIndexes(db: Walrus, layout: IndexLayout): Promise<{ problems: string[]; records: number }> {
  const problems: string[] = [];
  const { base } = layout;
  const keys: string[] = [];
  for await (const k of db.scanKeys(`${base.replace(/[*?[\]\\]/g, '\\$&')}*`, { count: 1000 })) keys.push(k);
  // A field named `id` has index keys under `<base>id.` too.
  const indexOfId = ['absolute.', 'continuous', 'fts.', '_sequence'].map((p) => `${base}id.${p}`);
  const recordIds = keys.filter((k) => k.startsWith(`${base}id.`) && !indexOfId.some((p) => k.startsWith(p)));
  const records = new Map<string, Record<string, string>>();
  for (const id of recordIds) records.set(id, replyObject(await db.command(['HGETALL', db.key(id)])) as Record<string, string>);
  const all = new Set((await db.command<string[]>(['SMEMBERS', db.key(`${base}all`)])).map(String));
  for (const id of all) if (!records.has(id)) problems.push(`all lists ${id}, which does not exist`);
  for (const id of records.keys()) if (!all.has(id)) problems.push(`record ${id} is missing from all`);
  const tokenizer = new Tokenizer();

  for (const f of layout.absolute) {
    const prefix = `${base}${f}.absolute.`;
    const seen = new Set<string>();
    for (const k of keys.filter((x) => x.startsWith(prefix))) {
      const value = k.slice(prefix.length);
      for (const id of (await db.command<string[]>(['SMEMBERS', db.key(k)])).map(String)) {
        seen.add(`${id}\u0000${value}`);
        if (records.get(id)?.[f] !== value) problems.push(`${k} lists ${id}, whose ${f} is ${JSON.stringify(records.get(id)?.[f])}`);
      }
    }
    for (const [id, r] of records) if (r[f] !== undefined && !seen.has(`${id}\u0000${r[f]}`)) problems.push(`${id} (${f}=${r[f]}) is missing from its absolute index`);
  }
  for (const f of layout.continuous) {
    const pairs = replyPairs<string>(await db.command(['ZRANGE', db.key(`${base}${f}.continuous`), '0', '-1', 'WITHSCORES']));
    const scores = new Map(pairs.map(([m, s]) => [String(m), Number(s)]));
    for (const [id, s] of scores) if (Number(records.get(id)?.[f]) !== s) problems.push(`${f}.continuous has ${id} at ${s}, record says ${records.get(id)?.[f]}`);
    for (const [id, r] of records) if (r[f] !== undefined && !scores.has(id)) problems.push(`${id} is missing from ${f}.continuous`);
  }
  for (const f of layout.fts) {
    const prefix = `${base}${f}.fts.`;
    const seen = new Set<string>();
    for (const k of keys.filter((x) => x.startsWith(prefix))) {
      const token = k.slice(prefix.length);
      for (const [id, s] of replyPairs<string>(await db.command(['ZRANGE', db.key(k), '0', '-1', 'WITHSCORES']))) {
        seen.add(`${id}\u0000${token}`);
        const expected = records.get(String(id))?.[f];
        const score = expected === undefined ? undefined : tokenizer.tokenize(expected).get(token);
        if (score === undefined || Math.abs(-score - Number(s)) > 1e-9) problems.push(`${k} lists ${id} at ${s}, record text gives ${score}`);
      }
    }
    for (const [id, r] of records) if (r[f] !== undefined) for (const token of tokenizer.tokenize(r[f]).keys()) if (!seen.has(`${id}\u0000${token}`)) problems.push(`${id} is missing from ${f}.fts.${token}`);
  }
  return { problems, records: records.size };
}
