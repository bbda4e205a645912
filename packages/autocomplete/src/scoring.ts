// walrus' autocomplete scoring, reproduced exactly: a phrase's position in each prefix ZSET depends on the
// word's letters, the word's position in the title and the whole (cleaned) title.

/** Characters of a token that count towards its score. */
export const SCORED_LENGTH = 10;

const BASE = 27n;
const A = 'a'.codePointAt(0)! - 2;

/**
 * walrus' `score_token`: the first 10 characters of `token` read as base-27 digits, `a`…`z` = 2…27 and anything
 * else (or nothing, past the end) = 1. Lower sorts first.
 */
export function scoreToken(token: string): bigint {
  const chars = Array.from(token);
  let score = 0n;
  for (let i = 0; i < SCORED_LENGTH; i++) {
    let c = 1;
    if (i < chars.length) {
      c = chars[i].codePointAt(0)! - A;
      if (c < 2 || c > 27) c = 1;
    }
    score = score * BASE + BigInt(c);
  }
  return score;
}

/** The score distance between two word positions: `score('zzzzzzzzzz') + 1` = 213810021790597. */
export const POSITION_OFFSET: bigint = scoreToken('z'.repeat(SCORED_LENGTH)) + 1n;

const ASCII_JUNK = /[^a-z0-9_\-\s]/g;
const UNICODE_JUNK = /[^\p{L}\p{N}_\-\s]/gu;
const WHITESPACE = /\s+/;

/**
 * walrus' title cleaning: lowercase, delete everything but `a-z 0-9 _ -` and whitespace (with `unicode`: every
 * letter and digit, after NFC normalisation), split on whitespace. Stopwords are not removed here.
 */
export function cleanWords(text: string, unicode = false): string[] {
  const lower = text.toLowerCase();
  const kept = unicode ? lower.normalize('NFC').replace(UNICODE_JUNK, '') : lower.replace(ASCII_JUNK, '');
  return kept.split(WHITESPACE).filter((w) => w !== '');
}

/** The prefixes walrus indexes for a word: every leading substring, shortest first, the word itself last. */
export function prefixes(word: string): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let i = 1; i <= chars.length; i++) out.push(chars.slice(0, i).join(''));
  return out;
}

/**
 * The ZSET score of each prefix of a title's words (stopwords already removed): for the word at position `i`,
 * `score(word) + OFFSET * i + score(words joined by spaces)`. A prefix shared by two words keeps the later
 * word's score, as walrus' successive ZADDs do. Scores are exact integers, as decimal strings.
 */
export function prefixScores(words: readonly string[]): Map<string, string> {
  const title = scoreToken(words.join(' '));
  const out = new Map<string, string>();
  words.forEach((word, i) => {
    const score = (scoreToken(word) + POSITION_OFFSET * BigInt(i) + title).toString();
    for (const p of prefixes(word)) out.set(p, score);
  });
  return out;
}
