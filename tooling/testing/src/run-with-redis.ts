// Runs a command with REDIS_URL pointing at a throwaway redis-server, then stops the server:
//   tsx tooling/testing/src/run-with-redis.ts <command> [args...]
// An existing REDIS_URL is used as is.
import { spawn } from 'node:child_process';
import { startServer } from './redis-server';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: run-with-redis <command> [args...]');
  process.exit(2);
}
const server = process.env.REDIS_URL ? undefined : await startServer();
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, REDIS_URL: process.env.REDIS_URL ?? server!.url } });
const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await server?.stop();
process.exit(code);
