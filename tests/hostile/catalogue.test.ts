/**
 * `../shared/HOSTILE-INPUTS.md` lists the cases a feed reader meets in the wild. Each one has
 * its tests in this folder, in a `describe` named `case NN: …`. This test keeps the promise:
 * a case added to the catalogue, or a test renamed away, fails here by number and title.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const catalogue = resolve(
  process.env.DISPATCH_HOSTILE_INPUTS ?? join(root, '..', 'shared', 'HOSTILE-INPUTS.md'),
);

/** Numbered cases of the catalogue: `12. **Wrong Content-Type** …` → [12, 'Wrong Content-Type']. */
function catalogueCases(markdown: string): Map<number, string> {
  const cases = new Map<number, string>();
  for (const match of markdown.matchAll(/^(\d+)\.\s+\*\*(.+?)\*\*/gm)) {
    cases.set(Number(match[1]), match[2]!);
  }
  return cases;
}

/** Case numbers named by `describe('case NN: …')` in the tests of this folder. */
function testedCases(): Set<number> {
  const tested = new Set<number>();
  for (const name of readdirSync(__dirname)) {
    if (!/\.test\.tsx?$/.test(name) || name.startsWith('catalogue.')) continue;
    const source = readFileSync(join(__dirname, name), 'utf8');
    for (const match of source.matchAll(/describe\(\s*['"`]case (\d{2}):/g)) {
      tested.add(Number(match[1]));
    }
  }
  return tested;
}

it('every case of HOSTILE-INPUTS.md has tests named after it', () => {
  if (!existsSync(catalogue)) {
    throw new Error(
      `The hostile-input catalogue is missing: looked for ${catalogue}. It ships in ` +
        '../shared/ next to the project (set DISPATCH_HOSTILE_INPUTS to read it elsewhere).',
    );
  }
  const cases = catalogueCases(readFileSync(catalogue, 'utf8'));
  expect(cases.size).toBeGreaterThanOrEqual(48);
  const tested = testedCases();
  const missing = [...cases].filter(([number]) => !tested.has(number));
  expect(
    missing.map(([number, title]) => `case ${String(number).padStart(2, '0')}: ${title}`),
  ).toEqual([]);
});
