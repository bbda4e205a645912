export { DEFAULT_STOPWORDS, resolveStopwords } from './stopwords';
export { Tokenizer, type TokenizerOptions } from './tokenizer';
export { parseQuery, type ParseQueryOptions, type QueryNode } from './query';
export { Index, type Doc, type IndexOptions, type RemoveOptions, type SearchOptions } from './search-index';
export { ParseError } from '@walrus/core';
