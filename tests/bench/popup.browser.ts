/**
 * `npm run bench`, section "Popup in Chromium": the built e2e extension in headless Chromium
 * over a database of 50,000 posts (10,000 unread) from 20 blogs in 30 categories, seeded
 * through the real repositories in the service worker (`globalThis.__dispatch`, e2e build
 * only). Then, interleaved, it opens `popup.html` and the naive variant `popup.html?naive`
 * (tests/bench/naive-popup.tsx) in a popup-sized tab and reads when each painted its first
 * rows (the `dispatch:first-rows` mark, ms from navigation start, utils/perf.ts); and it types
 * queries into the All tab's search box and reads the time from the input event to the
 * `dispatch:search:<query>` mark. Medians, printed against the targets of issue 4 with
 * OK/MISS; timings never fail. A page that never marks is reported as "no mark".
 *
 * Run by `scripts/bench.mjs` (`DISPATCH_POPUP_BENCH=1 vitest --config vitest.e2e.config.ts`)
 * after it builds the e2e extension. `DISPATCH_EXTENSION_DIR` points it at another build.
 * `DISPATCH_BENCH_PROFILE=<dir>` keeps Chromium's profile in `<dir>` and seeds it only when its
 * database does not hold the bench's posts yet, so repeated runs over one build path skip the
 * ~50 s of seeding (the extension's id, hence its database, follows the build's path).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { it } from 'vitest';
import {
  chromiumArgs,
  E2E_EXTENSION_DIR,
  findChromium,
  launchWithExtension,
} from '../../scripts/chromium.mjs';
import type { NewPost } from '@/utils/db/types';

const POSTS = 50_000;
const UNREAD = 10_000;
const FEEDS = 20;
const CATEGORIES = 30;
/** Posts per `savePollResult` call: a long feed's worth, as a first poll of a big archive. */
const BATCH = 500;
/** Opens of each variant measured, after one unmeasured warm-up open each. */
const RUNS = 9;
/** Each query is typed this many times (the queries take turns, so each input differs). */
const SEARCH_RUNS = 5;
/** Pause after closing a page, before opening the next (see `open`). */
const SETTLE_MS = 500;
/** How long a page may take to mark before it counts as "no mark". */
const MARK_TIMEOUT_MS = 30_000;

const TARGET_FIRST_ROWS_MS = 150;
const TARGET_RATIO = 5;
const TARGET_SEARCH_MS = 50;

/** The popup as it opens from the toolbar (docs/ui-contract.md): about this size. */
const POPUP_VIEWPORT = { width: 400, height: 600 };
/** The All tab and its search box (docs/ui-contract.md, Popup). */
const ALL_TAB = 'All';
const SEARCH_LABEL = /^Search/;

/** What is searched: a common word, a prefix, two words, a word in five posts. */
const RARE_WORD = 'zeugma';
const QUERIES = [
  { query: 'memory', kind: 'one word' },
  { query: 'transf', kind: 'prefix' },
  { query: 'latency budget', kind: 'two words' },
  { query: RARE_WORD, kind: 'rare word' },
] as const;

const NOW = Date.UTC(2026, 10, 1, 12);
/** Far ahead: the seeded blogs are never due, so the e2e build's fast alarm never polls them. */
const NEVER = NOW + 10 * 365 * 24 * 3_600_000;

it('times the popup at 50,000 posts, against the naive popup', async () => {
  const extensionDir = process.env.DISPATCH_EXTENSION_DIR ?? E2E_EXTENSION_DIR;
  const profile = process.env.DISPATCH_BENCH_PROFILE;
  const browser = profile
    ? await launchOnProfile(extensionDir, profile)
    : await launchWithExtension({ extensionDir });
  try {
    const worker = await browser.currentWorker();
    const stored = profile ? await storedPosts(worker) : 0;
    if (stored === POSTS) {
      process.stdout.write(
        `\nReused the ${POSTS.toLocaleString('en')} posts seeded in ${profile} (DISPATCH_BENCH_PROFILE).\n`,
      );
    } else if (stored > 0) {
      throw new Error(
        `${profile} holds ${stored} posts, not the bench's ${POSTS} (a seeding cut short?): ` +
          'delete it to seed it again.',
      );
    } else {
      const seconds = await seed(worker);
      process.stdout.write(
        `\nSeeded ${POSTS.toLocaleString('en')} posts (${UNREAD.toLocaleString('en')} unread) ` +
          `over ${FEEDS} blogs and ${CATEGORIES} categories through the repositories in ${seconds.toFixed(1)} s.\n`,
      );
    }

    const open = async (url: string): Promise<PageTimes> => {
      const page = await browser.context.newPage();
      try {
        await page.setViewportSize(POPUP_VIEWPORT);
        await page.goto(url);
        return await pageTimes(page);
      } finally {
        await page.close();
        // Extension pages share one renderer process: let it tear the last page down (10,000
        // rows after the naive one) before the next open, so one page's cleanup is not timed
        // as the next one's start.
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      }
    };
    const variants: Variant[] = [
      { url: browser.popupUrl, warmup: undefined, times: [] },
      { url: `${browser.popupUrl}?naive`, warmup: undefined, times: [] },
    ];
    for (const variant of variants) {
      // Warm-up (the database opens for the first time, code is compiled), not counted; a
      // variant that does not mark then is not asked again (each try waits the full timeout).
      variant.warmup = await open(variant.url);
    }
    for (let run = 0; run < RUNS; run += 1) {
      for (const variant of run % 2 ? [...variants].reverse() : variants) {
        if (variant.warmup?.firstRows !== undefined) variant.times.push(await open(variant.url));
      }
    }

    const search = await timeSearches(await browser.context.newPage(), browser.popupUrl);
    printReport(variants[0]!, variants[1]!, search);
  } finally {
    await browser.close();
  }
}, 900_000);

/** What the bench uses of `launchWithExtension`'s answer. */
interface BenchBrowser {
  context: BrowserContext;
  popupUrl: string;
  currentWorker(): Promise<Worker>;
  close(): Promise<void>;
}

/**
 * Chromium with the extension on the kept profile `userDataDir` (created when missing), with
 * the flags of `launchWithExtension` (`chromiumArgs` in scripts/chromium.mjs), which always
 * starts a fresh one.
 */
async function launchOnProfile(extensionDir: string, userDataDir: string): Promise<BenchBrowser> {
  const extensionPath = path.resolve(extensionDir);
  if (!existsSync(path.join(extensionPath, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionPath}.`);
  }
  mkdirSync(userDataDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: chromiumArgs(extensionPath),
  });
  context.setDefaultTimeout(15_000);
  const isOurs = (worker: Worker) => worker.url().startsWith('chrome-extension://');
  const currentWorker = async () =>
    context.serviceWorkers().find(isOurs) ??
    (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15_000 }));
  const extensionId = new URL((await currentWorker()).url()).host;
  return {
    context,
    popupUrl: `chrome-extension://${extensionId}/popup.html`,
    currentWorker,
    close: () => context.close(),
  };
}

/** Posts in the extension's database (0 when its hooks are missing). */
function storedPosts(worker: Worker): Promise<number> {
  return worker.evaluate(async () => {
    const hooks = (globalThis as { __dispatch?: { db?: { posts?: { count(): Promise<number> } } } })
      .__dispatch;
    return (await hooks?.db?.posts?.count()) ?? 0;
  });
}

/** One page measured: its warm-up open, then its measured opens. */
interface Variant {
  url: string;
  warmup: PageTimes | undefined;
  times: PageTimes[];
}

/** Milliseconds from navigation start; `firstRows` undefined when the page never marked. */
interface PageTimes {
  domInteractive: number;
  domContentLoaded: number;
  firstRows?: number;
  /** Post rows (`<article>`) in the document when the mark came: what was rendered. */
  rows: number;
}

/** Waits (up to {@link MARK_TIMEOUT_MS}) for the page's first-rows mark and reads its timings. */
function pageTimes(page: Page): Promise<PageTimes> {
  return page.evaluate(
    ({ name, timeout }) =>
      new Promise<PageTimes>((resolve) => {
        const done = () => {
          const [navigation] = performance.getEntriesByType(
            'navigation',
          ) as PerformanceNavigationTiming[];
          resolve({
            domInteractive: navigation?.domInteractive ?? NaN,
            domContentLoaded: navigation?.domContentLoadedEventEnd ?? NaN,
            firstRows: performance.getEntriesByName(name)[0]?.startTime,
            rows: document.querySelectorAll('article').length,
          });
        };
        if (performance.getEntriesByName(name).length > 0) return done();
        const observer = new PerformanceObserver(() => {
          if (performance.getEntriesByName(name).length === 0) return;
          observer.disconnect();
          done();
        });
        observer.observe({ type: 'mark' });
        setTimeout(() => {
          observer.disconnect();
          done();
        }, timeout);
      }),
    { name: 'dispatch:first-rows', timeout: MARK_TIMEOUT_MS },
  );
}

interface SearchTimes {
  /** Why nothing was measured ("no search box…"), else undefined. */
  problem?: string;
  /** The popup header's "N unread", as a check of the seeded database. */
  unreadSaid?: string;
  /** Per query: input event → its `dispatch:search:` mark, ms; `undefined` entries = no mark. */
  byQuery: { query: string; kind: string; times: (number | undefined)[] }[];
}

/**
 * Opens the popup's All tab and types each query into its search box (the whole query in one
 * input event, as a paste or the last key of a word), the queries taking turns.
 */
async function timeSearches(page: Page, popupUrl: string): Promise<SearchTimes> {
  const byQuery = QUERIES.map(({ query, kind }) => ({
    query,
    kind,
    times: [] as (number | undefined)[],
  }));
  try {
    await page.setViewportSize(POPUP_VIEWPORT);
    await page.goto(popupUrl);
    const unreadSaid = await page
      .getByText(/^[\d,.\u202f ]+ unread$/)
      .first()
      .innerText({ timeout: 10_000 })
      .catch(() => undefined);
    const tab = page.getByRole('tab', { name: ALL_TAB, exact: true });
    try {
      await tab.click({ timeout: 10_000 });
    } catch {
      return { problem: `no "${ALL_TAB}" tab in the popup`, unreadSaid, byQuery };
    }
    const box = page.getByLabel(SEARCH_LABEL).first();
    try {
      await box.waitFor({ timeout: 10_000 });
    } catch {
      return {
        problem: `no search box labelled ${SEARCH_LABEL} in the All tab`,
        unreadSaid,
        byQuery,
      };
    }
    // One unmeasured round first: the search code and the index's pages get warm.
    for (let round = -1; round < SEARCH_RUNS; round += 1) {
      for (const entry of byQuery) {
        const ms = await box.evaluate(
          (input, { query, mark, timeout }) =>
            new Promise<number | undefined>((resolve) => {
              const field = input as HTMLInputElement;
              performance.clearMarks(mark);
              let observer: PerformanceObserver | undefined;
              const timer = setTimeout(() => {
                observer?.disconnect();
                resolve(undefined);
              }, timeout);
              observer = new PerformanceObserver(() => {
                const [entry] = performance.getEntriesByName(mark);
                if (!entry) return;
                observer?.disconnect();
                clearTimeout(timer);
                resolve(entry.startTime - start);
              });
              observer.observe({ type: 'mark' });
              field.value = query;
              const start = performance.now();
              field.dispatchEvent(new Event('input', { bubbles: true }));
            }),
          { query: entry.query, mark: `dispatch:search:${entry.query}`, timeout: 10_000 },
        );
        if (round >= 0) entry.times.push(ms);
      }
    }
    return { unreadSaid, byQuery };
  } finally {
    await page.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
/** The fastest and slowest of `values`: "212–398 ms". */
const spread = (values: number[]) =>
  `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'OK' : 'MISS');

function printReport(real: Variant, naive: Variant, search: SearchTimes): void {
  const rows: [string, string, string][] = [];
  const opened = [real, naive].flatMap((variant) =>
    variant.times.length > 0 ? variant.times : variant.warmup ? [variant.warmup] : [],
  );
  rows.push([
    'navigation only: popup.html domInteractive',
    ms(median(opened.map((t) => t.domInteractive))),
    '',
  ]);
  const realOpens = real.times.length > 0 ? real.times : real.warmup ? [real.warmup] : [];
  rows.push([
    'popup script run (DOMContentLoaded end)',
    ms(median(realOpens.map((t) => t.domContentLoaded))),
    '',
  ]);
  /** Median first-rows time over the opens that marked, and how many did not. */
  const firstRows = (variant: Variant) => {
    const marked = variant.times.flatMap((t) => (t.firstRows === undefined ? [] : [t.firstRows]));
    return {
      ms: marked.length > 0 ? median(marked) : undefined,
      spread: marked.length > 0 ? `  runs ${spread(marked)}` : '',
      unmarked: variant.warmup?.firstRows === undefined ? 1 : variant.times.length - marked.length,
      rows: median(variant.times.map((t) => t.rows)),
    };
  };
  const realFirst = firstRows(real);
  const naiveFirst = firstRows(naive);
  const unmarked = (result: ReturnType<typeof firstRows>) =>
    result.unmarked > 0 ? ` (${result.unmarked} open(s) never marked dispatch:first-rows)` : '';
  rows.push([
    'first rows, popup.html',
    realFirst.ms === undefined ? 'no mark' : ms(realFirst.ms),
    `target ≤ ${TARGET_FIRST_ROWS_MS} ms  ${verdict(realFirst.ms !== undefined && realFirst.unmarked === 0 && realFirst.ms <= TARGET_FIRST_ROWS_MS)}${unmarked(realFirst)}${realFirst.spread}`,
  ]);
  rows.push([
    'first rows, popup.html?naive (read all, render all)',
    naiveFirst.ms === undefined ? 'no mark' : ms(naiveFirst.ms),
    `${unmarked(naiveFirst)}${naiveFirst.spread}`.trim(),
  ]);
  if (realFirst.ms !== undefined && naiveFirst.ms !== undefined) {
    const ratio = naiveFirst.ms / realFirst.ms;
    rows.push([
      'naive / real',
      `${ratio.toFixed(1)}×`,
      `target ≥ ${TARGET_RATIO}×  ${verdict(ratio >= TARGET_RATIO)}`,
    ]);
  }
  const rowCount = (variant: Variant) =>
    variant.times.length > 0 ? String(median(variant.times.map((t) => t.rows))) : '–';
  rows.push([
    'post rows in the page then: real, naive',
    `${rowCount(real)}, ${rowCount(naive)}`,
    '',
  ]);
  if (search.unreadSaid) rows.push(['the popup header says', search.unreadSaid, '']);
  if (search.problem) {
    rows.push(['search', 'not measured', `MISS (${search.problem})`]);
  } else {
    const measured: number[] = [];
    for (const { query, kind, times } of search.byQuery) {
      const marked = times.filter((t): t is number => t !== undefined);
      measured.push(...marked);
      const label = `search "${query}" (${kind})`;
      if (marked.length < times.length) {
        rows.push([
          label,
          marked.length ? ms(median(marked)) : 'no mark',
          `${times.length - marked.length} of ${times.length} never marked`,
        ]);
      } else {
        rows.push([label, ms(median(marked)), `runs ${spread(marked)}`]);
      }
    }
    const complete = search.byQuery.every(({ times }) => times.every((t) => t !== undefined));
    rows.push([
      'search, median over every query',
      measured.length ? ms(median(measured)) : 'no mark',
      measured.length && complete
        ? `target ≤ ${TARGET_SEARCH_MS} ms  ${verdict(median(measured) <= TARGET_SEARCH_MS)}`
        : `target ≤ ${TARGET_SEARCH_MS} ms  MISS (a search never marked)`,
    ]);
  }
  const widths = [0, 1].map((col) => Math.max(...rows.map((row) => row[col]!.length)));
  process.stdout.write(
    [
      `\n## Popup in Chromium (headless, e2e build): ${POSTS.toLocaleString('en')} posts, ` +
        `${UNREAD.toLocaleString('en')} unread, ${FEEDS} blogs, ${CATEGORIES} categories; ` +
        `medians of ${RUNS} opens each (interleaved), ${SEARCH_RUNS} searches per query`,
      ...rows.map(([label, value, note]) =>
        `  ${label.padEnd(widths[0]!)}  ${value.padStart(widths[1]!)}  ${note}`.trimEnd(),
      ),
    ].join('\n') + '\n',
  );
}

// ---------------------------------------------------------------------------------------------
// The seeded database

/** The repository functions the e2e build's service worker exposes as `globalThis.__dispatch`. */
interface WorkerHooks {
  db: unknown;
  addFeed(db: unknown, feed: { url: string; title: string }, now: number): Promise<{ id: number }>;
  savePollResult(
    db: unknown,
    feedId: number,
    write: { posts: NewPost[]; feed: object; now: number },
  ): Promise<{ added: { id: number; guid: string }[] }>;
  markRead(db: unknown, ids: number[], now: number): Promise<unknown>;
}

/**
 * Fills the extension's database as 20 first polls of big archives would: per blog, its
 * posts in batches through `savePollResult`, then `markRead` on all but the newest fifth.
 * Returns the seconds it took.
 */
async function seed(worker: Worker): Promise<number> {
  const started = performance.now();
  const missing = await worker.evaluate(() => {
    const hooks = (globalThis as { __dispatch?: Record<string, unknown> }).__dispatch;
    return ['db', 'addFeed', 'savePollResult', 'markRead'].filter((name) => !hooks?.[name]);
  });
  if (missing.length > 0) {
    throw new Error(
      `The e2e build's service worker does not expose ${missing.join(', ')} on ` +
        'globalThis.__dispatch (entrypoints/background.ts), so the bench cannot seed its database.',
    );
  }
  const posts = generatePosts();
  const perFeed = POSTS / FEEDS;
  const unreadPerFeed = UNREAD / FEEDS;
  for (let f = 0; f < FEEDS; f += 1) {
    const feedId = await worker.evaluate(
      async ({ feed, now }) => {
        const hooks = (globalThis as unknown as { __dispatch: WorkerHooks }).__dispatch;
        return (await hooks.addFeed(hooks.db, feed, now)).id;
      },
      { feed: { url: `https://blog${f}.example/feed.xml`, title: BLOG_NAMES[f]! }, now: NOW },
    );
    const own = posts.slice(f * perFeed, (f + 1) * perFeed);
    for (let start = 0; start < own.length; start += BATCH) {
      await worker.evaluate(
        async ({ feedId, posts, unreadPerFeed, now, never }) => {
          const hooks = (globalThis as unknown as { __dispatch: WorkerHooks }).__dispatch;
          const { added } = await hooks.savePollResult(hooks.db, feedId, {
            posts,
            feed: { lastCheckedAt: now, nextPollAt: never },
            now,
          });
          // Each blog's newest posts stay unread: guid `post-<i>`, i = 0 for the newest.
          const read = added
            .filter((post) => Number(post.guid.slice('post-'.length)) >= unreadPerFeed)
            .map((post) => post.id);
          if (read.length > 0) await hooks.markRead(hooks.db, read, now);
        },
        {
          feedId,
          posts: own.slice(start, start + BATCH),
          unreadPerFeed,
          now: NOW,
          never: NEVER,
        },
      );
    }
  }
  return (performance.now() - started) / 1000;
}

const BLOG_NAMES = [
  'Edge Notes',
  'The Morning Paper',
  'Systems Approach',
  'Latent Space',
  'Compiler Explorer Diaries',
  'Distributed Thoughts',
  'Bits and Bytes',
  'The Data Ladder',
  'Signal Path',
  'Quiet Kernel',
  'Open Circuits',
  'Typed Holes',
  'Cache Lines',
  'Parallel Worlds',
  'Research & Writing',
  'Gradient Notes',
  'Small Models',
  'Protocol Review',
  'Weekend Hacks',
  'Long Context',
];

const TOPICS = [
  'Databases',
  'Distributed Systems',
  'Compilers',
  'Machine Learning',
  'Transformer',
  'State Space Model',
  'Networking',
  'Security',
  'Cryptography',
  'Operating Systems',
  'Programming Languages',
  'Web Performance',
  'Accessibility',
  'Browsers',
  'Rust',
  'Go',
  'TypeScript',
  'Functional Programming',
  'Testing',
  'DevOps',
  'Observability',
  'Storage',
  'GPUs',
  'Robotics',
  'Mathematics',
  'Statistics',
  'Economics',
  'History of Computing',
  'Design',
  'Career',
];

const NOUNS = (
  'memory cache latency throughput budget index query planner scheduler kernel allocator ' +
  'compiler parser lexer tokenizer transformer attention state space recurrence gradient ' +
  'optimizer benchmark protocol packet socket stream buffer queue lock mutex thread process ' +
  'container cluster replica consensus quorum ledger log snapshot checkpoint migration schema ' +
  'table column vector tensor kernel shader pipeline render layout paint frame worker browser ' +
  'extension feed reader archive search ranking embedding dataset model inference training ' +
  'loss accuracy error failure outage incident postmortem review design interface contract ' +
  'type trait module package dependency build release deploy rollback canary metric trace ' +
  'span alert dashboard budget estimate proof theorem lemma invariant graph tree heap array ' +
  'string encoding unicode grapheme locale clock timer alarm battery sensor robot motor'
).split(' ');
const ADJECTIVES = (
  'fast slow small large lazy eager incremental distributed local remote durable volatile ' +
  'concurrent parallel sequential immutable mutable typed untyped safe unsafe hidden visible ' +
  'sparse dense linear quadratic approximate exact stable flaky cheap costly simple subtle'
).split(' ');
const VERBS = (
  'measuring rethinking building debugging shipping scaling profiling testing replacing ' +
  'teaching learning reading writing caching indexing sharding compressing tracing ' +
  'simplifying trimming tuning'
).split(' ');

/** A small deterministic generator, so every run seeds the same database. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Every blog's posts, blog by blog, each blog's newest first: titles and summaries made of a
 * few hundred words (common ones more often, as in prose), one or two categories, reading
 * times from 1 to 20 minutes, a post every 20 minutes or so over two years. Five posts
 * mention {@link RARE_WORD}.
 */
function generatePosts(): NewPost[] {
  const next = random(4);
  /** Skewed towards the start of the list, as word frequencies are. */
  const pick = <T>(list: readonly T[]) => list[Math.floor(list.length * next() ** 2)]!;
  const cap = (word: string) => word[0]!.toUpperCase() + word.slice(1);
  const titles = [
    () => `${cap(pick(VERBS))} ${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(NOUNS)}s`,
    () => `Why the ${pick(NOUNS)} ${pick(NOUNS)} is ${pick(ADJECTIVES)}`,
    () => `Notes on ${pick(ADJECTIVES)} ${pick(NOUNS)} and the ${pick(NOUNS)}`,
    () =>
      `${2 + Math.floor(next() * 9)} lessons from ${pick(VERBS)} a ${pick(NOUNS)} ${pick(NOUNS)}`,
    () => `A ${pick(ADJECTIVES)} look at ${pick(NOUNS)} ${pick(NOUNS)}s in ${pick(TOPICS)}`,
    () => `${cap(pick(NOUNS))} ${pick(NOUNS)}, ${pick(ADJECTIVES)} and ${pick(ADJECTIVES)}`,
  ];
  const sentence = () =>
    `${cap(pick(VERBS))} the ${pick(ADJECTIVES)} ${pick(NOUNS)} made our ${pick(NOUNS)} ` +
    `${pick(ADJECTIVES)}, so we ${pick(VERBS).replace(/ing$/, 'ed')} the ${pick(NOUNS)} ` +
    `${pick(NOUNS)} with a ${pick(ADJECTIVES)} ${pick(NOUNS)} and kept the ${pick(NOUNS)}.`;

  const perFeed = POSTS / FEEDS;
  const posts: NewPost[] = [];
  for (let f = 0; f < FEEDS; f += 1) {
    for (let i = 0; i < perFeed; i += 1) {
      const global = f * perFeed + i;
      const rare = global % 10_007 === 17;
      const primary = TOPICS[(i * 7 + f * 3) % CATEGORIES]!;
      const categories =
        next() < 0.25 ? [primary, TOPICS[(i * 11 + f + 1) % CATEGORIES]!] : [primary];
      const minutes = 1 + Math.floor(20 * next() ** 2);
      const slug = `${f}-${i}`;
      posts.push({
        guid: `post-${i}`,
        url: `https://blog${f}.example/posts/${slug}/`,
        title: pick(titles)(),
        summary: `${rare ? `On ${RARE_WORD}: ` : ''}${sentence()} ${sentence()}`,
        categories: [...new Set(categories)],
        publishedAt: NOW - (i * FEEDS + f) * 20 * 60_000,
        words: minutes * 230,
        minutes,
        minutesFromSummary: next() < 0.1,
      });
    }
  }
  return posts;
}
