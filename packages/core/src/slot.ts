import type { Arg } from './types';

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[i] = crc;
  }
  return t;
})();

function crc16(buf: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ buf[i]) & 0xff];
  return crc;
}

/** The Redis Cluster hash slot (0-16383) of a key, honouring `{hash tags}` as Redis does. */
export function keySlot(key: Arg): number {
  const buf = typeof key === 'string' ? Buffer.from(key) : key;
  const open = buf.indexOf(0x7b);
  if (open !== -1) {
    const close = buf.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(buf, open + 1, close) & 16383;
  }
  return crc16(buf, 0, buf.length) & 16383;
}
