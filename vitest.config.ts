import { defineConfig } from 'vitest/config';

// Tests import the workspace packages from their TypeScript sources through the
// "@stateproof/source" export condition, so a test run never depends on a stale dist/.
export default defineConfig({
  resolve: { conditions: ['@stateproof/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@stateproof/source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: [
      'spec/test/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'adapters/*/test/**/*.test.ts',
      'conformance/test/**/*.test.ts',
      'tools/*/test/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
