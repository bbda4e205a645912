import { escapeValue, membersOf, parseMember, prefixFor } from '../src/hexastore';

const tricky = ['a::b', ':lead', 'trail:', 'back\\slash', ':::', '\\', 'x\\:y', 'http://example.com/a', 'a:b', '::', '\\\\::\\', 'ÿ', 'Ā', '😀', '日本'];

describe('hexastore members', () => {
  it("stores plain values verbatim, as walrus' '::'.join does", () => {
    expect(membersOf({ s: 'charlie', p: 'friends', o: 'huey' })).toEqual(['spo::charlie::friends::huey', 'pos::friends::huey::charlie', 'osp::huey::charlie::friends']);
    expect(escapeValue('a:b')).toBe('a:b');
    expect(escapeValue('日本')).toBe('日本');
  });

  it('escapes values that could be confused with the separator', () => {
    expect(escapeValue('a::b')).toBe('a\\:\\:b');
    expect(escapeValue(':x')).toBe('\\:x');
    expect(escapeValue('x:')).toBe('x\\:');
    expect(escapeValue('a\\b')).toBe('a\\\\b');
  });

  it('round-trips every value, however it mixes colons and backslashes', () => {
    for (const s of tricky)
      for (const p of ['p', ...tricky.slice(0, 5)])
        for (const o of tricky) {
          const t = { s, p, o };
          for (const m of membersOf(t)) expect(parseMember(m)).toEqual(t);
        }
  });

  it('round-trips random strings over a small alphabet of separators', () => {
    const alphabet = [':', ':', '\\', 'a', 'é', '😀'];
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const word = () => Array.from({ length: 1 + Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const t = { s: word(), p: word(), o: word() };
      for (const m of membersOf(t)) expect(parseMember(m)).toEqual(t);
    }
  });

  it('never lets one value prefix-match another after escaping', () => {
    for (const a of tricky)
      for (const b of tricky) if (a !== b) expect(membersOf({ s: b, p: 'p', o: 'o' })[0].startsWith(`${prefixFor({ s: a })}::`)).toBe(false);
  });

  it('picks the permutation whose prefix holds the bound parts (s,o → osp::o::s)', () => {
    expect(prefixFor({})).toBe('spo');
    expect(prefixFor({ s: 'S' })).toBe('spo::S');
    expect(prefixFor({ p: 'P' })).toBe('pos::P');
    expect(prefixFor({ o: 'O' })).toBe('osp::O');
    expect(prefixFor({ s: 'S', p: 'P' })).toBe('spo::S::P');
    expect(prefixFor({ s: 'S', o: 'O' })).toBe('osp::O::S');
    expect(prefixFor({ p: 'P', o: 'O' })).toBe('pos::P::O');
    expect(prefixFor({ s: 'S', p: 'P', o: 'O' })).toBe('spo::S::P::O');
  });

  it('ignores members that are not triples', () => {
    expect(parseMember('spo::a::b')).toBeUndefined();
    expect(parseMember('xyz::a::b::c')).toBeUndefined();
  });
});
