import { InvalidArgumentError } from '@walrus/core';
import { DEFAULT_STOPWORDS, Tokenizer } from '@walrus/fts';

describe('DEFAULT_STOPWORDS', () => {
  it("is walrus' 591-word list", () => {
    expect(DEFAULT_STOPWORDS.size).toBe(591);
    for (const w of ['a', 'the', 'and', "don't", 'yourselves', 'zero']) expect(DEFAULT_STOPWORDS.has(w)).toBe(true);
    for (const w of ['walrus', 'redis', 'python']) expect(DEFAULT_STOPWORDS.has(w)).toBe(false);
  });
});

describe('Tokenizer', () => {
  it("pins walrus' Porter stems", () => {
    const t = new Tokenizer();
    expect(t.words('faithful believes charlie')).toEqual(['faith', 'believ', 'charli']);
    expect(t.words('faith faiths faithful')).toEqual(['faith', 'faith', 'faith']);
    expect(t.words('Running happiness ponies')).toEqual(['run', 'happi', 'poni']);
  });

  it('lowercases, turns punctuation into spaces and drops stopwords', () => {
    const t = new Tokenizer({ stemmer: false });
    expect(t.words('The Walrus, and the Carpenter!')).toEqual(['walrus', 'carpenter']);
    expect(t.words('e-mail:user@host.com (x=y+z) [a]{b}_c/d\\e?f*g#h$i%j;k"l\'m')).toEqual(
      // 'com', 'a' and 'i' are stopwords.
      ['e', 'mail', 'user', 'host', 'x', 'y', 'z', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'j', 'k', 'l', 'm'],
    );
    // Characters outside walrus' punctuation list stay inside words.
    expect(t.words('c&d a^b')).toEqual(['c&d', 'a^b']);
  });

  it('drops words shorter than minWordLength after stopwords', () => {
    const t = new Tokenizer({ stemmer: false, minWordLength: 3 });
    expect(t.words('go to the big redis db')).toEqual(['big', 'redis']);
    expect(t.tokenize('go to the big redis db')).toEqual(new Map([['big', 1 / 3], ['redis', 1 / 3]]));
  });

  it('scores each token by its share of the kept words: count / (words + 1)', () => {
    const t = new Tokenizer();
    const scores = t.tokenize('python python redis');
    expect([...scores.keys()]).toEqual(['python', 'redi']);
    expect(scores.get('python')).toBe(0.25 + 0.25);
    expect(scores.get('redi')).toBe(0.25);
    // Repeated addition, as walrus does: three thirds is not exactly 1.
    const thirds = new Tokenizer({ stopwords: false }).tokenize('x x x x x');
    expect(thirds.get('x')).toBe(1 / 6 + 1 / 6 + 1 / 6 + 1 / 6 + 1 / 6);
    expect(t.tokenize('')).toEqual(new Map());
    expect(t.tokenize('the and of')).toEqual(new Map());
  });

  it('uses custom stopwords or none', () => {
    expect(new Tokenizer({ stopwords: ['Redis'], stemmer: false }).words('the redis walrus')).toEqual(['the', 'walrus']);
    expect(new Tokenizer({ stopwords: false, stemmer: false }).words('the redis')).toEqual(['the', 'redis']);
  });

  it('maps words to their distinct double metaphone codes, so misspellings meet', () => {
    const t = new Tokenizer({ metaphone: true });
    expect(t.words('python')).toEqual(['P0N', 'PTN']);
    expect(t.words('pithonn')).toEqual(t.words('python'));
    // Identical primary and secondary codes count once; words without codes stay themselves.
    expect(t.words('believes')).toEqual(['PLF']); // the stem 'believ', then its code
    expect(t.words('1234')).toEqual(['1234']);
    expect(t.tokenize('python python')).toEqual(new Map([['P0N', 2 / 3], ['PTN', 2 / 3]]));
  });

  it('rejects bad options and non-string text with InvalidArgumentError', () => {
    expect(() => new Tokenizer({ minWordLength: -1 })).toThrow(InvalidArgumentError);
    expect(() => new Tokenizer({ minWordLength: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new Tokenizer({ stopwords: 'the' as unknown as string[] })).toThrow(InvalidArgumentError);
    expect(() => new Tokenizer({ stopwords: [1] as unknown as string[] })).toThrow(InvalidArgumentError);
    expect(() => new Tokenizer({ stemmer: 'yes' as unknown as boolean })).toThrow(InvalidArgumentError);
    expect(() => new Tokenizer().tokenize(42 as unknown as string)).toThrow(InvalidArgumentError);
  });
});
