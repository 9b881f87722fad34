import { defineConfig } from 'vitest/config';

// Browser tests in real Chromium (Debian's, launched by playwright-core). They expect the cockpit
// built in packages/web/dist — `npm test` builds it first when stale.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One browser at a time keeps memory predictable on small CI machines.
    fileParallelism: false,
  },
});
