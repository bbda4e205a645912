// @walrus/fts on a real English corpus: the fortune cookies of Debian's `fortunes` package (about 15,000 quotes,
// 29 words each on average; `apt-get install fortunes` puts them in /usr/share/games/fortunes). Without the corpus
// the benchmark prints how to install it and measures nothing.
//
// Baselines are raw node-redis clients sending the commands walrus (Python) sends for the same work: no script,
// no atomicity, no stale-token cleanup. The queries return the best 20 documents, as a results page would.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Index, Tokenizer } from '@walrus/fts';
import { concurrent, defineBenchmark, type BenchEnv, type Benchmark, type Case, type Comparison, type RawClient } from '../harness';

const CORPUS_DIR = '/usr/share/games/fortunes';
const PAGE = 20;

/** Every fortune of every cookie file (`%`-separated), in file-name order. */
function loadFortunes(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(CORPUS_DIR).sort()) {
    const path = join(CORPUS_DIR, file);
    if (file.endsWith('.dat') || !lstatSync(path).isFile()) continue;
    for (const text of readFileSync(path, 'latin1').split(/\r?\n%\r?\n/)) if (text.trim()) out.push(text.trim());
  }
  return out;
}

function skipped(name: string, description: string): Benchmark {
  const reason = `corpus missing: ${CORPUS_DIR} (install Debian's fortunes package: apt-get install fortunes)`;
  console.warn(`${name}: skipped, ${reason}`);
  return defineBenchmark({ name, description, tables: async () => [{ title: 'skipped', columns: ['reason'], rows: [[reason]] }] });
}

const NAME = 'fts';
const DESCRIPTION = "@walrus/fts Index on Debian's fortunes corpus (vs walrus' command sequence on raw node-redis)";

function build(): Benchmark {
  const fortunes = loadFortunes();
  const tokenizer = new Tokenizer();
  const doc = (i: number) => fortunes[i % fortunes.length];

  // What walrus' Index.add sends: SADD, HSET, one ZADD per token (pipelined here, sequential in Python).
  const rawAdd = (raw: RawClient, index: string, key: string, content: string) =>
    Promise.all([
      raw.sendCommand(['SADD', `fts.${index}`, key]),
      raw.sendCommand(['HSET', `doc.${index}.${key}`, 'content', content]),
      ...[...tokenizer.tokenize(content)].map(([token, score]) => raw.sendCommand(['ZADD', `fts.${index}.${token}`, String(-score), key])),
    ]);

  // What walrus' Index.remove sends: SREM, HGET content, then per token ZREM (+ ZCARD), DEL of the hash.
  const rawRemove = async (raw: RawClient, index: string, key: string) => {
    await raw.sendCommand(['SREM', `fts.${index}`, key]);
    const content = String(await raw.sendCommand(['HGET', `doc.${index}.${key}`, 'content']));
    await Promise.all([
      raw.sendCommand(['DEL', `doc.${index}.${key}`]),
      ...[...tokenizer.tokenize(content).keys()].map((token) => raw.sendCommand(['ZREM', `fts.${index}.${token}`, key])),
    ]);
  };

  /** Fills the index `idx` with `n` fortunes (keys d0…), 200 at a time. */
  const fill = async (env: BenchEnv, n: number, hashTag = true) => {
    const idx = new Index(env.db, 'idx', { hashTag });
    for (let i = 0; i < n; i += 200) await Promise.all(Array.from({ length: Math.min(200, n - i) }, (_, j) => idx.add(`d${i + j}`, doc(i + j))));
  };

  const preload = Math.min(fortunes.length, 3000);
  const queries = {
    one: ['love', 'time', 'life', 'software', 'people', 'world', 'program', 'money', 'truth', 'woman'],
    and: ['love time', 'life people', 'software program', 'world money', 'man woman', 'god truth', 'work time', 'good life'],
    or: ['love OR money', 'software OR program', 'god OR truth', 'life OR death', 'work OR play', 'man OR woman'],
  };

  for (const q of Object.values(queries).flat())
    for (const w of q.split(' ')) if (w !== 'OR' && tokenizer.tokenize(w).size === 0) throw new Error(`query word "${w}" is a stopword`);

  // The raw baseline of a search: the commands walrus' executor sends (ZINTERSTORE/ZUNIONSTORE into a temp key,
  // ZRANGE, DEL), then one HGETALL per document.
  const rawSearch = async (raw: RawClient, q: string) => {
    const words = q.split(/\s+/).filter((w) => w !== 'OR');
    const op = q.includes(' OR ') ? 'ZUNIONSTORE' : 'ZINTERSTORE';
    const keys = words.flatMap((w) => [...tokenizer.tokenize(w).keys()]).map((t) => `fts.idx.${t}`);
    let ids: string[];
    if (keys.length === 1) ids = (await raw.sendCommand(['ZRANGE', keys[0], '0', String(PAGE - 1)])) as string[];
    else {
      const temp = `temp.${Math.random().toString(36).slice(2)}`;
      const replies = await raw.multi().addCommand([op, temp, String(keys.length), ...keys]).addCommand(['ZRANGE', temp, '0', String(PAGE - 1)]).addCommand(['DEL', temp]).exec();
      ids = replies[1] as unknown as string[];
    }
    return Promise.all(ids.map((id) => raw.sendCommand(['HGETALL', `doc.idx.${id}`])));
  };

  const searchComparison = (title: string, list: string[]): Comparison => ({
    title,
    ops: 20_000,
    latency: true,
    prepare: async (env) => {
      await fill(env, preload);
      await fill(env, preload, false);
    },
    cases: [
      concurrent('node-redis, walrus commands', async (env) => (i) => rawSearch(env.raw, list[i % list.length])),
      concurrent('@walrus Index.search', async (env) => {
        const idx = new Index(env.db, 'idx');
        return (i) => idx.search(list[i % list.length], { limit: PAGE });
      }),
    ],
  });

  const writes: Case[] = [
    concurrent('node-redis, walrus commands', async (env) => (i) => rawAdd(env.raw, 'idx', `n${i}`, doc(i))),
    concurrent('@walrus Index.add', async (env) => {
      const idx = new Index(env.db, 'idx');
      return (i) => idx.add(`n${i}`, doc(i));
    }),
  ];

  return defineBenchmark({
    name: NAME,
    description: `${DESCRIPTION}; ${fortunes.length.toLocaleString('en-US')} fortunes, ${preload.toLocaleString('en-US')} indexed for queries, best ${PAGE} per query`,
    comparisons: [
      { title: 'add: documents indexed per second (new keys)', ops: 10_000, cases: writes },
      {
        title: 'update: re-index an existing document with other content',
        ops: 5_000,
        prepare: async (env) => {
          await fill(env, preload);
          await fill(env, preload, false);
        },
        cases: [
          concurrent('node-redis, walrus commands', async (env) => async (i) => {
            // walrus' update = remove(preserve_data) + add.
            const key = `d${i % preload}`;
            await rawRemove(env.raw, 'idx', key);
            await rawAdd(env.raw, 'idx', key, doc(i + 7));
          }),
          concurrent('@walrus Index.update', async (env) => {
            const idx = new Index(env.db, 'idx');
            return (i) => idx.update(`d${i % preload}`, doc(i + 7));
          }),
        ],
      },
      searchComparison('search: one word', queries.one),
      searchComparison('search: two words (implicit AND)', queries.and),
      searchComparison('search: two words with OR', queries.or),
      {
        title: 'getDocument',
        ops: 20_000,
        prepare: async (env) => fill(env, 1000),
        cases: [
          concurrent('node-redis HGETALL', async (env) => (i) => env.raw.sendCommand(['HGETALL', `doc.{idx}.d${i % 1000}`])),
          concurrent('@walrus Index.getDocument', async (env) => {
            const idx = new Index(env.db, 'idx');
            return (i) => idx.getDocument(`d${i % 1000}`);
          }),
        ],
      },
    ],
    memory: [{ title: 'one indexed fortune (hash + token entries)', items: Math.min(fortunes.length, 10_000), fill: (env, n) => fill(env, n) }],
    async tables(env) {
      // Round trips of each write path, counted from the server's side: commands the client sent per call.
      const idx = new Index(env.db, 'rt');
      const calls = async (fn: () => Promise<unknown>) => {
        await env.raw.configResetStat();
        await fn();
        const info = String(await env.raw.info('commandstats'));
        return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].filter((m) => !['info', 'config', 'config|resetstat'].includes(m[1])).map((m) => `${m[1]}×${m[2]}`).join(' ');
      };
      const rows: (string | number)[][] = [];
      rows.push(['add (new key)', await calls(() => idx.add('a', doc(1)))]);
      rows.push(['add (existing key)', await calls(() => idx.add('a', doc(2)))]);
      rows.push(['replace', await calls(() => idx.replace('a', doc(3)))]);
      rows.push(['remove', await calls(() => idx.remove('a'))]);
      await idx.add('a', 'walrus tusks');
      await idx.add('b', 'walrus whiskers');
      rows.push(['search one word (2 documents)', await calls(() => idx.search('walrus'))]);
      rows.push(['search a AND b (1 document)', await calls(() => idx.search('walrus tusks'))]);
      return [{ title: 'Redis commands per call (INFO commandstats)', columns: ['operation', 'commands'], rows }];
    },
  });
}

export default existsSync(CORPUS_DIR) ? build() : skipped(NAME, DESCRIPTION);
