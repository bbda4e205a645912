import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * Counts complete RESP values in a byte stream (requests or RESP2/RESP3 replies), across chunk boundaries.
 * Push messages (`>`) are not replies and are not counted. For requests it also reports the command names.
 */
class RespCounter {
  #buf: Buffer = Buffer.alloc(0);

  /** True while a value is only partly received. */
  get partial(): boolean {
    return this.#buf.length > 0;
  }

  /** Feeds bytes; returns the complete top-level values they completed (first element of arrays, upper-cased). */
  feed(chunk: Buffer): string[] {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const out: string[] = [];
    for (;;) {
      const end = this.#value(0);
      if (end === -1) return out;
      if (this.#buf[0] !== 0x3e) out.push(this.#head());
      this.#buf = this.#buf.subarray(end);
    }
  }

  /** The first bulk string of the array at the start of the buffer (a request's command name). */
  #head(): string {
    const buf = this.#buf;
    if (buf[0] !== 0x2a) return '';
    const first = buf.indexOf('\r\n') + 2;
    if (buf[first] !== 0x24) return '';
    const eol = buf.indexOf('\r\n', first);
    const len = Number(buf.toString('latin1', first + 1, eol));
    return buf.toString('latin1', eol + 2, eol + 2 + len).toUpperCase();
  }

  /** End offset of the value starting at `at`, or -1 when incomplete. */
  #value(at: number): number {
    const buf = this.#buf;
    if (at >= buf.length) return -1;
    const eol = buf.indexOf('\r\n', at);
    if (eol === -1) return -1;
    const type = String.fromCharCode(buf[at]);
    const head = buf.toString('latin1', at + 1, eol);
    let next = eol + 2;
    switch (type) {
      case '$':
      case '!':
      case '=': {
        const len = Number(head);
        if (len < 0) return next;
        return next + len + 2 <= buf.length ? next + len + 2 : -1;
      }
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        const count = Number(head);
        const items = count < 0 ? 0 : type === '%' || type === '|' ? count * 2 : count;
        for (let i = 0; i < items; i++) {
          next = this.#value(next);
          if (next === -1) return -1;
        }
        // An attribute (`|`) precedes the value it annotates.
        return type === '|' ? this.#value(next) : next;
      }
      default:
        return next; // + - : _ , # ( and inline commands
    }
  }
}

/**
 * A TCP proxy in front of one Redis server that counts round trips the way a client experiences them: a round
 * trip starts when the client sends a command while it has every reply it asked for, i.e. after it had to wait.
 * A client still in the middle of a write (a command or a MULTI…EXEC only partly received) is not waiting, so a
 * large pipeline that reaches the proxy in several TCP pieces, with replies to its first part in between, counts
 * once.
 */
export class RoundTripCounter {
  #server?: Server;
  readonly #sockets = new Set<Socket>();
  roundTrips = 0;

  constructor(readonly target: { host: string; port: number }) {}

  /** Starts listening; resolves to the proxy's `redis://` URL. */
  async listen(): Promise<string> {
    this.#server = createServer((client) => {
      const upstream = createConnection(this.target);
      this.#sockets.add(client).add(upstream);
      const requests = new RespCounter();
      const replies = new RespCounter();
      let outstanding = 0;
      let inMulti = false;
      let waiting = false; // the client began sending while it had every reply
      client.on('data', (chunk) => {
        if (outstanding === 0 && !inMulti && !requests.partial) waiting = true;
        const sent = requests.feed(chunk);
        if (waiting && sent.length > 0) {
          this.roundTrips++;
          waiting = false;
        }
        for (const name of sent) {
          if (name === 'MULTI') inMulti = true;
          else if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
        }
        outstanding += sent.length;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        outstanding -= replies.feed(chunk).length;
        client.write(chunk);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    const addr = this.#server.address();
    return `redis://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  /** Round trips made while `fn` runs. */
  async count(fn: () => Promise<unknown>): Promise<number> {
    const before = this.roundTrips;
    await fn();
    return this.roundTrips - before;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }
}
