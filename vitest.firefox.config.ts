import { defineConfig } from 'vitest/config';

/**
 * The Firefox smoke test: the Firefox MV3 test build (`.output/firefox-mv3-e2e`, from
 * `npm run build:e2e:firefox`) in Debian's `firefox-esr`, through puppeteer-core over WebDriver
 * BiDi (scripts/firefox.mjs).
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e-firefox/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globals: true,
  },
});
