/** Separates an object's id from its type in stored member names and boost fields (`<id>\x01<type>`). */
export const SEPARATOR = '\x01';

/**
 * Orders strings by their UTF-8 bytes, as Redis orders members of equal score. (The search script ranks boosted
 * scores in Lua, whose string comparison follows the server's locale, so ties are ordered here.)
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (astral characters) below U+E000-U+FFFF; UTF-8 puts them above.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}
