#!/usr/bin/env node
/**
 * `npm run bench`: three sections, in this order, each printing its figures next to its budget
 * or target and to the naive variant it replaces.
 *
 *   1. **Bundle sizes** (gzip -9) of the production build: every file, then per page the
 *      JavaScript loaded when it opens — the files its HTML names (`<script src>`,
 *      `<link rel="modulepreload">`) and, transitively, every chunk those import statically —
 *      against its budget, and the chunks only a dynamic `import()` reaches ("loaded on
 *      demand") apart. A budget exceeded makes the whole run exit non-zero, after every
 *      section has printed.
 *   2. **Popup in Chromium** (tests/bench/*.browser.ts): the e2e build in headless
 *      Chromium over a database of 50,000 posts; first rows and search, real against naive.
 *      Then listing pages in Chromium (listing.browser.ts, a measurement-only extension of its
 *      own): `DOMParser` in an extension page and an offscreen document, against ours.
 *   3. **Feeds and data** (tests/bench/*.bench.ts, Node): parsing, popup data, badge, poll,
 *      listing pages (ours against htmlparser2 + css-select, and what each adds to the worker).
 *
 * Timings print OK/MISS against their targets but never fail: they vary with the machine.
 *
 * Options (for working on one section without touching the others' builds):
 *   --only=size,popup,feeds   run only these sections (default: all three)
 *   --mode=<name>             build the production bundle with this Vite mode (still
 *                             NODE_ENV=production) into .output/chrome-mv3-<name> instead of
 *                             .output/chrome-mv3 (the feed section reads the latter)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budgets for what the browser loads, gzip -9 (what a store download and a parse cost). */
const BUDGETS_KB = Object.freeze({
  /** The service worker: one file, loaded on every wake-up. */
  'background.js': 60,
  /** The JavaScript each page loads when it opens (lazy chunks apart). */
  popup: 45,
  options: 60,
  reading: 60,
});

const SECTIONS = ['size', 'popup', 'feeds'];
const option = (name) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = option('only')?.split(',') ?? SECTIONS;
const unknown = only.filter((section) => !SECTIONS.includes(section));
if (unknown.length > 0) {
  console.error(`Unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}.`);
  process.exit(2);
}
const mode = option('mode');

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Files whose ESM source names another chunk: `import … from"./x.js"`, `export … from`, `import"./x.js"`. */
const STATIC_IMPORT = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]+?\s*from\s*)?(["'`])([^"'`]+\.js)\1/g;
/** `import("./x.js")`: loaded when the code runs that line, not when the page opens. */
const DYNAMIC_IMPORT = /\bimport\(\s*(["'`])([^"'`]+\.js)\1\s*\)/g;
/** Vite's preload list for dynamic imports: `m.f=["chunks/x.js","assets/y.css"]`, root-relative. */
const PRELOAD_LIST = /__vite__mapDeps=.*?\.f=\[([^\]]*)\]/g;

/**
 * The JavaScript a page loads at open and the chunks it can load later.
 * @param {string} outDir
 * @param {string} page e.g. `popup` for `popup.html`
 * @returns {{ eager: string[], lazy: string[], css: string[] }} root-relative paths
 */
function pageScripts(outDir, page) {
  const html = readFileSync(join(outDir, `${page}.html`), 'utf8');
  const attribute = (tag, name) =>
    new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
  const rooted = (url) => posix.normalize(url.replace(/^\//, ''));
  const entries = [];
  const css = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.toLowerCase();
    if (tag.toLowerCase().startsWith('<script')) {
      const src = attribute(tag, 'src');
      if (src) entries.push(rooted(src));
    } else if (rel === 'modulepreload') {
      entries.push(rooted(attribute(tag, 'href')));
    } else if (rel === 'stylesheet') {
      css.push(rooted(attribute(tag, 'href')));
    }
  }

  const eager = new Set();
  const dynamicRoots = new Set();
  const follow = (file, into, onDynamic) => {
    if (into.has(file) || !existsSync(join(outDir, file))) return;
    into.add(file);
    const code = readFileSync(join(outDir, file), 'utf8');
    const dir = posix.dirname(file);
    for (const match of code.matchAll(STATIC_IMPORT)) {
      follow(posix.normalize(posix.join(dir, match[2])), into, onDynamic);
    }
    for (const match of code.matchAll(DYNAMIC_IMPORT)) {
      onDynamic(posix.normalize(posix.join(dir, match[2])));
    }
    for (const match of code.matchAll(PRELOAD_LIST)) {
      for (const [, path] of match[1].matchAll(/(["'`])([^"'`]+\.js)\1/g)) onDynamic(path);
    }
  };
  for (const entry of entries) follow(entry, eager, (file) => dynamicRoots.add(file));
  // Chunks reached from a dynamic import (and what they import, statically or not), each
  // once: lazy chunks often import each other.
  const reached = new Set(eager);
  const pending = [...dynamicRoots];
  while (pending.length > 0) {
    const file = /** @type {string} */ (pending.pop());
    if (reached.has(file)) continue;
    follow(file, reached, (next) => pending.push(next));
  }
  const lazy = [...reached].filter((file) => !eager.has(file));
  return { eager: [...eager], lazy, css };
}

/**
 * Prints every file's size, then each page's JavaScript at open against its budget.
 * @param {string} outDir
 * @returns {string[]} what is over budget, in words (empty when everything fits)
 */
function sizeSection(outDir) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|css|html)$/.test(name)) files.push(path.slice(outDir.length + 1));
    }
  };
  walk(outDir);
  /** @type {Map<string, { raw: number, gz: number }>} */
  const sizes = new Map();
  for (const file of files) {
    const bytes = readFileSync(join(outDir, file));
    sizes.set(file, { raw: bytes.length, gz: gzipSize(bytes) });
  }
  const gz = (file) => sizes.get(file)?.gz ?? 0;
  const line = (label, file, note = '') => {
    const size = sizes.get(file);
    return `  ${label.padEnd(40)} ${kb(size?.raw ?? 0).padStart(9)} raw ${kb(size?.gz ?? 0).padStart(9)} gz${note}`;
  };
  const verdict = (bytes, budget) =>
    `limit ${budget} KB  ${bytes / 1024 <= budget ? 'OK' : 'OVER'}`;

  const out = [`\n## Production bundle (${outDir}, gzip -9)`];
  for (const file of [...sizes.keys()].sort((a, b) => gz(b) - gz(a))) out.push(line(file, file));

  const over = [];
  const worker = gz('background.js');
  out.push('', `background.js ${kb(worker)} gz  ${verdict(worker, BUDGETS_KB['background.js'])}`);
  if (worker / 1024 > BUDGETS_KB['background.js']) {
    over.push(`background.js ${kb(worker)} > ${BUDGETS_KB['background.js']} KB`);
  }
  for (const page of ['popup', 'options', 'reading']) {
    const budget = BUDGETS_KB[page];
    if (!existsSync(join(outDir, `${page}.html`))) {
      out.push('', `${page}.html: not in this build`);
      continue;
    }
    const { eager, lazy, css } = pageScripts(outDir, page);
    const total = eager.reduce((sum, file) => sum + gz(file), 0);
    out.push('', `${page}.html: JavaScript loaded at open`);
    for (const file of eager) out.push(line(file, file));
    out.push(`  ${'total'.padEnd(40)} ${kb(total).padStart(23)} gz  ${verdict(total, budget)}`);
    if (total / 1024 > budget)
      over.push(`${page}.html JavaScript at open ${kb(total)} > ${budget} KB`);
    for (const file of css) out.push(line(file, file, '  (stylesheet, not in the JS budget)'));
    if (lazy.length > 0) {
      out.push(`  loaded on demand (dynamic import()):`);
      for (const file of lazy) out.push(line(`  ${file}`, file));
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return over;
}

/**
 * Runs a command with inherited output; returns its exit code (1 when it could not run).
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

const problems = [];

if (only.includes('size')) {
  const outDir = mode ? `.output/chrome-mv3-${mode}` : '.output/chrome-mv3';
  // NODE_ENV=production whatever the mode: a non-production Vite mode would otherwise build
  // with development JSX (file names and line numbers in every element).
  execFileSync('npx', ['wxt', 'build', ...(mode ? ['--mode', mode] : [])], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const over = sizeSection(outDir);
  problems.push(...over);
  process.stdout.write(
    over.length > 0 ? `\nOver budget: ${over.join('; ')}\n` : '\nEvery bundle is within budget.\n',
  );
}

if (only.includes('popup')) {
  // The e2e build (the naive popup at popup.html?naive, loopback access) with production JSX,
  // so the popup timed is the one users run.
  const built = run('npx', ['wxt', 'build', '--mode', 'e2e'], { NODE_ENV: 'production' });
  const code =
    built === 0
      ? run('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts', '--reporter=dot'], {
          DISPATCH_POPUP_BENCH: '1',
        })
      : built;
  if (code !== 0) problems.push(`the popup bench failed (exit ${code})`);
}

if (only.includes('feeds')) {
  const code = run('npx', [
    'vitest',
    'run',
    '--config',
    'vitest.bench.config.ts',
    '--reporter=dot',
  ]);
  if (code !== 0) problems.push(`the feed and data benches failed (exit ${code})`);
}

if (problems.length > 0) {
  process.stdout.write(`\nnpm run bench: ${problems.join('; ')}.\n`);
  process.exit(1);
}
