import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built extension (`.output/chrome-mv3-e2e`) in Debian's Chromium. With
 * `DISPATCH_POPUP_BENCH=1` (set by `npm run bench`) it runs the in-browser popup benchmark
 * (`tests/bench/*.browser.ts`) on the same build instead: timings, never part of `npm test`.
 */
const bench = Boolean(process.env.DISPATCH_POPUP_BENCH);

export default defineConfig({
  test: {
    environment: 'node',
    include: bench ? ['tests/bench/**/*.browser.ts'] : ['tests/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: bench ? 600_000 : 60_000,
    hookTimeout: bench ? 600_000 : 60_000,
    disableConsoleIntercept: bench,
    globals: true,
  },
});
