import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describeTopologies } from '@walrus/testing';
import { checkIndexes } from './consistency';

const fixture = join(__dirname, 'fixtures', 'saver.ts');
const root = join(__dirname, '..');

/** Starts the saver, waits until it has done `ops` operations, kills it with SIGKILL mid-stream. */
function runAndKill(options: object, ops: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: root,
      env: { ...process.env, WALRUS_CRASH_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the saver did only ${seen} operations in time; stderr: ${stderr}`));
    }, 40_000);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) seen = Math.max(seen, Number(line));
      if (seen >= ops && !child.killed) {
        // Kill at a random moment of the next few milliseconds, while saves are in flight.
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 20);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`the saver exited by itself (code ${code}): ${stderr}`));
    });
  });
}

describeTopologies('models: a process killed between saves', (t) => {
  it('leaves every index consistent with the records', async () => {
    const options = { ...t.connectOptions, prefix: t.prefix };
    const ops = await runAndKill(options, 400);
    expect(ops).toBeGreaterThanOrEqual(400);
    const { problems, records } = await checkIndexes(t.db, { base: '{crash}:', absolute: ['name', 'team', 'age'], continuous: ['age'], fts: ['bio'] });
    expect(problems).toEqual([]);
    expect(records).toBeGreaterThan(0);
    // A second run over the same data, killed again, still leaves it consistent.
    await runAndKill(options, 200);
    expect((await checkIndexes(t.db, { base: '{crash}:', absolute: ['name', 'team', 'age'], continuous: ['age'], fts: ['bio'] })).problems).toEqual([]);
  }, 90_000);
});
