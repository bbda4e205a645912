// Shared jest preset: SWC transforms TypeScript, ESM-only dependencies are transformed too
// (CommonJS jest cannot require them on Node 20), and @walrus/* imports resolve to sources
// so tests never depend on a stale build.
const path = require('node:path');

const esmOnly = ['stemmer', 'uuid', 'double-metaphone'];
const root = path.resolve(__dirname, '..', '..');

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { decoratorVersion: '2022-03' },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?(${esmOnly.join('|')})[@/])`],
  moduleNameMapper: {
    '^@walrus/testing$': path.join(root, 'tooling/testing/src/index.ts'),
    '^@walrus/([^/]+)$': path.join(root, 'packages/$1/src/index.ts'),
    '^@walrus/([^/]+)/(.+)$': path.join(root, 'packages/$1/src/$2.ts'),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globalSetup: path.join(root, 'tooling/testing/src/jest-global-setup.ts'),
  globalTeardown: path.join(root, 'tooling/testing/src/jest-global-teardown.ts'),
  testTimeout: 30000,
  maxWorkers: 2,
};
