/**
 * `npm test`: every check, in order, with their output streamed:
 *   1. `npm run check` (typecheck, lint, format check)
 *   2. unit and component tests (Vitest)
 *   3. `npm run build:e2e`
 *   4. end-to-end tests against that build in Chromium (Vitest, vitest.e2e.config.ts)
 * A failed step does not stop the later ones, so one run shows every failure; only the
 * end-to-end tests are skipped when the build failed (they would test a stale build or none).
 *
 * Tests are counted from Vitest's JSON reports; each other step counts as one test. The last
 * line is exactly `N passed, N failed`, which CI reads. The exit code is 1 if anything failed.
 *
 * `node scripts/test.mjs --no-e2e` stops after the unit tests.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const RESULTS_DIR = '.output/test-results';
const withE2e = !process.argv.includes('--no-e2e');

/** @typedef {{ name: string, passed: number, failed: number, note?: string }} StepResult */

/**
 * Runs a command with inherited stdio and resolves with its exit code (1 if it could not start
 * or was killed by a signal).
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function run(command, args) {
  console.log(`\n▶ ${[command, ...args].join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`Could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/**
 * A step that is not a test suite counts as one test.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<StepResult>}
 */
async function step(name, command, args) {
  const code = await run(command, args);
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
}

/**
 * Runs Vitest with a JSON report and counts its tests. A non-zero exit with no failed test
 * (a file that fails to load, no test found, a crash) counts as one failure.
 * @param {string} name
 * @param {string[]} extraArgs
 * @param {string} reportName
 * @returns {Promise<StepResult>}
 */
async function vitest(name, extraArgs, reportName) {
  const report = path.join(RESULTS_DIR, reportName);
  rmSync(report, { force: true });
  const code = await run('npx', [
    'vitest',
    'run',
    ...extraArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
  ]);
  /** @type {{ numPassedTests?: number, numFailedTests?: number } | undefined} */
  let counts;
  try {
    counts = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    counts = undefined;
  }
  const passed = counts?.numPassedTests ?? 0;
  let failed = counts?.numFailedTests ?? 0;
  let note;
  if (code !== 0 && failed === 0) {
    failed = 1;
    note = existsSync(report)
      ? `exited with ${code} although no test failed`
      : `exited with ${code} and wrote no report`;
  }
  return { name, passed, failed, note };
}

mkdirSync(RESULTS_DIR, { recursive: true });
/** @type {StepResult[]} */
const results = [];
results.push(await step('check', 'npm', ['run', 'check']));
results.push(await vitest('unit tests', [], 'unit.json'));
if (withE2e) {
  const build = await step('e2e build', 'npm', ['run', 'build:e2e']);
  results.push(build);
  if (build.failed) {
    results.push({ name: 'e2e tests', passed: 0, failed: 1, note: 'not run: the build failed' });
  } else {
    results.push(await vitest('e2e tests', ['--config', 'vitest.e2e.config.ts'], 'e2e.json'));
  }
}

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log('\nSummary:');
for (const r of results) {
  const mark = r.failed ? '✗' : '✓';
  console.log(
    `  ${mark} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ''}`,
  );
}
if (!withE2e) console.log('  - e2e build and tests: skipped (--no-e2e)');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
