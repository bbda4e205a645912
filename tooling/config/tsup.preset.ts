import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

/**
 * The shared build of every @walrus package: ESM + CJS with `.d.ts` / `.d.cts`, Node 20 target,
 * every dependency and peer left external so users' bundlers dedupe them.
 */
export function preset(entry: Record<string, string> = { index: 'src/index.ts' }): Options {
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const external = [
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ].map((name) => new RegExp(`^${name.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&')}(/.*)?$`));
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    external,
    tsconfig: 'tsconfig.build.json',
    removeNodeProtocol: false,
  };
}
