import type { Walrus } from '@walrus/core';
import { Index, ParseError, Tokenizer, parseQuery } from '@walrus/fts';

export async function tour(db: Walrus): Promise<void> {
  // The tokenizer: lowercase, punctuation, stopwords, Porter stems (and optionally double metaphone).
  console.log('tokens of "The walrus believes in faithful friends":', [...new Tokenizer().tokenize('The walrus believes in faithful friends').keys()]);

  // An index of a few documents with metadata; each add is one atomic script.
  const idx = new Index(db, 'posts', { metaphone: true });
  await idx.add('p1', 'Walrus: lightweight Python utilities for working with Redis', { author: 'charles' });
  await idx.add('p2', 'Building autocomplete with Redis sorted sets');
  await idx.add('p3', 'Valkey is a Redis fork; walrus works with it too');

  const show = async (q: string) => console.log(`search ${JSON.stringify(q)} ->`, (await idx.searchItems(q)).map(([key]) => key));
  await show('redis');
  await show('pithon AND (redis OR valkey)'); // metaphone forgives the misspelling
  await show('autocomplete | valkey');
  await show('"sorted sets"');

  // Re-indexing replaces the old tokens; metadata merges (update) or is dropped (replace).
  await idx.update('p2', 'Building typeahead with Redis', { tags: 'redis,typeahead' });
  console.log('after update, p2 =', await idx.getDocument('p2'));

  // Malformed queries point at the problem instead of silently dropping the rest.
  try {
    parseQuery('redis AND (python OR');
  } catch (err) {
    if (err instanceof ParseError) console.log(`ParseError at ${err.position}: expected ${err.expected}`);
  }

  await idx.remove('p3');
  console.log('after removing p3, "valkey" finds', (await idx.search('valkey')).length, 'documents');
}
