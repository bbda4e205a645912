import { Autocomplete } from '@walrus/autocomplete';
import type { Walrus } from '@walrus/core';

export async function tour(db: Walrus): Promise<void> {
  // Plain phrases: the phrase is its own id, title and data.
  const ac = new Autocomplete<string>(db, { namespace: 'phrases' });
  for (const phrase of ['the walrus and the carpenter', 'walrus tusks', 'the eye of the walrus']) await ac.store(phrase);
  console.log('wal     ->', await ac.search('wal'));
  console.log('wal car ->', await ac.search('wal car'));
  console.log('wal, boosting "walrus tusks" ->', await ac.search('wal', { boosts: { 'walrus tusks': 2 } }));

  // Objects with metadata and a type; boosts can be saved per object or per type.
  const posts = new Autocomplete<{ title: string; url: string }>(db, { namespace: 'posts' });
  await posts.store({ id: 1, title: 'Walrus: Python utilities for Redis', type: 'post', data: { title: 'Walrus', url: '/p/1' } });
  await posts.store({ id: 2, title: 'Building autocomplete with walrus', type: 'post', data: { title: 'Autocomplete', url: '/p/2' } });
  await posts.store({ id: 'faq', title: 'Walrus FAQ', type: 'page', data: { title: 'FAQ', url: '/faq' } });
  console.log('walrus ->', (await posts.search('walrus')).map((d) => d.url));
  await posts.boostObject({ id: 2, type: 'post', multiplier: 100 });
  console.log('walrus, post 2 boosted ->', (await posts.search('walrus')).map((d) => d.url));
  console.log('walrus, pages pushed down for this search ->', (await posts.search('walrus', { boosts: { page: 0.01 } })).map((d) => d.url));

  // Removing a phrase leaves the prefixes other phrases share.
  await ac.remove('walrus tusks');
  console.log('after remove, wal ->', await ac.search('wal'), '| exists("walrus tusks"):', await ac.exists('walrus tusks'));
  console.log('flushed', await ac.flush() + (await posts.flush()), 'keys');
}
