#!/usr/bin/env node
/**
 * `npm run bench`: builds the production extension and reports its bundle sizes against their
 * budgets, then runs the timing benchmarks (tests/bench/*.bench.ts) that print medians and
 * ratios against the naive variants, in the same run. Never part of `npm test`: timings vary
 * with the machine, so nothing here passes or fails a build.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Budgets for what the browser loads, gzip-compressed (what a store download and parse cost). */
const BUDGETS_KB = { 'background.js': 90, popup: 60, options: 60 };

execFileSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
const outDir = '.output/chrome-mv3';
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(js|css|html)$/.test(name)) files.push(path);
  }
};
walk(outDir);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sizes = files.map((path) => {
  const bytes = readFileSync(path);
  return {
    path: path.slice(outDir.length + 1),
    raw: bytes.length,
    gz: gzipSync(bytes, { level: 9 }).length,
  };
});
const html = (page) => readFileSync(join(outDir, `${page}.html`), 'utf8');
/** What a page loads: its own chunk plus every chunk and stylesheet its HTML references. */
const pageSize = (page) =>
  sizes
    .filter((file) => html(page).includes(file.path.replace(/^.*\//, '')))
    .reduce((sum, file) => sum + file.gz, 0);

process.stdout.write('\n## Production bundle (.output/chrome-mv3, gzip -9)\n');
for (const file of sizes.sort((a, b) => b.gz - a.gz)) {
  process.stdout.write(
    `${file.path.padEnd(36)} ${kb(file.raw).padStart(10)} raw  ${kb(file.gz).padStart(9)} gz\n`,
  );
}
const worker = sizes.find((file) => file.path === 'background.js')?.gz ?? 0;
for (const [name, gz] of [
  ['background.js', worker],
  ['popup', pageSize('popup')],
  ['options', pageSize('options')],
]) {
  const budget = BUDGETS_KB[name];
  process.stdout.write(
    `${`${name} total`.padEnd(36)} ${kb(gz).padStart(25)} gz  limit ${budget} KB ${gz / 1024 <= budget ? 'OK' : 'OVER'}\n`,
  );
}

const run = spawnSync(
  'npx',
  ['vitest', 'run', '--config', 'vitest.bench.config.ts', '--reporter=dot'],
  {
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 1);
