/**
 * The automated accessibility check of the end-to-end suite: axe-core (the devDependency)
 * run inside an extension page, in the colour scheme the test emulates. The pages' CSP
 * (`script-src 'self'`) refuses a `<script>` with axe's source, so the source is evaluated
 * through the DevTools protocol (Playwright's `evaluate`), which the page's CSP does not govern.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser build: defines `window.axe`. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail a page: a person cannot use the part, or only with great effort. */
const BLOCKING = ['serious', 'critical'];

/** What axe says about one rule, as much as a reader of the test output needs. */
interface Finding {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core on the whole document of `page` as it is now, and returns its serious and
 * critical violations, each as readable text ("[serious] color-contrast: … at .meta: …"),
 * prefixed with `label` (the page and state checked). An empty array: nothing blocking.
 */
export async function blockingViolations(page: Page, label: string): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const findings = await page.evaluate(async (impacts): Promise<Finding[]> => {
    const { axe } = window as unknown as {
      axe: {
        run(
          context: Document,
          options: object,
        ): Promise<{
          violations: {
            id: string;
            impact?: string | null;
            help: string;
            helpUrl: string;
            nodes: { target: unknown[]; failureSummary?: string }[];
          }[];
        }>;
      };
    };
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((violation) => impacts.includes(violation.impact ?? ''))
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? '',
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
          target: node.target.map(String).join(' '),
          summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
        })),
      }));
  }, BLOCKING);
  return findings.map(
    (finding) =>
      `${label}: [${finding.impact}] ${finding.id}: ${finding.help} (${finding.helpUrl})\n` +
      finding.nodes.map((node) => `    at ${node.target}: ${node.summary}`).join('\n'),
  );
}

/**
 * Checks `page` in the light and the dark colour scheme (the pages follow the system's), and
 * returns the blocking violations of both. Leaves the page in the light scheme.
 */
export async function blockingViolationsInBothSchemes(page: Page, label: string) {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // The new scheme's styles apply on the next frame; wait for one to be rendered.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    found.push(...(await blockingViolations(page, `${label}, ${colorScheme}`)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
