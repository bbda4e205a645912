// @walrus/autocomplete on a real English corpus: the first lines of the fortune cookies of Debian's `fortunes`
// package (`apt-get install fortunes` puts them in /usr/share/games/fortunes). Without the corpus the benchmark
// prints how to install it and measures nothing.
//
// Baselines are raw node-redis clients sending the commands walrus (Python) sends for the same work. Searches ask
// for 10 suggestions, as a typeahead does.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Autocomplete } from '@walrus/autocomplete';
import { DEFAULT_STOPWORDS } from '@walrus/fts';
import { concurrent, defineBenchmark, type BenchEnv, type Benchmark, type Comparison, type RawClient } from '../harness';

const CORPUS_DIR = '/usr/share/games/fortunes';
const LIMIT = 10;
const NAME = 'autocomplete';
const DESCRIPTION = "@walrus/autocomplete on the first lines of Debian's fortunes (vs walrus' command sequence on raw node-redis)";

/** The first line of every fortune, at most 80 characters, without duplicates. */
function loadPhrases(): string[] {
  const out = new Set<string>();
  for (const file of readdirSync(CORPUS_DIR).sort()) {
    const path = join(CORPUS_DIR, file);
    if (file.endsWith('.dat') || !lstatSync(path).isFile()) continue;
    for (const text of readFileSync(path, 'latin1').split(/\r?\n%\r?\n/)) {
      const line = text.trim().split('\n')[0].replace(/\s+/g, ' ').trim().slice(0, 80);
      if (/[a-z]{3}/i.test(line)) out.add(line);
    }
  }
  return [...out];
}

function skipped(): Benchmark {
  const reason = `corpus missing: ${CORPUS_DIR} (install Debian's fortunes package: apt-get install fortunes)`;
  console.warn(`${NAME}: skipped, ${reason}`);
  return defineBenchmark({ name: NAME, description: DESCRIPTION, tables: async () => [{ title: 'skipped', columns: ['reason'], rows: [[reason]] }] });
}

// walrus' scoring, recomputed here for the raw baseline (the package's own copy is internal).
const A = 'a'.charCodeAt(0) - 2;
function scoreToken(t: string): bigint {
  let s = 0n;
  for (let i = 0; i < 10; i++) {
    let c = i < t.length ? t.charCodeAt(i) - A : 1;
    if (c < 2 || c > 27) c = 1;
    s = s * 27n + BigInt(c);
  }
  return s;
}
const OFFSET = scoreToken('zzzzzzzzzz') + 1n;
const words = (title: string) => title.toLowerCase().replace(/[^a-z0-9_\-\s]/g, '').split(/\s+/).filter((w) => w && !DEFAULT_STOPWORDS.has(w));

function build(): Benchmark {
  const phrases = loadPhrases();
  const preload = Math.min(phrases.length, 4000);
  const phrase = (i: number) => phrases[i % phrases.length];

  // What walrus' store() sends: HEXISTS (exists check), then HSET data, HSET title, one ZADD per prefix.
  const rawStore = async (raw: RawClient, title: string, check = true) => {
    const member = `${title}\x01`;
    if (check) await raw.sendCommand(['HEXISTS', 'walrus:d', member]);
    const ws = words(title);
    const titleScore = scoreToken(ws.join(' '));
    const zadds: Promise<unknown>[] = [];
    ws.forEach((w, i) => {
      const score = (scoreToken(w) + OFFSET * BigInt(i) + titleScore).toString();
      for (let j = 1; j <= w.length; j++) zadds.push(raw.sendCommand(['ZADD', `walrus:s:${w.slice(0, j)}`, score, member]));
    });
    await Promise.all([raw.sendCommand(['HSET', 'walrus:d', member, JSON.stringify(title)]), raw.sendCommand(['HSET', 'walrus:t', member, title]), ...zadds]);
  };

  // What walrus' search() sends for one word without boosts: HGETALL of the boosts, ZRANGE of a 1000-member chunk,
  // HMGET of that chunk's data. Two words: EXISTS of the cache key, ZINTERSTORE when missing, EXPIRE first.
  const rawSearch = async (raw: RawClient, query: string) => {
    const ws = query.toLowerCase().split(' ');
    await raw.sendCommand(['HGETALL', 'walrus:b']);
    let key = `walrus:s:${ws[0]}`;
    if (ws.length > 1) {
      key = `walrus:c:${ws.join('|')}:`;
      if (Number(await raw.sendCommand(['EXISTS', key])) === 0) await raw.sendCommand(['ZINTERSTORE', key, String(ws.length), ...ws.map((w) => `walrus:s:${w}`)]);
      await raw.sendCommand(['EXPIRE', key, '600']);
    }
    const ids = (await raw.sendCommand(['ZRANGE', key, '0', '999'])) as string[];
    if (ids.length === 0) return [];
    const data = (await raw.sendCommand(['HMGET', 'walrus:d', ...ids])) as (string | null)[];
    return data.slice(0, LIMIT).map((d) => JSON.parse(String(d)));
  };

  const fill = async (env: BenchEnv, n: number) => {
    const ac = new Autocomplete(env.db, { namespace: 'ac' });
    for (let i = 0; i < n; i += 200) await Promise.all(Array.from({ length: Math.min(200, n - i) }, (_, j) => ac.store(phrase(i + j))));
  };
  const fillBoth = async (env: BenchEnv) => {
    await fill(env, preload);
    for (let i = 0; i < preload; i += 200) await Promise.all(Array.from({ length: Math.min(200, preload - i) }, (_, j) => rawStore(env.raw, phrase(i + j), false)));
  };

  // The most common 1-, 2- and 3-character word prefixes of the stored titles, and pairs of prefixes that occur
  // together in one title (two-word searches).
  const counts = new Map<string, number>();
  const pairs: string[] = [];
  for (let i = 0; i < preload; i++) {
    const ws = words(phrase(i));
    for (const w of ws) for (let len = 1; len <= 3 && len <= w.length; len++) counts.set(w.slice(0, len), (counts.get(w.slice(0, len)) ?? 0) + 1);
    if (ws.length >= 2 && ws[0].length >= 3 && ws[1].length >= 2 && pairs.length < 200) pairs.push(`${ws[0].slice(0, 3)} ${ws[1].slice(0, 2)}`);
  }
  const top = (len: number) =>
    [...counts]
      .filter(([p]) => p.length === len && /^[a-z]+$/.test(p))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([p]) => p);

  const searchComparison = (title: string, queries: string[], o: { boosts?: Record<string, number> } = {}): Comparison => ({
    title,
    ops: 20_000,
    latency: true,
    prepare: fillBoth,
    cases: [
      concurrent('node-redis, walrus commands', async (env) => (i) => rawSearch(env.raw, queries[i % queries.length])),
      concurrent('@walrus Autocomplete.search', async (env) => {
        const ac = new Autocomplete(env.db, { namespace: 'ac' });
        return (i) => ac.search(queries[i % queries.length], { limit: LIMIT, ...o });
      }),
    ],
  });

  return defineBenchmark({
    name: NAME,
    description: `${DESCRIPTION}; ${preload.toLocaleString('en-US')} phrases stored for searches, ${LIMIT} suggestions per search`,
    comparisons: [
      {
        title: 'store: phrases indexed per second (new phrases)',
        ops: 10_000,
        cases: [
          concurrent('node-redis, walrus commands', async (env) => (i) => rawStore(env.raw, `${phrase(i)} ${i}`)),
          concurrent('@walrus Autocomplete.store', async (env) => {
            const ac = new Autocomplete(env.db, { namespace: 'ac' });
            return (i) => ac.store(`${phrase(i)} ${i}`);
          }),
        ],
      },
      searchComparison(`search: 1-character prefixes (${top(1).slice(0, 5).join(', ')}…)`, top(1)),
      searchComparison(`search: 2-character prefixes (${top(2).slice(0, 5).join(', ')}…)`, top(2)),
      searchComparison(`search: 3-character prefixes (${top(3).slice(0, 5).join(', ')}…)`, top(3)),
      searchComparison(`search: two prefixes from one title (${pairs.slice(0, 3).join(', ')}…)`, pairs),
    ],
    memory: [{ title: 'one stored phrase (data, title, prefix entries)', items: preload, fill }],
    async tables(env) {
      // Searches with boosts read the whole prefix ZSET to rank it in memory; their cost grows with the matches.
      await fill(env, preload);
      const ac = new Autocomplete(env.db, { namespace: 'ac' });
      const rows: (string | number)[][] = [];
      for (const q of [...top(1).slice(0, 2), ...top(2).slice(0, 2), ...top(3).slice(0, 2)]) {
        const matches = Number(await env.raw.sendCommand(['ZCARD', `{ac}:s:${q}`]));
        const time = async (o: { boosts?: Record<string, number> }) => {
          const n = 200;
          const t0 = performance.now();
          for (let i = 0; i < n; i++) await ac.search(q, { limit: LIMIT, ...o });
          return Math.round(n / ((performance.now() - t0) / 1000));
        };
        rows.push([q, matches, await time({}), await time({ boosts: { [phrase(0)]: 2 } })]);
      }
      return [{ title: 'sequential searches/s without and with a one-off boost, by prefix size', columns: ['prefix', 'phrases matched', 'searches/s', 'searches/s with a boost'], rows }];
    },
  });
}

export default existsSync(CORPUS_DIR) ? build() : skipped();
