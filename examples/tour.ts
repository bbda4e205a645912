// A walk through every @walrus package against a live Redis: `pnpm demo` starts a throwaway server and runs this.
// Each package contributes one section in ./sections/<package>.ts.
import { connect } from '@walrus/core';

type Section = { tour(db: Awaited<ReturnType<typeof connect>>): Promise<void> };

const sections: [string, () => Promise<Section>][] = [
  ['core', () => import('./sections/core')],
  ['containers', () => import('./sections/containers')],
  ['streams', () => import('./sections/streams')],
  ['ratelimit', () => import('./sections/ratelimit')],
  ['graph', () => import('./sections/graph')],
  ['fts', () => import('./sections/fts')],
  ['autocomplete', () => import('./sections/autocomplete')],
  ['models', () => import('./sections/models')],
  ['lock', () => import('./sections/lock')],
  ['cache', () => import('./sections/cache')],
  ['bitmapist', () => import('./sections/bitmapist')],
];

const url = process.env.REDIS_URL ?? 'redis://localhost:6379';
await using db = await connect(url, { prefix: `tour:${Date.now().toString(36)}:` });
for (const [name, load] of sections) {
  console.log(`\n━━ @walrus/${name} ━━`);
  await (await load()).tour(db);
}
// Leave the server as we found it: delete every key the tour wrote.
let removed = 0;
for await (const key of db.scanKeys('*')) removed += await db.command<number>(['UNLINK', db.key(key)]);
console.log(`\nTour complete; removed its ${removed} keys.`);
