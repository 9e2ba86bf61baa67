/**
 * `npm run bench`, section "Popup in Chromium" (it runs every `*.browser.ts`): the listing
 * page of `listing.bench.ts` in Chromium, to weigh issue 6's other option, an offscreen
 * document with a real DOM. Dispatch itself has no `offscreen` permission, so this builds a
 * measurement-only extension in a temporary directory (a manifest with `offscreen`, a page and a
 * worker running `listing-dom.ts`) and loads it alone; the product's build is not touched.
 *
 * 1. In an extension page: `DOMParser` + `querySelectorAll` with the learned extractor, against
 *    our `extractPosts` in the same page (same posts, checked first), interleaved.
 * 2. In the service worker: `chrome.offscreen.createDocument`, one extraction round trip (the
 *    page's HTML sent to the offscreen document, its posts sent back), more round trips with
 *    the document open, `closeDocument`; against our `extractPosts` run in the worker itself.
 *
 * On its own: `DISPATCH_POPUP_BENCH=1 npx vitest run --config vitest.e2e.config.ts tests/bench/listing.browser.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { launchWithExtension } from '../../scripts/chromium.mjs';
// The e2e config has no `@/` alias: our code reaches the browser only through the bundle, and
// types are erased.
import type { ListingExtractor } from '@/utils/listing/extract';
import { bundleForBrowser } from './bundle';
import { median, report, type Measurement } from './harness';
import { CARDS, generatePage, PAGE } from './listing-page';

const TARGET_MS = 50;
const RUNS = 15;
const WARMUP = 5;
/** Offscreen documents created and closed, each with `ROUND_TRIPS` extractions while open. */
const CYCLES = 9;
const ROUND_TRIPS = 5;

/** The page-side API of `listing-dom.ts`, as bundled into `bench.js`. */
interface PageBench {
  learn(html: string, pageUrl: string): ListingExtractor;
  ours(html: string, pageUrl: string, extractor: ListingExtractor): unknown[];
  dom(html: string, pageUrl: string, extractor: ListingExtractor): unknown[];
  buildTree(html: string): void;
  parse(html: string): void;
  parseNormalized(html: string): void;
}
type BenchGlobal = typeof globalThis & { listingBench: { bench: PageBench } };

const measurement = (name: string, times: number[]): Measurement => ({
  name,
  medianMs: median(times),
  runs: times.length,
});

async function writeExtension(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dispatch-listing-bench-'));
  const script = await bundleForBrowser(`export { bench } from '@/tests/bench/listing-dom';`, {
    format: 'iife',
    name: 'listingBench',
  });
  writeFileSync(path.join(dir, 'bench.js'), script.code);
  writeFileSync(path.join(dir, 'worker.js'), script.code);
  writeFileSync(
    path.join(dir, 'bench.html'),
    '<!doctype html><meta charset="utf-8"><title>Listing bench</title><script src="bench.js"></script>',
  );
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Dispatch listing bench (measurement only)',
      version: '0.0.1',
      background: { service_worker: 'worker.js' },
      permissions: ['offscreen'],
    }),
  );
  return dir;
}

it('times DOMParser in an extension page and an offscreen document, against ours', async () => {
  const html = generatePage(CARDS);
  const dir = await writeExtension();
  const browser = await launchWithExtension({ extensionDir: dir });
  try {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/bench.html`);
    const { extractor, same } = await page.evaluate(
      ({ html, pageUrl, cards }) => {
        const { bench } = (globalThis as BenchGlobal).listingBench;
        const extractor = bench.learn(html, pageUrl);
        const ours = JSON.stringify(bench.ours(html, pageUrl, extractor));
        const dom = JSON.stringify(bench.dom(html, pageUrl, extractor));
        const count = bench.ours(html, pageUrl, extractor).length;
        return { extractor, same: ours === dom && count === cards };
      },
      { html, pageUrl: PAGE, cards: CARDS },
    );
    if (!same) throw new Error(`the DOM and ours read other posts, or not ${CARDS}`);

    // Interleaved in the page (a, b, c, d, b, c, d, a…), timed with the page's own clock.
    const pageTimes = await page.evaluate(
      ({ html, pageUrl, extractor, runs, warmup }) => {
        const { bench } = (globalThis as BenchGlobal).listingBench;
        const variants = [
          () => bench.ours(html, pageUrl, extractor),
          () => bench.dom(html, pageUrl, extractor),
          () => bench.buildTree(html),
          () => bench.parse(html),
          () => bench.parseNormalized(html),
        ];
        for (let i = 0; i < warmup; i += 1) for (const variant of variants) variant();
        const times: number[][] = variants.map(() => []);
        for (let i = 0; i < runs; i += 1) {
          for (let j = 0; j < variants.length; j += 1) {
            const index = (i + j) % variants.length;
            const start = performance.now();
            variants[index]!();
            times[index]!.push(performance.now() - start);
          }
        }
        return times;
      },
      { html, pageUrl: PAGE, extractor, runs: RUNS, warmup: WARMUP },
    );
    const [ours, dom, tree, parse, parseNormalized] = [
      'extractPosts (ours)',
      'DOMParser + querySelectorAll',
      'buildTree (ours)',
      'DOMParser.parseFromString',
      'parseFromString + classes normalized',
    ].map((name, index) => measurement(name, pageTimes[index]!));
    report(
      `Listing pages in Chromium: an extension page, the learned extractor on ${CARDS} cards (same posts; interleaved)`,
      [
        { subject: ours!, baseline: dom, limitMs: TARGET_MS },
        { subject: dom!, limitMs: TARGET_MS },
        { subject: tree!, baseline: parse },
        { subject: tree!, baseline: parseNormalized },
      ],
    );
    await page.close();

    const worker = await browser.currentWorker();
    const cycles = await worker.evaluate(
      async ({ html, pageUrl, extractor, cycles, roundTrips, cards }) => {
        interface Offscreen {
          createDocument(options: {
            url: string;
            reasons: string[];
            justification: string;
          }): Promise<void>;
          closeDocument(): Promise<void>;
        }
        const api = (
          globalThis as unknown as {
            chrome: {
              offscreen: Offscreen;
              runtime: { sendMessage(message: unknown): Promise<unknown[]> };
            };
          }
        ).chrome;
        const { bench } = (globalThis as BenchGlobal).listingBench;
        const message = { type: 'listing-bench', html, pageUrl, extractor };
        const result = { create: [], first: [], again: [], close: [], worker: [] } as Record<
          'create' | 'first' | 'again' | 'close' | 'worker',
          number[]
        >;
        const check = (posts: unknown[]) => {
          if (posts.length !== cards) throw new Error(`read ${posts.length} posts, not ${cards}`);
        };
        for (let cycle = 0; cycle < cycles; cycle += 1) {
          let start = performance.now();
          await api.offscreen.createDocument({
            url: 'bench.html?offscreen',
            reasons: ['DOM_PARSER'],
            justification: 'Measuring the cost of parsing HTML in an offscreen document.',
          });
          result.create.push(performance.now() - start);
          for (let trip = 0; trip < roundTrips; trip += 1) {
            start = performance.now();
            check(await api.runtime.sendMessage(message));
            result[trip === 0 ? 'first' : 'again'].push(performance.now() - start);
            start = performance.now();
            check(bench.ours(html, pageUrl, extractor));
            result.worker.push(performance.now() - start);
          }
          start = performance.now();
          await api.offscreen.closeDocument();
          result.close.push(performance.now() - start);
        }
        return result;
      },
      { html, pageUrl: PAGE, extractor, cycles: CYCLES, roundTrips: ROUND_TRIPS, cards: CARDS },
    );
    const inWorker = measurement('extractPosts (ours) in the worker', cycles.worker);
    const first = measurement('offscreen: first extraction after creating it', cycles.first);
    const again = measurement('offscreen: extraction, document already open', cycles.again);
    // On demand: a document created for a poll's extraction and closed after it.
    const onDemand = measurement(
      'offscreen on demand: create + extract + close',
      cycles.create.map((create, i) => create + cycles.first[i]! + cycles.close[i]!),
    );
    report(
      `Listing pages in Chromium: the service worker with an offscreen document (${CYCLES} documents created and closed, ${ROUND_TRIPS} extractions each; a round trip sends the page's HTML and gets the posts back)`,
      [
        { subject: inWorker, baseline: first, limitMs: TARGET_MS },
        { subject: inWorker, baseline: again },
        { subject: inWorker, baseline: onDemand },
        { subject: onDemand, limitMs: TARGET_MS },
        { subject: measurement('offscreen: createDocument', cycles.create) },
        { subject: first },
        { subject: again },
        { subject: measurement('offscreen: closeDocument', cycles.close) },
      ],
    );
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
