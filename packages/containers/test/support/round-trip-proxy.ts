import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a Redis server that counts round trips: one starts each time the client sends after
 * having received (or for the first time). Operations awaited one at a time give exact round trips each.
 */
export class RoundTripProxy {
  #server?: Server;
  readonly #sockets = new Set<Socket>();
  roundTrips = 0;

  constructor(readonly targetPort: number) {}

  async listen(): Promise<number> {
    this.#server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
      this.#sockets.add(client).add(upstream);
      let lastFromClient = false;
      client.on('data', (chunk) => {
        if (!lastFromClient) this.roundTrips++;
        lastFromClient = true;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        lastFromClient = false;
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
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }
}
