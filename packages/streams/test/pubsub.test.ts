import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from '@walrus/core';
import { listen, monitor, publish, type Subscription } from '@walrus/streams';
import { describeTopologies } from '@walrus/testing';

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describeTopologies('pub/sub and monitor', (t) => {
  // On a cluster PUBLISH counts the receivers of the node it ran on only, so delivery is what the tests check.
  const opened: Subscription[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.unsubscribe()));
  });

  it('delivers channel and pattern messages until unsubscribed', async () => {
    const got: [string, string][] = [];
    const news = `${t.prefix}news`;
    const sub = await listen(t.db, { channels: [news], patterns: [`${t.prefix}alerts.*`] }, (message, channel) => {
      got.push([channel, message]);
    });
    opened.push(sub);
    expect(sub.active).toBe(true);
    const receivers = await publish(t.db, news, 'hello');
    if (!t.isCluster) expect(receivers).toBe(1);
    await publish(t.db, `${t.prefix}alerts.disk`, Buffer.from('full'));
    await publish(t.db, `${t.prefix}other`, 'ignored');
    await until(() => got.length === 2);
    expect(got).toEqual([
      [news, 'hello'],
      [`${t.prefix}alerts.disk`, 'full'],
    ]);
    await sub.unsubscribe();
    expect(sub.active).toBe(false);
    await sub.unsubscribe();
    expect(await publish(t.db, news, 'after')).toBe(0);
    await sleep(100);
    expect(got).toHaveLength(2);
  });

  it('stops when its signal aborts and when disposed', async () => {
    const ch = `${t.prefix}abortable`;
    const got: string[] = [];
    const ctrl = new AbortController();
    const sub = await listen(t.db, { channels: [ch] }, (m) => void got.push(m), { signal: ctrl.signal });
    opened.push(sub);
    await publish(t.db, ch, 'one');
    await until(() => got.length === 1);
    ctrl.abort();
    await until(() => !sub.active);
    await sleep(50);
    await publish(t.db, ch, 'two');
    {
      await using _sub = await listen(t.db, { channels: [ch] }, (m) => void got.push(`disposable ${m}`));
      await publish(t.db, ch, 'three');
      await until(() => got.length === 2);
    }
    await publish(t.db, ch, 'four');
    await sleep(100);
    expect(got).toEqual(['one', 'disposable three']);
    await expect(listen(t.db, { channels: [ch] }, () => {}, { signal: AbortSignal.abort() })).rejects.toBeDefined();
  });

  it('rejects bad arguments', async () => {
    await expect(listen(t.db, {}, () => {})).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(listen(t.db, { channels: [''] }, () => {})).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(listen(t.db, { channels: ['a'] }, 'nope' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(publish(t.db, '', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(monitor(t.db, undefined as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('rethrows handler errors as uncaught exceptions', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'listen-throws.ts')], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, WALRUS_CONNECT: JSON.stringify(t.connectOptions), CHANNEL: `${t.prefix}boom` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('handler exploded on ping');
  });

  it('streams server activity line by line', async () => {
    const lines: string[] = [];
    const key = t.key('watched');
    const sub = await monitor(t.db, (line) => {
      if (line.includes(key)) lines.push(line);
    });
    await t.db.command(['SET', key, 'v1']);
    await until(() => lines.length >= 1);
    expect(lines[0]).toMatch(new RegExp(`^\\d+\\.\\d+ \\[\\d+ [^\\]]+\\] "SET" "${key.replace(/[{}]/g, '\\$&')}" "v1"$`, 'i'));
    await sub.unsubscribe();
    await t.db.command(['SET', key, 'v2']);
    await sleep(50);
    expect(lines.some((l) => l.includes('v2'))).toBe(false);
  });
});
