import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/** `npm run bench`: timing runs that print tables; never part of `npm test`. */
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    environment: 'node',
    include: ['tests/bench/**/*.bench.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    fileParallelism: false,
    disableConsoleIntercept: true,
    testTimeout: 300_000,
  },
});
