import { compareBytes } from '../src/boosts';
import { POSITION_OFFSET, cleanWords, prefixScores, prefixes, scoreToken } from '../src/scoring';

describe("walrus' autocomplete scoring", () => {
  it('reads the first 10 characters as base-27 digits (a-z = 2-27, anything else 1)', () => {
    expect(POSITION_OFFSET).toBe(213810021790597n);
    expect(scoreToken('zzzzzzzzzz') + 1n).toBe(POSITION_OFFSET);
    expect(scoreToken('a')).toBe(15544487180935n);
    expect(scoreToken('')).toBe((27n ** 10n - 1n) / 26n); // ten 1s in base 27
    expect(scoreToken('abcdefghijk')).toBe(scoreToken('abcdefghij'));
    expect(scoreToken('a-1')).toBe(scoreToken('a__'));
    expect(scoreToken('aa') < scoreToken('ab')).toBe(true);
    expect(scoreToken('ab') < scoreToken('b')).toBe(true);
  });

  it("places 'tusks' of 'walrus tusks' at 564098033051815", () => {
    expect(prefixScores(['walrus', 'tusks']).get('tusks')).toBe('564098033051815');
    const scores = prefixScores(['walrus', 'tusks']);
    expect([...scores.keys()]).toEqual(['w', 'wa', 'wal', 'walr', 'walru', 'walrus', 't', 'tu', 'tus', 'tusk', 'tusks']);
    expect(scores.get('t')).toBe('564098033051815');
    expect(scores.get('w')).toBe((scoreToken('walrus') + scoreToken('walrus tusks')).toString());
  });

  it('keeps the later score for a prefix shared by two words of one title', () => {
    const scores = prefixScores(['walrus', 'wall']);
    expect(scores.get('wa')).toBe((scoreToken('wall') + POSITION_OFFSET + scoreToken('walrus wall')).toString());
    expect(scores.get('walr')).toBe((scoreToken('walrus') + scoreToken('walrus wall')).toString());
  });

  it('cleans like walrus: lowercase, only a-z 0-9 _ - and whitespace survive', () => {
    expect(cleanWords("The Walrus's 2nd-best_friend: Carpenter!")).toEqual(['the', 'walruss', '2nd-best_friend', 'carpenter']);
    expect(cleanWords('Café  naïve\tüber')).toEqual(['caf', 'nave', 'ber']);
    expect(cleanWords('Café naïve 東京', true)).toEqual(['café', 'naïve', '東京']);
    expect(cleanWords('Cafe\u0301', true)).toEqual(['café']);
    expect(prefixes('𝒳y')).toEqual(['𝒳', '𝒳y']);
  });

  it('orders ties by UTF-8 bytes, as Redis does', () => {
    const words = ['b', 'a', 'ab', '', 'é', '\uffff', '𝒳', 'z'];
    const bytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareBytes)).toEqual(bytes);
  });
});
