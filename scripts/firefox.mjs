/**
 * Firefox: the Firefox end-to-end smoke test's launcher, and `web-ext lint` of the production
 * build with its one known warning allowed.
 *
 * Launching is RECIPES.md §5: Debian's `firefox-esr`, driven by puppeteer-core over WebDriver
 * BiDi (Playwright cannot drive stock Firefox), with the extension installed as a temporary
 * add-on whose `moz-extension://` UUID is pinned by a preference. BiDi refuses to navigate to
 * `moz-extension://` pages, so the e2e build opens its popup page in a tab at install
 * (entrypoints/background.ts) and {@link FirefoxExtension.findPage} finds that tab, or any
 * other the extension opens, by its address.
 *
 * `node scripts/firefox.mjs lint [dir]` (in `npm test`): lints the production Firefox build
 * (default `.output/firefox-mv3`); fails on any error and on any warning not allowed by
 * {@link KNOWN_LINT_WARNINGS} (by code, file and statement). Offline: web-ext and its addons-linter are local devDependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

/** Where Firefox is looked for when FIREFOX_PATH is not set. */
export const FIREFOX_CANDIDATES = Object.freeze([
  '/usr/bin/firefox-esr',
  '/usr/bin/firefox',
  '/usr/lib/firefox-esr/firefox-esr',
]);

/** The add-on id (`browser_specific_settings.gecko.id` in wxt.config.ts). */
export const GECKO_ID = 'dispatch@example.org';

/**
 * What `npm run build:e2e:firefox` writes: the Firefox MV3 extension with loopback host access
 * and notifications granted. `DISPATCH_FIREFOX_EXTENSION_DIR` points the test at another copy.
 */
export const FIREFOX_E2E_EXTENSION_DIR =
  process.env.DISPATCH_FIREFOX_EXTENSION_DIR ?? '.output/firefox-mv3-e2e';

/**
 * Warnings `web-ext lint` may report without failing, by code: the reason, and the test the
 * warning must pass. A code alone is not enough: an `innerHTML` of feed text in our own code
 * would raise the same `UNSAFE_VAR_ASSIGNMENT`.
 * `UNSAFE_VAR_ASSIGNMENT`: Preact's renderer assigns `innerHTML` for `dangerouslySetInnerHTML`,
 * which Dispatch never uses (feed text is rendered as text). Allowed once, and only where the
 * warning points at that statement (`dom.innerHTML = props.__html`, minified) in the chunk that
 * holds Preact's `dangerouslySetInnerHTML` handling.
 * @type {Readonly<Record<string, { why: string, max: number, isKnown: (warning: LintMessage, source: string | undefined) => boolean }>>}
 */
export const KNOWN_LINT_WARNINGS = Object.freeze({
  UNSAFE_VAR_ASSIGNMENT: {
    why: 'innerHTML in Preact’s renderer (dangerouslySetInnerHTML, unused)',
    max: 1,
    isKnown: isPreactInnerHtml,
  },
});

/** Preact's one `innerHTML` assignment, as any minifier writes it: `t.innerHTML=f.__html`. */
const PREACT_INNER_HTML = /^[\w$]+\.innerHTML\s*=\s*[\w$]+\.__html\b/;

/**
 * True when `warning` points at Preact's `innerHTML` assignment in its runtime chunk: the
 * file holds Preact's `dangerouslySetInnerHTML` handling, and the statement at the warning's
 * line and column (1-based, as ESLint reports them) is `<node>.innerHTML = <props>.__html`.
 * @param {LintMessage} warning
 * @param {string | undefined} source the text of `warning.file`
 */
export function isPreactInnerHtml(warning, source) {
  if (source === undefined || !source.includes('dangerouslySetInnerHTML')) return false;
  if (!warning.line || !warning.column) return false;
  const line = source.split('\n')[warning.line - 1];
  return line !== undefined && PREACT_INNER_HTML.test(line.slice(warning.column - 1));
}

/**
 * The problems that fail the lint: every error, every warning whose code is not known or that
 * fails its code's test, and known warnings past their allowed count.
 * @param {{ errors: LintMessage[], warnings: LintMessage[] }} report
 * @param {(file: string) => string | undefined} readSource the text of a file of the build
 * @returns {LintMessage[]}
 */
export function unexpectedLintProblems(report, readSource) {
  /** @type {Map<string, number>} */
  const allowed = new Map();
  const unexpected = [...report.errors];
  for (const warning of report.warnings) {
    const known = Object.hasOwn(KNOWN_LINT_WARNINGS, warning.code)
      ? KNOWN_LINT_WARNINGS[warning.code]
      : undefined;
    const source = warning.file === undefined ? undefined : readSource(warning.file);
    const count = (allowed.get(warning.code) ?? 0) + 1;
    if (known && count <= known.max && known.isKnown(warning, source)) {
      allowed.set(warning.code, count);
    } else {
      unexpected.push(warning);
    }
  }
  return unexpected;
}

/**
 * The Firefox executable: `FIREFOX_PATH` when set (it must exist), else the first of
 * {@link FIREFOX_CANDIDATES} that exists. A full path: puppeteer fails on a bare name. A browser
 * test that cannot find its browser must fail, so this throws, saying how to install one.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string}
 */
export function findFirefox(env = process.env) {
  if (env.FIREFOX_PATH) {
    if (existsSync(env.FIREFOX_PATH)) return env.FIREFOX_PATH;
    throw new Error(
      `FIREFOX_PATH is set to ${env.FIREFOX_PATH}, but there is no such file. Point it to a ` +
        'Firefox executable, or unset it and install Firefox ESR: `apt-get install -y firefox-esr`.',
    );
  }
  const found = FIREFOX_CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return found;
  throw new Error(
    `Firefox not found. Tried ${FIREFOX_CANDIDATES.join(', ')} (and FIREFOX_PATH is not set). ` +
      'Install it with `apt-get install -y firefox-esr`, or set FIREFOX_PATH to a Firefox executable.',
  );
}

/**
 * @typedef {object} FirefoxExtension
 * @property {import('puppeteer-core').Browser} browser
 * @property {string} baseUrl `moz-extension://<uuid>/`, fixed for the run.
 * @property {(page: string, timeout?: number) => Promise<import('puppeteer-core').Page>} findPage
 *   The tab showing the extension page `page` (e.g. `'popup.html'`), once one is open (10 s
 *   unless `timeout` says otherwise).
 * @property {() => Promise<void>} close Closes Firefox (and deletes puppeteer's temporary profile).
 */

/**
 * Starts Firefox headless with the built extension installed as a temporary add-on.
 * @param {{ extensionDir?: string, executablePath?: string }} [options]
 * @returns {Promise<FirefoxExtension>}
 */
export async function launchFirefoxWithExtension({
  extensionDir = FIREFOX_E2E_EXTENSION_DIR,
  executablePath = findFirefox(),
} = {}) {
  const extensionPath = path.resolve(extensionDir);
  if (!existsSync(path.join(extensionPath, 'manifest.json'))) {
    throw new Error(
      `No built extension in ${extensionPath}. Build it first: npm run build:e2e:firefox.`,
    );
  }
  const uuid = crypto.randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    // Pins the extension's internal UUID, so that its pages' addresses are known in advance.
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }) },
  });
  try {
    const installed = await browser.installExtension(extensionPath);
    if (installed !== GECKO_ID) {
      throw new Error(`Firefox installed the add-on as ${installed}, expected ${GECKO_ID}.`);
    }
    const baseUrl = `moz-extension://${uuid}/`;
    return {
      browser,
      baseUrl,
      findPage: (page, timeout = 10_000) => findPage(browser, new URL(page, baseUrl), timeout),
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/**
 * Polls the open tabs for one whose document is at `url` (ignoring query and hash). Asks each
 * page for `location.href`: puppeteer keeps reporting a tab the extension opened as about:blank.
 * @param {import('puppeteer-core').Browser} browser
 * @param {URL} url
 * @param {number} timeout
 */
async function findPage(browser, url, timeout) {
  // `${protocol}//${host}`, not `origin`: Node gives `moz-extension:` URLs the origin 'null'.
  /** @param {URL} at */
  const withoutQuery = (at) => `${at.protocol}//${at.host}${at.pathname}`;
  const wanted = withoutQuery(url);
  const deadline = Date.now() + timeout;
  const seen = new Set();
  do {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      seen.add(href);
      if (URL.canParse(href) && withoutQuery(new URL(href)) === wanted) return page;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  throw new Error(
    `No tab showed ${wanted} within ${timeout} ms; open tabs: ${[...seen].join(', ') || 'none'}.`,
  );
}

/**
 * @typedef {{ code: string, message: string, file?: string, line?: number, column?: number }} LintMessage
 */

/**
 * Runs `web-ext lint` (AMO rules, not `--self-hosted`) on a Firefox build, printing its report.
 * Resolves with the problems that fail the check ({@link unexpectedLintProblems}).
 * @param {string} sourceDir
 * @returns {Promise<{ errors: LintMessage[], warnings: LintMessage[], unexpected: LintMessage[] }>}
 */
export async function lintFirefoxBuild(sourceDir) {
  if (!existsSync(path.join(sourceDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${sourceDir}. Build it first: npm run build:firefox.`);
  }
  const { cmd } = await import('web-ext');
  /** @type {{ errors: LintMessage[], warnings: LintMessage[] }} */
  const report = await cmd.lint(
    { sourceDir, output: 'text', boring: true, selfHosted: false, warningsAsErrors: false },
    { shouldExitProgram: false },
  );
  const root = path.resolve(sourceDir);
  const unexpected = unexpectedLintProblems(report, (file) => {
    const full = path.resolve(root, file);
    // Only files of the build; a path out of it reads as no source (so nothing is allowed).
    if (!full.startsWith(root + path.sep) || !existsSync(full)) return undefined;
    return readFileSync(full, 'utf8');
  });
  return { errors: report.errors, warnings: report.warnings, unexpected };
}

/** `node scripts/firefox.mjs lint [dir]`. */
async function main() {
  const [command, dir = '.output/firefox-mv3'] = process.argv.slice(2);
  if (command !== 'lint') {
    console.error('Usage: node scripts/firefox.mjs lint [build directory]');
    process.exit(2);
  }
  const { errors, warnings, unexpected } = await lintFirefoxBuild(dir);
  for (const warning of warnings.filter((w) => !unexpected.includes(w))) {
    const why = KNOWN_LINT_WARNINGS[warning.code]?.why;
    console.log(`Known warning, allowed: ${warning.code} in ${warning.file ?? '?'} (${why}).`);
  }
  if (unexpected.length) {
    for (const problem of unexpected) {
      console.error(
        `Not allowed: ${problem.code} in ${problem.file ?? 'the add-on'}: ${problem.message}`,
      );
    }
    console.error(
      `web-ext lint: ${errors.length} error(s), ${unexpected.length - errors.length} new warning(s).`,
    );
    process.exitCode = 1;
  } else {
    console.log(`web-ext lint: no errors, ${warnings.length} known warning(s).`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
