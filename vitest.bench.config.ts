import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * `npm run bench`: timing runs that print tables; never part of `npm test`. With
 * `PARSER_EVALUATION=1` (`npm run evaluate`) it runs the parser evaluation instead.
 */
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    environment: 'node',
    include: process.env.PARSER_EVALUATION
      ? ['tests/bench/**/*.evaluate.ts']
      : ['tests/bench/**/*.bench.ts'],
    setupFiles: ['fake-indexeddb/auto'],
    fileParallelism: false,
    disableConsoleIntercept: true,
    testTimeout: 300_000,
  },
});
