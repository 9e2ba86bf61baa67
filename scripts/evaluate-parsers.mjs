#!/usr/bin/env node
/**
 * `npm run evaluate`: measures the candidate feed and XML parsers (conformance on
 * ../shared/conformance/, speed, browser bundle size, service-worker safety) and prints the
 * tables recorded in docs/decisions.md, "Issue 3: feed engine". The work is in
 * tests/bench/parsers.evaluate.ts, run by Vitest so it can import the TypeScript parser.
 */
import { spawnSync } from 'node:child_process';

const run = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'vitest.bench.config.ts', '--reporter=dot'],
  { stdio: 'inherit', env: { ...process.env, PARSER_EVALUATION: '1' } },
);
process.exit(run.status ?? 1);
