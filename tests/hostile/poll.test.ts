/**
 * HOSTILE-INPUTS.md cases the poll cycle itself must survive, beyond the network: very long
 * text (36), reordered and undated items (43), feeds that drop old items (44), and a poll cut
 * off at any point (47, at unit level: the end-to-end test stops a real service worker), and a
 * full disk during its write (48). Feeds come from a real HTTP server on 127.0.0.1.
 */
import type { RequestListener } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { listUnread, markRead } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import type { Feed } from '@/utils/db/types';
import { rebuildUnreadCounts, unreadTotal } from '@/utils/db/unread-counts';
import { POLL_LOCK } from '@/utils/poll/lock';
import { pollDueFeeds } from '@/utils/poll/poll-all';
import { pollFeed, type PollDeps } from '@/utils/poll/poll-feed';
import {
  CATEGORY_MAX_CHARS,
  CONTENT_MAX_CHARS,
  MAX_CATEGORIES,
  SUMMARY_MAX_CHARS,
  TITLE_MAX_CHARS,
} from '@/utils/poll/to-posts';
import { STORAGE_FULL_MESSAGE } from '@/utils/db/errors';
import { dumpDb, freshDb, probeStorage, quotaExceeded } from '../helpers/db';
import { rss, someItems, type FeedServer, type RssItemSpec } from '../helpers/feeds';
import { startTestServer, type TestServer } from '../helpers/http-server';
import {
  clock,
  fakeLockManager,
  INTERVAL,
  interceptWrites,
  MINUTE,
  storedState,
  T0,
  testPollDeps,
  useFeedTestBed,
} from '../helpers/poll';

const HOUR = 60 * MINUTE;

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));

function deps(on: DispatchDb = db, extra: Partial<PollDeps> = {}): PollDeps {
  return { ...testPollDeps(on), ...extra };
}

async function follow(
  on: DispatchDb = db,
  path = '/feed.xml',
  title = 'Edge Notes',
): Promise<Feed> {
  return addFeed(on, { url: `${server.baseUrl}${path}`, title }, T0);
}

/** Polls the feed as stored now, as the cycle would. */
async function poll(feedId: number, on: DispatchDb = db, extra: Partial<PollDeps> = {}) {
  const feed = await on.feeds.get(feedId);
  if (!feed) throw new Error(`feed ${feedId} is gone`);
  return pollFeed(feed, deps(on, extra));
}

async function postsOf(feedId: number, on: DispatchDb = db) {
  return (await on.posts.where('feedId').equals(feedId).toArray()).sort((a, b) =>
    a.guid.localeCompare(b.guid),
  );
}

/** A lone UTF-16 surrogate: what a cut through the middle of a pair leaves behind. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('case 36: very long titles and summaries', () => {
  /** Man, woman, girl, boy joined by ZWJ: one grapheme, seven code points, eleven code units. */
  const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';

  it('caps them without splitting a surrogate pair or an emoji sequence', async () => {
    // The cap falls inside the family emoji: it goes whole, never in part.
    const title = `${'a'.repeat(TITLE_MAX_CHARS - 3)}${FAMILY}${' and on'.repeat(20_000)}`;
    const summary = '😀'.repeat(3 * SUMMARY_MAX_CHARS);
    const content = `${'b'.repeat(CONTENT_MAX_CHARS - 1)}😀 and more`;
    server.route('/feed.xml', {
      body: rss({
        title: `A feed named ${'at length '.repeat(10_000)}`,
        items: [{ guid: 'long', title, description: summary, content }],
      }),
    });
    const feed = await follow(db, '/feed.xml', '');

    await poll(feed.id);

    const [post] = await postsOf(feed.id);
    expect(post!.title).toBe(`${'a'.repeat(TITLE_MAX_CHARS - 3)}…`);
    expect(Array.from(post!.summary!)).toHaveLength(SUMMARY_MAX_CHARS);
    expect(post!.summary!.endsWith('😀…')).toBe(true);
    const stored = (await db.postContents.get(post!.id))!.html;
    expect(stored).toHaveLength(CONTENT_MAX_CHARS - 1);
    const feedTitle = (await db.feeds.get(feed.id))!.title;
    expect(Array.from(feedTitle).length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    for (const text of [post!.title, post!.summary!, stored, feedTitle]) {
      expect(text).not.toMatch(LONE_SURROGATE);
    }
  });

  it('caps the number and length of categories, each a counter row and a popup section', async () => {
    const categories = Array.from({ length: 500 }, (_, i) => `tag ${i} ${'x'.repeat(1_000)}`);
    server.route('/feed.xml', { body: rss({ items: [{ guid: 'tags', title: 'T', categories }] }) });
    const feed = await follow();

    await poll(feed.id);

    const [post] = await postsOf(feed.id);
    expect(post!.categories).toHaveLength(MAX_CATEGORIES);
    expect(post!.categories.every((name) => Array.from(name).length <= CATEGORY_MAX_CHARS)).toBe(
      true,
    );
    expect(await db.unreadCounts.count()).toBe(MAX_CATEGORIES + 1);
  });
});

describe('case 43: items reordered, or without dates', () => {
  it('adds only the items it has not seen, wherever the feed puts them', async () => {
    const items = someItems(4);
    server.route('/feed.xml', { body: rss({ items }) });
    const feed = await follow();
    const first = await poll(feed.id);
    await markRead(db, [first.added.find((post) => post.guid === 'post-2')!.id], clock.now);

    // Shuffled, with a new item dated before all the others placed in the middle.
    const older = { ...someItems(1, 1)[0]!, guid: 'post-0', title: 'Post 0' };
    older.pubDate = new Date(Date.UTC(2026, 1, 1));
    server.route('/feed.xml', {
      body: rss({ items: [items[2]!, items[0]!, older, items[3]!, items[1]!] }),
    });
    clock.now += INTERVAL;
    const second = await poll(feed.id);

    expect(second.added.map((post) => post.guid)).toEqual(['post-0']);
    const posts = await postsOf(feed.id);
    expect(posts.map((post) => post.guid)).toEqual([
      'post-0',
      'post-1',
      'post-2',
      'post-3',
      'post-4',
    ]);
    expect(posts.find((post) => post.guid === 'post-2')!.readAt).toBeGreaterThan(0);
    expect(await unreadTotal(db)).toBe(4);
  });

  it('sorts undated items by when they were first seen, not by their place in the feed', async () => {
    const undated = (n: number): RssItemSpec => ({
      guid: `u${n}`,
      title: `Undated ${n}`,
      link: `https://blog.example/u/${n}/`,
    });
    server.route('/feed.xml', { body: rss({ items: [undated(1), undated(2)] }) });
    const feed = await follow();
    await poll(feed.id);
    const firstSeen = clock.now;

    // Two hours later a new undated item appears at the bottom of the feed.
    clock.now += 2 * HOUR;
    server.route('/feed.xml', { body: rss({ items: [undated(1), undated(2), undated(3)] }) });
    await poll(feed.id);

    const posts = await postsOf(feed.id);
    expect(
      posts.map(({ guid, publishedAt, firstSeenAt }) => ({ guid, publishedAt, firstSeenAt })),
    ).toEqual([
      { guid: 'u1', publishedAt: firstSeen, firstSeenAt: firstSeen },
      // Found in one poll, they keep the feed's order (newest first), a millisecond apart.
      { guid: 'u2', publishedAt: firstSeen - 1, firstSeenAt: firstSeen },
      { guid: 'u3', publishedAt: clock.now, firstSeenAt: clock.now },
    ]);
    expect((await listUnread(db))[0]?.guid).toBe('u3');
  });
});

describe('case 44: the feed drops old items (sliding window)', () => {
  it('never deletes posts, read state or reading-list items when items leave the feed', async () => {
    server.route('/feed.xml', { body: rss({ items: someItems(5, 1) }) });
    const feed = await follow();
    const first = await poll(feed.id);
    const byGuid = new Map(first.added.map((post) => [post.guid, post]));
    await markRead(db, [byGuid.get('post-1')!.id], clock.now);
    const saved = byGuid.get('post-2')!;
    await saveToReadingList(
      db,
      { url: saved.url!, title: saved.title, postId: saved.id },
      clock.now,
    );
    const before = await storedState(db);

    // The window slides: posts 1–3 are gone from the feed, post 6 is new…
    clock.now += INTERVAL;
    server.route('/feed.xml', { body: rss({ items: someItems(3, 4) }) });
    const slid = await poll(feed.id);
    // …and then the feed lists nothing at all.
    clock.now += INTERVAL;
    server.route('/feed.xml', { body: rss({ items: [] }) });
    const emptied = await poll(feed.id);

    expect(slid.added.map((post) => post.guid)).toEqual(['post-6']);
    expect(emptied).toMatchObject({ status: 'no-change', added: [] });
    const after = await storedState(db);
    expect(after.posts.map((post) => post.guid).sort()).toEqual([
      'post-1',
      'post-2',
      'post-3',
      'post-4',
      'post-5',
      'post-6',
    ]);
    for (const post of before.posts) expect(after.posts).toContainEqual(post);
    expect(after.readingList).toEqual(before.readingList);
    expect(await unreadTotal(db)).toBe(5);
  });
});

describe('case 47: service worker terminated mid-poll', () => {
  /**
   * The server for these tests: items 1–2 with ETag "v1", then items 1–3 (post 2 reworded)
   * with ETag "v2", answering 304 to a request that already carries "v2". Had a cut poll
   * stored "v2" without the posts, the next poll would get a 304 and lose post 3.
   */
  function serveVersions(): { publish: () => void } {
    let version = 1;
    server.route('/feed.xml', (headers) => {
      const etag = `"v${version}"`;
      if (headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
      const items =
        version === 1
          ? someItems(2)
          : someItems(3).map((item) =>
              item.guid === 'post-2' ? { ...item, description: 'Reworded.' } : item,
            );
      return { body: rss({ items }), headers: { etag } };
    });
    return { publish: () => void (version = 2) };
  }

  /** A blog polled once (items 1–2, post 1 read), then updated on the server. */
  async function establish(on: DispatchDb): Promise<Feed> {
    const { publish } = serveVersions();
    const feed = await follow(on);
    const first = await poll(feed.id, on);
    await markRead(on, [first.added.find((post) => post.guid === 'post-1')!.id], clock.now);
    publish();
    clock.now += INTERVAL;
    return (await on.feeds.get(feed.id))!;
  }

  /** What the store must hold once the interrupted poll has been made good. */
  async function expectComplete(on: DispatchDb, feedId: number): Promise<void> {
    const posts = await postsOf(feedId, on);
    expect(posts.map((post) => post.guid)).toEqual(['post-1', 'post-2', 'post-3']);
    expect(posts[0]!.readAt).toBeGreaterThan(0);
    expect(posts[1]!.summary).toBe('Reworded.');
    expect((await on.feeds.get(feedId))!.etag).toBe('"v2"');
    const counted = await unreadTotal(on);
    await rebuildUnreadCounts(on);
    expect(counted).toBe(2);
    expect(await unreadTotal(on)).toBe(counted);
  }

  it('a worker stopped between fetch and write leaves nothing half-done; the next poll stores everything once', async () => {
    const feed = await establish(db);
    const before = await storedState(db);
    // The worker dies once the response is in: its database connection goes with it.
    const dying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      db.close();
      return response;
    };

    await expect(pollFeed(feed, deps(db, { fetch: dying }))).rejects.toThrow();

    // The next wake-up opens the same database afresh.
    const reopened = createDb(db.name);
    try {
      expect(await storedState(reopened)).toEqual(before);
      const again = await poll(feed.id, reopened);
      expect(again.added.map((post) => post.guid)).toEqual(['post-3']);
      await expectComplete(reopened, feed.id);
    } finally {
      reopened.close();
    }
  });

  it('a write transaction that fails at any step leaves nothing of the poll; the next stores it all once', async () => {
    let steps = 0;
    for (let step = 1; ; step++) {
      const fresh = freshDb();
      const log = interceptWrites(fresh);
      try {
        clock.now = T0;
        const feed = await establish(fresh);
        const before = await storedState(fresh);
        log.failAt = log.writes.length + step;

        const cut = await pollFeed(feed, deps(fresh)).then(
          () => 'completed' as const,
          () => 'failed' as const,
        );
        log.failAt = undefined;
        if (cut === 'completed') {
          // The step is past the poll's last write: every write has been cut once.
          await expectComplete(fresh, feed.id);
          break;
        }

        steps = step;
        expect(await storedState(fresh)).toEqual(before);
        const again = await poll(feed.id, fresh);
        expect(again.added.map((post) => post.guid)).toEqual(['post-3']);
        await expectComplete(fresh, feed.id);
      } finally {
        fresh.close();
      }
    }
    // The new post, the changed post, the counters, the feed record.
    expect(steps).toBeGreaterThanOrEqual(4);
  });

  describe('two wake-ups at once', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('a Web Lock keeps them from polling the same feed at the same time', async () => {
      const { locks, requested } = fakeLockManager();
      vi.stubGlobal('navigator', { locks });
      let inFlight = 0;
      let mostInFlight = 0;
      const slow: TestServer = await startTestServer(((_request, response) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          response.writeHead(200, { 'content-type': 'application/rss+xml' });
          response.end(rss({ items: someItems(2) }));
        }, 50);
      }) satisfies RequestListener);
      try {
        await addFeed(db, { url: `${slow.baseUrl}/feed.xml`, title: 'Slow' }, T0);

        const [first, second] = await Promise.all([pollDueFeeds(deps()), pollDueFeeds(deps())]);

        expect(requested).toEqual([POLL_LOCK, POLL_LOCK]);
        expect([first.checked, second.checked]).toEqual([1, 0]);
        expect(slow.requests).toHaveLength(1);
        expect(mostInFlight).toBe(1);
        expect(await db.posts.count()).toBe(2);
      } finally {
        await slow.close();
      }
    });
  });
});

describe('case 48: storage full or IndexedDB unavailable, during a poll', () => {
  /** Makes every write to `posts` fail as a full disk does; other tables still take writes. */
  function fillPostsTable(on: DispatchDb): void {
    on.use({
      stack: 'dbcore',
      name: 'test-full-posts',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return name !== 'posts'
            ? table
            : { ...table, mutate: () => Promise.reject(quotaExceeded()) };
        },
      }),
    });
  }

  it('says "Storage is full" on the blog, stores nothing of the poll and keeps the rest', async () => {
    const fresh = freshDb();
    fillPostsTable(fresh);
    server.route('/feed.xml', { body: rss({ items: someItems(3) }) });
    const feed = await addFeed(fresh, { url: `${server.baseUrl}/feed.xml`, title: 'Edge' }, T0);
    const before = await storedState(fresh);

    const outcome = await pollFeed(feed, deps(fresh));

    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/^Storage is full/);
    const after = await fresh.feeds.get(feed.id);
    expect(after?.lastError).toMatchObject({ code: 'storage-full', message: STORAGE_FULL_MESSAGE });
    expect(after?.failures).toBe(1);
    expect(await fresh.posts.count()).toBe(0);
    expect((await storedState(fresh)).readingList).toEqual(before.readingList);
    fresh.close();
  });

  it('still answers in words when not even the blog status can be written', async () => {
    const fresh = freshDb();
    const probe = probeStorage(fresh);
    server.route('/feed.xml', { body: rss({ items: someItems(2) }) });
    const feed = await addFeed(fresh, { url: `${server.baseUrl}/feed.xml`, title: 'Edge' }, T0);
    const before = await dumpDb(fresh);
    probe.failFrom(1);

    const outcome = await pollFeed(feed, deps(fresh));

    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'storage-full' } });
    probe.heal();
    expect(await dumpDb(fresh)).toEqual(before);
    fresh.close();
  });
});
