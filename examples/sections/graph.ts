import type { Walrus } from '@walrus/core';
import { Graph } from '@walrus/graph';

export async function tour(db: Walrus): Promise<void> {
  // Triples live in one sorted set, stored in three orders so any part can be looked up.
  const graph = new Graph(db, 'people');
  await graph.store('charlie', 'friends', 'huey');
  await graph.storeMany([
    ['charlie', 'friends', 'zaizee'],
    ['charlie', 'friends', 'nuggie'],
    ['huey', 'lives', 'Kansas'],
    ['zaizee', 'lives', 'Missouri'],
    ['nuggie', 'lives', 'Kansas'],
    ['mickey', 'lives', 'Kansas'],
  ]);

  const friends = [];
  for await (const t of graph.query({ s: 'charlie', p: 'friends' })) friends.push(t.o);
  console.log("charlie's friends:", friends.join(', '));

  const inKansas = [];
  for await (const t of graph.query({ p: 'lives', o: 'Kansas' })) inKansas.push(t.s);
  console.log('living in Kansas:', inKansas.join(', '));

  // Which of charlie's friends live in Kansas? A variable joins the two clauses.
  const X = graph.v('X');
  const found = await graph.search({ s: 'charlie', p: 'friends', o: X }, { s: X, p: 'lives', o: 'Kansas' });
  console.log('friends in Kansas:', [...found.X].join(', '));

  // Any value round-trips, including ones holding the '::' separator.
  await graph.store('urn:a::1', 'links', 'https://example.com/');
  for await (const t of graph.query({ s: 'urn:a::1' })) console.log('stored and read back:', t);
}
