/**
 * The popup's data layer at 50,000 posts (issue 4): the first rows of the unread sections, the
 * reading-time budget, the "Show read" list and search, each read through the schema v3
 * indexes, next to the full scan they replace and (for the sections) the v2 way of loading
 * every unread post. Node with fake-indexeddb: the absolute numbers differ from a browser's
 * IndexedDB (the in-browser popup bench measures those); what to read here is how the cost
 * grows — with what is shown, not with what is stored. Results are checked against the naive
 * variant's before anything is timed. Part of `npm run bench`; on its own:
 * `npx vitest run --config vitest.bench.config.ts tests/bench/popup-data.bench.ts`.
 */
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { listUnread, markRead, markUnread, savePollResult } from '@/utils/db/posts';
import { searchPosts } from '@/utils/db/search';
import {
  countFitting,
  listFitting,
  listRecentlyRead,
  listSectionPosts,
  sectionKey,
  sectionPostIds,
  summarizeSections,
  unreadTotals,
} from '@/utils/db/sections';
import type { NewPost, Post } from '@/utils/db/types';
import { listUnreadCounts } from '@/utils/db/unread-counts';
import { normalizeForSearch, queryTokens } from '@/utils/search';
import { measure, measureInterleaved, measurePair, report, type Row } from './harness';

const POSTS = 50_000;
const FEEDS = 20;
const CATEGORIES = 30;
const UNREAD = 10_000;
/** Rows the popup shows at first: the first page of the first section. */
const PAGE = 30;
const MINUTE = 60_000;

/** A deterministic pseudo-random sequence (mulberry32), so every run stores the same posts. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const next = random(20_260_301);

/**
 * English prose to cut titles and summaries from, so that words and prefixes are as frequent
 * as in real writing: the MDN descriptions in TypeScript's DOM typings (~77,000 words).
 */
const PROSE = readFileSync(
  new URL('../../node_modules/typescript/lib/lib.dom.d.ts', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => /^\s*\* [^@]/.test(line) && !line.includes('MDN Reference'))
  .map((line) => line.replace(/^\s*\* /, ''))
  .join(' ')
  .split(/\s+/)
  .filter((w) => /\p{L}/u.test(w));
/** `count` consecutive words of the prose from a random place. */
const words = (count: number) => {
  const start = Math.floor(next() * (PROSE.length - count));
  return PROSE.slice(start, start + count).join(' ');
};

/** Words planted in known shares of the posts, to search for. */
const PLANTED = [
  { text: 'mamba', share: 0.002 },
  { text: 'transformer', share: 0.05 },
  { text: 'state space', share: 0.04 },
];

function aBenchPost(feed: number, i: number, now: number): NewPost {
  const planted = PLANTED.filter(({ share }) => next() < share).map(({ text }) => text);
  return {
    guid: `g${i}`,
    url: `https://blog${feed}.example/${i}`,
    title: `${words(3 + Math.floor(next() * 3))} ${planted.join(' ')} ${words(3)}`
      .replace(/\s+/g, ' ')
      .trim(),
    summary: `${words(40)}.`,
    categories: [`Category ${(i + feed) % CATEGORIES}`],
    publishedAt: now - (i * FEEDS + feed) * MINUTE,
    words: 460,
    minutes: 1 + Math.floor(next() * 25),
    minutesFromSummary: false,
  };
}

async function seed(db: DispatchDb, now: number): Promise<void> {
  const perFeed = POSTS / FEEDS;
  for (let f = 0; f < FEEDS; f += 1) {
    const feed = await addFeed(
      db,
      { url: `https://blog${f}.example/feed.xml`, title: `Blog ${f}` },
      now,
    );
    const posts = Array.from({ length: perFeed }, (_, i) => aBenchPost(f, i, now));
    const { added } = await savePollResult(db, feed.id, { posts, feed: {}, now });
    const read = added.filter((_, i) => i >= UNREAD / FEEDS).map((post) => post.id);
    await markRead(db, read, now + f);
  }
}

/** The naive search: every post loaded, its text normalized and split, newest first. */
function naiveSearch(all: Post[], query: string, limit: number) {
  const tokens = queryTokens(query);
  const matches = all.filter((post) => {
    const text = normalizeForSearch(
      `${post.title} ${post.categories.join(' ')} ${post.summary ?? ''}`,
    );
    const postWords = text.split(/[^\p{L}\p{N}]+/u);
    return tokens.every((token) => postWords.some((w) => w.startsWith(token)));
  });
  matches.sort((a, b) => b.publishedAt - a.publishedAt || b.id - a.id);
  return { posts: matches.slice(0, limit), total: matches.length };
}

function check(what: string, ok: boolean): void {
  if (!ok) throw new Error(`popup-data bench: ${what} differs from the full scan`);
}

it('reads the popup data at 50,000 posts through indexes', async () => {
  const db = createDb(`bench-${crypto.randomUUID()}`);
  const now = Date.UTC(2026, 10, 1);
  const seedStart = performance.now();
  await seed(db, now);
  const seedMs = performance.now() - seedStart;
  const scan = () => db.posts.toArray();

  // The first rows at open: section headers from the counters, then one page of the first.
  const firstRows = async () => {
    const rows = await listUnreadCounts(db);
    const sections = summarizeSections(rows);
    const totals = unreadTotals(rows);
    const page = await listSectionPosts(db, sections[0]!.key, 0, PAGE);
    return { sections, totals, page };
  };
  const naiveFirstRows = async () => {
    const unread = (await scan()).filter((post) => post.readAt === 0);
    unread.sort((a, b) => b.publishedAt - a.publishedAt);
    const byKey = new Map<string, Post[]>();
    for (const post of unread) {
      const key = sectionKey(post.categories[0]!);
      byKey.set(key, [...(byKey.get(key) ?? []), post]);
    }
    const [first] = [...byKey.keys()].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true }),
    );
    return byKey.get(first!)!.slice(0, PAGE);
  };
  const v2FirstRows = async () => {
    const unread = await listUnread(db);
    const first = unread.filter((post) => sectionKey(post.categories[0]!) === 'category 0');
    return first.slice(0, PAGE);
  };
  const opened = await firstRows();
  check(
    'first page',
    opened.page.map((p) => p.id).join() === (await naiveFirstRows()).map((p) => p.id).join(),
  );
  check('unread total', opened.totals.unread === UNREAD);

  const [open, openV2, openNaive] = await measureInterleaved(
    [
      { name: 'counters + first page of a section', fn: firstRows },
      { name: 'v2: every unread post (listUnread)', fn: v2FirstRows },
      { name: 'full scan of posts', fn: naiveFirstRows },
    ],
    { runs: 9 },
  );
  const lastSection = opened.sections[opened.sections.length - 1]!;
  const deepPage = await measure(
    `page 10 of "${lastSection.name}" (offset ${9 * PAGE})`,
    () => listSectionPosts(db, lastSection.key, 9 * PAGE, PAGE),
    { runs: 15 },
  );
  // "Mark all read" in a section, then its undo: the write the new indexes make dearer.
  const sectionIds = await sectionPostIds(db, lastSection.key);
  const markSection = await measure(
    `mark "${lastSection.name}" read (${sectionIds.length} posts), then undo`,
    async () => {
      const changed = await markRead(db, sectionIds, now + 1);
      check('undo', changed.length === sectionIds.length);
      await markUnread(db, changed);
    },
    { runs: 5, warmup: 1 },
  );

  // Reading-time budget and the "Show read" list.
  const naiveFitting = async () => {
    const fitting = (await scan()).filter((post) => post.readAt === 0 && post.minutes <= 10);
    fitting.sort((a, b) => a.minutes - b.minutes || a.id - b.id);
    return { count: fitting.length, page: fitting.slice(0, PAGE) };
  };
  const budget = await countFitting(db, 10);
  const naiveBudget = await naiveFitting();
  check('budget count', budget.count === naiveBudget.count);
  check(
    'budget page',
    (await listFitting(db, 10, 0, PAGE)).map((p) => p.id).join() ===
      naiveBudget.page.map((p) => p.id).join(),
  );
  const [fitting, fittingNaive] = await measurePair(
    {
      name: 'countFitting + listFitting (10 min)',
      fn: () => Promise.all([countFitting(db, 10), listFitting(db, 10, 0, PAGE)]),
    },
    { name: 'full scan of posts', fn: naiveFitting },
    { runs: 9 },
  );
  const [recent, recentNaive] = await measurePair(
    { name: 'listRecentlyRead, first page', fn: () => listRecentlyRead(db, 0, PAGE) },
    {
      name: 'full scan of posts',
      fn: async () =>
        (await scan())
          .filter((post) => post.readAt !== 0)
          .sort((a, b) => b.readAt - a.readAt || b.publishedAt - a.publishedAt)
          .slice(0, PAGE),
    },
    { runs: 9 },
  );

  // Search: a rare word, a common one, two words, a two-letter prefix, nothing.
  const all = await scan();
  const searchRows: Row[] = [];
  for (const query of [
    'mamba',
    'transformer',
    'state space',
    'element',
    'returns the',
    'co',
    'zzqx',
  ]) {
    const result = await searchPosts(db, query, 50);
    const naive = naiveSearch(all, query, 50);
    check(`search "${query}" total`, !result.exact || result.total === naive.total);
    check(
      `search "${query}" posts`,
      result.posts.map((p) => p.id).join() === naive.posts.map((p) => p.id).join(),
    );
    const [indexed, scanned] = await measurePair(
      {
        name: `"${query}": ${naive.total.toLocaleString('en')} matches${result.exact ? '' : ` (estimated ${result.total.toLocaleString('en')})`}`,
        fn: () => searchPosts(db, query, 50),
      },
      { name: 'full scan', fn: async () => naiveSearch(await scan(), query, 50) },
      { runs: 5, warmup: 1 },
    );
    searchRows.push({ subject: indexed, baseline: scanned });
  }

  const terms = all.reduce((sum, post) => sum + post.terms.length, 0);
  process.stdout.write(
    `\nSeeded ${POSTS.toLocaleString('en')} posts (${UNREAD.toLocaleString('en')} unread, ${FEEDS} feeds, ${CATEGORIES} categories, ${(terms / POSTS).toFixed(1)} search words a post) through savePollResult and markRead in ${(seedMs / 1000).toFixed(1)} s\n`,
  );
  report(`Popup first rows (${opened.sections.length} sections, first page of ${PAGE})`, [
    { subject: open!, baseline: openNaive },
    { subject: open!, baseline: openV2 },
    { subject: deepPage },
    { subject: markSection },
  ]);
  report('Reading-time budget and "Show read"', [
    { subject: fitting, baseline: fittingNaive },
    { subject: recent, baseline: recentNaive },
  ]);
  report(
    'Search (searchPosts, first 50, newest first; the 50 ms target is for the browser)',
    searchRows,
  );
  db.close();
}, 600_000);
