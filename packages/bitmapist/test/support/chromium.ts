import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_BIN` overrides it. */
const DEFAULT_BIN = '/usr/bin/chromium';

const INSTALL_HINT =
  'Chromium is needed for the cohort rendering test and was not found. Install it and run again:\n' +
  '  Debian/Ubuntu (as root): apt-get update && apt-get install -y chromium\n' +
  'or point CHROMIUM_BIN at a Chromium binary.';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium binary for browser tests. When it is missing and this process runs as root on Debian or Ubuntu,
 * installs the Debian `chromium` package with apt-get (never a browser download by playwright); otherwise throws
 * an error naming the install command.
 */
export function ensureChromium(): string {
  const bin = process.env.CHROMIUM_BIN || DEFAULT_BIN;
  if (isExecutable(bin)) return bin;
  if (process.env.CHROMIUM_BIN) throw new Error(`CHROMIUM_BIN=${bin} is not an executable file.\n${INSTALL_HINT}`);
  if (process.getuid?.() === 0 && existsSync('/etc/debian_version')) {
    const started = Date.now();
    process.stderr.write('chromium not found: installing the Debian package chromium (apt-get)\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env }) : update;
    if (install.status !== 0 || !isExecutable(bin)) throw new Error(`apt-get install chromium failed.\n${INSTALL_HINT}`);
    process.stderr.write(`chromium installed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return bin;
  }
  throw new Error(INSTALL_HINT);
}
