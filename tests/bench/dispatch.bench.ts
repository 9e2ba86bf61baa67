/**
 * `npm run bench`: the figures behind the design choices of the first slice, each measured
 * side by side with the naive variant it replaces, or against its budget, in the same run.
 * Node with fake-indexeddb: absolute numbers differ from a browser's IndexedDB, the ratios
 * and the budgets are what to read.
 */
import { it } from 'vitest';
import { startBlogServer } from '../../scripts/demo-blog/server.mjs';
import { createDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { listUnread, markRead, savePollResult } from '@/utils/db/posts';
import { ALL_CATEGORIES, type NewPost, type Post } from '@/utils/db/types';
import { unreadTotal } from '@/utils/db/unread-counts';
import { parseFeed } from '@/utils/feed/parse';
import { pollFeed } from '@/utils/poll/poll-feed';
import { groupByCategory } from './naive-grouping';
import { rss } from '../helpers/feeds';
import { measure, measurePair, report } from './harness';

const POSTS = 50_000;
const FEEDS = 20;
const CATEGORIES = 30;
const UNREAD_SHARE = 0.2;
/** About 15 KB of markup: a ten-minute article, typical of the long-form blogs Dispatch follows. */
const ARTICLE = `<p>${'Selective state spaces let the model choose what to remember. '.repeat(240)}</p>`;

it('parses feeds', async () => {
  const blog = await startBlogServer();
  try {
    const demo = new Uint8Array(await (await fetch(blog.feedUrl)).arrayBuffer());
    const paragraph =
      'State space models keep a fixed-size summary of everything seen so far. '.repeat(30);
    const big = new TextEncoder().encode(
      rss({
        items: Array.from({ length: 500 }, (_, i) => ({
          title: `Post ${i} &amp; more`,
          link: `https://blog.example/posts/${i}/`,
          guid: `post-${i}`,
          description: 'A short summary of the post.',
          content: `<p>${paragraph}</p><p>${paragraph}</p>`,
          categories: [`Category ${i % CATEGORIES}`],
          pubDate: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
        })),
      }),
    );
    report('Feed parsing (parseFeed, bytes to normalized posts)', [
      {
        subject: await measure(
          `demo feed, 9 posts, ${(demo.length / 1024).toFixed(0)} KB`,
          () => parseFeed(demo),
          { runs: 51 },
        ),
        limitMs: 5,
      },
      {
        subject: await measure(
          `500 posts, ${(big.length / 1024).toFixed(0)} KB`,
          () => parseFeed(big),
          { runs: 21 },
        ),
        limitMs: 100,
      },
    ]);
  } finally {
    await blog.close();
  }
});

it('opens the popup and sets the badge from maintained counters', async () => {
  const db = createDb(`bench-${crypto.randomUUID()}`);
  const now = Date.UTC(2026, 10, 1);
  for (let f = 0; f < FEEDS; f += 1) {
    const feed = await addFeed(
      db,
      { url: `https://blog${f}.example/feed.xml`, title: `Blog ${f}` },
      now,
    );
    const perFeed = POSTS / FEEDS;
    const posts: NewPost[] = Array.from({ length: perFeed }, (_, i) => ({
      guid: `g${i}`,
      url: `https://blog${f}.example/${i}`,
      title: `Post ${i}`,
      summary: 'A summary of the post, a sentence or two long.',
      categories: [`Category ${(i + f) % CATEGORIES}`],
      publishedAt: now - (i * FEEDS + f) * 60_000,
      words: 460,
      minutes: 2,
      minutesFromSummary: false,
      content: ARTICLE,
    }));
    const { added } = await savePollResult(db, feed.id, { posts, feed: {}, now });
    const read = added.filter((_, i) => i >= perFeed * UNREAD_SHARE).map((post) => post.id);
    await markRead(db, read, now);
  }
  const titles = new Map((await db.feeds.toArray()).map((feed) => [feed.id, feed.title]));

  const [open, naiveOpen] = await measurePair(
    {
      name: 'unread index + counters',
      fn: async () => {
        const [posts, total] = await Promise.all([listUnread(db), unreadTotal(db)]);
        return [groupByCategory(posts, titles), total];
      },
    },
    {
      name: 'full scan of posts',
      fn: async () => {
        const unread = (await db.posts.toArray()).filter((post) => post.readAt === 0);
        unread.sort((a, b) => b.publishedAt - a.publishedAt);
        return groupByCategory(unread, titles);
      },
    },
    { runs: 9 },
  );

  // The same posts with their content stored on the post record (DESIGN §3 as first drafted).
  const inline = createDb(`bench-${crypto.randomUUID()}`);
  await inline.posts.bulkAdd(
    (await db.posts.toArray()).map((post) => ({ ...post, content: ARTICLE })),
  );
  const [apartOpen, inlineOpen] = await measurePair(
    { name: 'content in its own table', fn: () => listUnread(db) },
    { name: 'content on the post records', fn: () => listUnread(inline) },
    { runs: 9 },
  );
  inline.close();

  const naiveBadge = await measure(
    'full scan',
    async () => (await db.posts.toArray()).filter((p: Post) => p.readAt === 0).length,
    { runs: 7 },
  );
  const indexBadge = await measure(
    'count() on the unread index',
    () => db.posts.where('[readAt+publishedAt]').between([0, -Infinity], [0, Infinity]).count(),
    { runs: 7 },
  );
  const badge = await measure('maintained counters', () => unreadTotal(db), { runs: 31 });
  const counterRows = (await db.unreadCounts.toArray()).filter(
    (row) => row.category !== ALL_CATEGORIES,
  ).length;

  report(
    `Popup data at open: ${POSTS.toLocaleString('en')} posts, ${(POSTS * UNREAD_SHARE).toLocaleString('en')} unread, ${FEEDS} feeds, ${CATEGORIES} categories`,
    [{ subject: open, baseline: naiveOpen }],
  );
  report(
    `Listing the unread posts (listUnread) with ${(ARTICLE.length / 1024).toFixed(1)} KB of content each`,
    [{ subject: apartOpen, baseline: inlineOpen }],
  );
  report(`Badge: unread count (${counterRows} counter rows)`, [
    { subject: badge, baseline: naiveBadge, limitMs: 5 },
    { subject: indexBadge, baseline: naiveBadge },
  ]);
  db.close();
}, 300_000);

it('polls the demo blog', async () => {
  const blog = await startBlogServer();
  const db = createDb(`bench-${crypto.randomUUID()}`);
  try {
    const feed = await addFeed(db, { url: blog.feedUrl, title: 'Research & Writing' }, Date.now());
    const deps = { db, now: Date.now, baseIntervalMs: 30 * 60_000, wordsPerMinute: 230 };
    await pollFeed(feed, deps);
    const stored = (await db.feeds.get(feed.id))!;
    const unconditional = await measure(
      '200: fetch, parse, compare 9 known posts',
      () => pollFeed({ ...stored, etag: undefined, lastModified: undefined }, deps),
      { runs: 21 },
    );
    const conditional = await measure('304: conditional GET', () => pollFeed(stored, deps), {
      runs: 21,
    });
    report('One poll of the demo blog over loopback (pollFeed)', [
      { subject: conditional, baseline: unconditional },
    ]);
  } finally {
    db.close();
    await blog.close();
  }
}, 120_000);
