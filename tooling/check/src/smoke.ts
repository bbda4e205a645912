// Publish-and-install smoke test: packs every package (pnpm pack turns workspace: ranges into versions),
// publishes the tarballs to a throwaway verdaccio registry, installs @walrus/core alone into an empty folder and
// then every package into another, and loads each with both require() and import().
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../testing/src/redis-server';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'walrus-smoke-'));
const upstream = (process.env.npm_config_registry || 'https://registry.npmjs.org/').replace(/\/?$/, '/');
const port = await freePort();
const registry = `http://127.0.0.1:${port}/`;

// Optional arguments limit the run to some package folders: `tsx tooling/check/src/smoke.ts core lock`.
const only = process.argv.slice(2);
const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => only.length === 0 || only.includes(dir))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; private?: boolean } }))
  .filter((p) => !p.pkg.private);

writeFileSync(
  join(work, 'config.yaml'),
  `storage: ${join(work, 'storage')}
auth:
  htpasswd:
    file: ${join(work, 'htpasswd')}
    max_users: 10
uplinks:
  upstream:
    url: ${upstream}
    timeout: 60s
packages:
  '@walrus/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    proxy: upstream
log: { type: stdout, format: pretty, level: error }
`,
);

const verdaccio = spawn(join(root, 'tooling/check/node_modules/.bin/verdaccio'), ['--config', join(work, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
  stdio: ['ignore', 'inherit', 'inherit'],
});

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, npm_config_registry: registry, npm_config_userconfig: join(work, '.npmrc'), npm_config_loglevel: 'error', npm_config_update_notifier: 'false' } });
}

let ok = false;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${registry}-/ping`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 300) throw new Error('verdaccio did not start in 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const res = await fetch(`${registry}-/user/org.couchdb.user:smoke`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'smoke', password: 'smoke-password' }),
  });
  const { token } = (await res.json()) as { token: string };
  writeFileSync(join(work, '.npmrc'), `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);

  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const p of packages) {
    const out = run('pnpm', ['pack', '--pack-destination', tarballs], p.dir).trim().split('\n').pop()!;
    run('npm', ['publish', out.trim(), '--registry', registry, '--access', 'public'], work);
    console.log(`published ${p.pkg.name}`);
  }

  const check = (cwd: string, names: string[]) => {
    for (const name of names) {
      const cjs = run('node', ['-e', `const m = require(${JSON.stringify(name)}); console.log(Object.keys(m).length)`], cwd).trim();
      const esm = run('node', ['--input-type=module', '-e', `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length)`], cwd).trim();
      if (!(Number(cjs) > 0) || cjs !== esm) throw new Error(`${name}: require() gave ${cjs} exports, import() gave ${esm}`);
      console.log(`${name}: ${cjs} exports through require() and import()`);
    }
  };

  const alone = join(work, 'core-alone');
  mkdirSync(alone);
  writeFileSync(join(alone, 'package.json'), '{ "name": "smoke-core", "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '@walrus/core'], alone);
  check(alone, ['@walrus/core']);

  const all = join(work, 'all');
  mkdirSync(all);
  writeFileSync(join(all, 'package.json'), '{ "name": "smoke-all", "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', ...packages.map((p) => p.pkg.name)], all);
  check(all, packages.map((p) => p.pkg.name));
  ok = true;
} finally {
  verdaccio.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(ok ? 'smoke test passed' : 'smoke test failed');
process.exit(ok ? 0 : 1);
