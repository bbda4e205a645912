import { InvalidArgumentError } from '@walrus/core';
import { DEFAULT_STOPWORDS, resolveStopwords } from './stopwords';
import { doubleMetaphone } from 'double-metaphone';
import { stemmer as porterStem } from 'stemmer';

/** How a {@link Tokenizer} turns text into index tokens. */
export interface TokenizerOptions {
  /** Reduce words to their Porter stem (`believes` -> `believ`). Default `true`. */
  stemmer?: boolean;
  /** Replace each word by its double metaphone codes, so misspellings match (`pithonn` ~ `python`). Default `false`. */
  metaphone?: boolean;
  /** Words left out of the index; `false` keeps every word. Default {@link DEFAULT_STOPWORDS}. */
  stopwords?: Iterable<string> | false;
  /** Words shorter than this (after stopwords are dropped) are left out. Default: none. */
  minWordLength?: number;
}

// walrus' punctuation: each of these characters separates words.
const SYMBOLS = /[.,;:"'\\/!@#$%?*()\-=+[\]{}_]/g;
const WHITESPACE = /\s+/;

function checkBoolean(field: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new InvalidArgumentError(`${field} must be a boolean`, { field, value: v });
}

/**
 * walrus' text pipeline: lowercase, punctuation to spaces, split on whitespace, drop stopwords, drop words shorter
 * than `minWordLength`, Porter-stem, optionally double metaphone. Pure and synchronous; shared by the full-text
 * {@link Index}, @walrus/models' full-text fields and @walrus/autocomplete's stopwords.
 */
export class Tokenizer {
  /** Whether words are Porter-stemmed. */
  readonly stemmer: boolean;
  /** Whether words become their double metaphone codes. */
  readonly metaphone: boolean;
  /** The stopwords in use (lowercase). */
  readonly stopwords: ReadonlySet<string>;
  /** Shortest word kept (0: all). */
  readonly minWordLength: number;

  constructor(o: TokenizerOptions = {}) {
    if (o === null || typeof o !== 'object') throw new InvalidArgumentError('tokenizer options must be an object', { value: o });
    checkBoolean('stemmer', o.stemmer);
    checkBoolean('metaphone', o.metaphone);
    const min = o.minWordLength ?? 0;
    if (!Number.isInteger(min) || min < 0) throw new InvalidArgumentError('minWordLength must be a non-negative integer', { field: 'minWordLength', value: o.minWordLength });
    this.stemmer = o.stemmer ?? true;
    this.metaphone = o.metaphone ?? false;
    this.stopwords = resolveStopwords(o.stopwords);
    this.minWordLength = min;
  }

  /** The words of `text` that count: lowercased, split at punctuation and whitespace, stopwords and short words dropped. */
  #split(text: string): string[] {
    if (typeof text !== 'string') throw new InvalidArgumentError(`text must be a string, got ${typeof text}`, { field: 'text', value: text });
    const out: string[] = [];
    for (const w of text.toLowerCase().replace(SYMBOLS, ' ').split(WHITESPACE)) {
      if (w === '' || this.stopwords.has(w) || w.length < this.minWordLength) continue;
      out.push(w);
    }
    return out;
  }

  #transform(words: string[]): string[] {
    const stemmed = this.stemmer ? words.map((w) => porterStem(w)) : words;
    if (!this.metaphone) return stemmed;
    const out: string[] = [];
    for (const w of stemmed) {
      const [primary, secondary] = doubleMetaphone(w);
      const codes = [primary.trim(), secondary.trim()].filter((c, i, all) => c !== '' && all.indexOf(c) === i);
      if (codes.length === 0) out.push(w);
      else out.push(...codes);
    }
    return out;
  }

  /**
   * The tokens of `text` in order, duplicates kept: what {@link Tokenizer.tokenize} counts. With `metaphone`, a
   * word contributes its distinct non-empty codes (or itself when it has none).
   */
  words(text: string): string[] {
    return this.#transform(this.#split(text));
  }

  /**
   * Token -> score: each occurrence adds `1 / (words kept + 1)`, so a token's score is its share of the text.
   * The index stores the negated score, so the most relevant documents sort first.
   */
  tokenize(text: string): Map<string, number> {
    const words = this.#split(text);
    const fraction = 1 / (words.length + 1);
    const scores = new Map<string, number>();
    // Repeated addition (not count * fraction) gives the very floats walrus stores.
    for (const token of this.#transform(words)) scores.set(token, (scores.get(token) ?? 0) + fraction);
    return scores;
  }
}
