/**
 * `npm test`: every check, in order, with their output streamed:
 *   1. `npm run check` (typecheck, lint, format check)
 *   2. unit and component tests (Vitest)
 *   3. `npm run build`: the production extension for Chrome and Firefox (MV3), zipped
 *   4. `web-ext lint` of the Firefox build (scripts/firefox.mjs: no error, no new warning)
 *   5. `npm run build:e2e`
 *   6. end-to-end tests against that build in Chromium (Vitest, vitest.e2e.config.ts)
 *   7. `npm run build:e2e:firefox`
 *   8. the Firefox smoke test against that build in Firefox ESR, and the check that the Chrome
 *      worker bundle of step 3 uses no DOM global (Vitest, vitest.firefox.config.ts)
 * A failed step does not stop the later ones, so one run shows every failure; only what
 * needs a build is skipped when that build failed (it would test a stale build or none).
 *
 * Tests are counted from Vitest's JSON reports; each other step counts as one test. The last
 * line is exactly `N passed, N failed`, which CI reads. The exit code is 1 if anything failed.
 *
 * `node scripts/test.mjs --no-e2e` stops after the unit tests.
 *
 * Each step's wall time is printed after its result, and again in the summary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const RESULTS_DIR = '.output/test-results';
const withE2e = !process.argv.includes('--no-e2e');

/** @typedef {{ name: string, passed: number, failed: number, note?: string, seconds?: number }} StepResult */

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

/** @type {StepResult[]} */
const results = [];

/**
 * Runs a step, adds its result and wall time to `results`, and returns the result.
 * @param {() => Promise<StepResult>} runStep
 */
async function timed(runStep) {
  const started = performance.now();
  const result = await runStep();
  result.seconds = (performance.now() - started) / 1000;
  console.log(`\n◀ ${result.name}: ${result.seconds.toFixed(1)} s`);
  results.push(result);
  return result;
}

/**
 * Runs `runStep` when `build` passed; otherwise counts it as one failure, not run.
 * @param {StepResult} build
 * @param {string} name
 * @param {() => Promise<StepResult>} runStep
 */
function afterBuild(build, name, runStep) {
  if (!build.failed) return timed(runStep);
  results.push({ name, passed: 0, failed: 1, note: `not run: the ${build.name} failed` });
  return undefined;
}

mkdirSync(RESULTS_DIR, { recursive: true });
await timed(() => step('check', 'npm', ['run', 'check']));
await timed(() => vitest('unit tests', [], 'unit.json'));
if (withE2e) {
  const build = await timed(() => step('production build and zips', 'npm', ['run', 'build']));
  await afterBuild(build, 'Firefox lint', () =>
    step('Firefox lint', 'node', ['scripts/firefox.mjs', 'lint', '.output/firefox-mv3']),
  );

  const e2eBuild = await timed(() => step('e2e build', 'npm', ['run', 'build:e2e']));
  await afterBuild(e2eBuild, 'e2e tests', () =>
    vitest('e2e tests', ['--config', 'vitest.e2e.config.ts'], 'e2e.json'),
  );

  const firefoxBuild = await timed(() =>
    step('Firefox e2e build', 'npm', ['run', 'build:e2e:firefox']),
  );
  // The Firefox tests also read the production Chrome worker (its no-DOM check): both builds.
  await afterBuild(build.failed ? build : firefoxBuild, 'Firefox tests', () =>
    vitest('Firefox tests', ['--config', 'vitest.firefox.config.ts'], 'firefox.json'),
  );
}

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log('\nSummary:');
for (const r of results) {
  const mark = r.failed ? '✗' : '✓';
  const time = r.seconds === undefined ? '' : `, ${r.seconds.toFixed(1)} s`;
  console.log(
    `  ${mark} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.note ? ` (${r.note})` : ''}${time}`,
  );
}
if (!withE2e) console.log('  - builds, Firefox lint, e2e and Firefox tests: skipped (--no-e2e)');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
