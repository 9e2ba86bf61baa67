import { beforeEach, describe, expect, it } from 'vitest';
import { postTables, type DispatchDb } from '@/utils/db/db';
import { searchPosts } from '@/utils/db/search';
import { removeFeed } from '@/utils/db/feeds';
import {
  countPostsByFeed,
  deletePosts,
  getPostContent,
  feedPostIndex,
  listUnread,
  markRead,
  markUnread,
  savePollResult,
  setReadingTimes,
  withIndexFields,
} from '@/utils/db/posts';
import { ALL_CATEGORIES } from '@/utils/db/types';
import { listUnreadCounts, rebuildUnreadCounts, unreadTotal } from '@/utils/db/unread-counts';
import {
  aFeed,
  aPost,
  expectCountersToAgree,
  expectIndexFieldsToAgree,
  freshDb,
} from '../../helpers/db';

const NOW = Date.UTC(2026, 2, 10);

describe('savePollResult', () => {
  let db: DispatchDb;
  beforeEach(() => {
    db = freshDb();
  });

  it('adds new posts unread, with ids, and counts them', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost(), aPost()],
      feed: {},
      now: NOW,
    });

    expect(added).toHaveLength(2);
    expect(
      added.every((post) => post.id > 0 && post.readAt === 0 && post.firstSeenAt === NOW),
    ).toBe(true);
    expect(await unreadTotal(db)).toBe(2);
  });

  it('keeps read state and first-seen time when a known post comes again, changed', async () => {
    const feed = await aFeed(db);
    const post = aPost({ guid: 'a' });
    const { added } = await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });
    await markRead(db, [added[0]!.id], NOW + 1);

    const again = await savePollResult(db, feed.id, {
      posts: [{ ...post, title: 'Edited title' }],
      feed: {},
      now: NOW + 2,
    });

    expect(again).toEqual({ added: [], updated: 1, changed: true });
    const stored = await db.posts.get(added[0]!.id);
    expect(stored).toMatchObject({ title: 'Edited title', readAt: NOW + 1, firstSeenAt: NOW });
    expect(await unreadTotal(db)).toBe(0);
  });

  it('is idempotent: the same poll twice stores each post once', async () => {
    const feed = await aFeed(db);
    const posts = [aPost(), aPost()];
    await savePollResult(db, feed.id, { posts, feed: {}, now: NOW });
    const second = await savePollResult(db, feed.id, { posts, feed: {}, now: NOW });

    expect(second).toEqual({ added: [], updated: 0, changed: false });
    expect(await db.posts.count()).toBe(2);
    expect(await unreadTotal(db)).toBe(2);
  });

  it('never deletes posts that left the feed', async () => {
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, { posts: [aPost(), aPost()], feed: {}, now: NOW });
    await savePollResult(db, feed.id, { posts: [aPost()], feed: {}, now: NOW + 1 });

    expect(await db.posts.count()).toBe(3);
  });

  it('keeps the first of two items sharing a guid', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ guid: 'same', title: 'First' }), aPost({ guid: 'same', title: 'Second' })],
      feed: {},
      now: NOW,
    });

    expect(added.map((post) => post.title)).toEqual(['First']);
  });

  it('uses the first-seen time for a missing or far-future date', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ publishedAt: undefined }), aPost({ publishedAt: NOW + 30 * 86_400_000 })],
      feed: {},
      now: NOW,
    });

    // In the feed's order, a millisecond apart (see "undated posts").
    expect(added.map((post) => post.publishedAt)).toEqual([NOW, NOW - 1]);
  });

  it('writes the feed changes in the same transaction and records the last new post', async () => {
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, {
      posts: [aPost()],
      feed: { etag: '"v1"', lastCheckedAt: NOW },
      now: NOW,
    });

    expect(await db.feeds.get(feed.id)).toMatchObject({
      etag: '"v1"',
      lastCheckedAt: NOW,
      lastNewPostAt: NOW,
    });
  });

  it('writes nothing for a feed that was removed (a poll still in flight)', async () => {
    const feed = await aFeed(db);
    await removeFeed(db, feed.id);

    const result = await savePollResult(db, feed.id, {
      posts: [aPost(), aPost()],
      feed: { title: 'Back again' },
      now: NOW,
    });

    expect(result).toEqual({ added: [], updated: 0, changed: false });
    expect(await db.posts.count()).toBe(0);
    expect(await db.feeds.count()).toBe(0);
    expect(await unreadTotal(db)).toBe(0);
  });

  it('keeps the content apart from the post, so listing posts never loads it', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ content: '<p>Full text</p>' }), aPost()],
      feed: {},
      now: NOW,
    });

    const listed = await listUnread(db);
    expect(listed.every((post) => !('content' in post))).toBe(true);
    expect(await getPostContent(db, added[0]!.id)).toBe('<p>Full text</p>');
    expect(await getPostContent(db, added[1]!.id)).toBeUndefined();
  });

  it('updates changed content and keeps the read state', async () => {
    const feed = await aFeed(db);
    const post = aPost({ guid: 'c', content: '<p>First draft</p>' });
    const { added } = await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });
    await markRead(db, [added[0]!.id], NOW);

    const again = await savePollResult(db, feed.id, {
      posts: [{ ...post, content: '<p>Corrected</p>' }],
      feed: {},
      now: NOW + 1,
    });

    expect(again).toEqual({ added: [], updated: 1, changed: true });
    expect(await getPostContent(db, added[0]!.id)).toBe('<p>Corrected</p>');
    expect((await db.posts.get(added[0]!.id))?.readAt).toBe(NOW);
  });

  it('keeps posts of different feeds apart even with the same guid', async () => {
    const one = await aFeed(db);
    const two = await aFeed(db);
    await savePollResult(db, one.id, { posts: [aPost({ guid: 'x' })], feed: {}, now: NOW });
    await savePollResult(db, two.id, { posts: [aPost({ guid: 'x' })], feed: {}, now: NOW });

    expect(await countPostsByFeed(db, [one.id, two.id])).toEqual(
      new Map([
        [one.id, 1],
        [two.id, 1],
      ]),
    );
  });
});

describe('savePollResult for a listing blog (issue 6)', () => {
  let db: DispatchDb;
  beforeEach(() => {
    db = freshDb();
  });

  it('stores the posts it adds read when asked (a backfill), out of every count', async () => {
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, { posts: [aPost()], feed: {}, now: NOW });

    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost(), aPost({ categories: ['State Space Model'] })],
      feed: {},
      now: NOW + 1,
      addAsReadAt: NOW + 1,
    });

    expect(added.map((post) => post.readAt)).toEqual([NOW + 1, NOW + 1]);
    expect(added.every((post) => post.sectionKeys.length === 0)).toBe(true);
    expect(await unreadTotal(db)).toBe(1);
    // Older posts are not news: the blog's last new post stays the first poll's.
    expect((await db.feeds.get(feed.id))?.lastNewPostAt).toBe(NOW);
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
  });

  it('keeps known posts unread when adding others read', async () => {
    const feed = await aFeed(db);
    const post = aPost({ guid: 'a' });
    await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });

    await savePollResult(db, feed.id, {
      posts: [{ ...post, title: 'Edited' }],
      feed: {},
      now: NOW + 1,
      addAsReadAt: NOW + 1,
    });

    expect((await db.posts.toArray()).map((stored) => [stored.title, stored.readAt])).toEqual([
      ['Edited', 0],
    ]);
  });

  it("keeps a known post's measured reading time when the card says otherwise", async () => {
    const feed = await aFeed(db);
    const card = aPost({ guid: 'a', words: 30, minutes: 2, siteMinutes: 2 });
    const { added } = await savePollResult(db, feed.id, { posts: [card], feed: {}, now: NOW });
    await setReadingTimes(db, [
      { postId: added[0]!.id, words: 1150, minutes: 5, minutesFromSummary: false },
    ]);

    const again = await savePollResult(db, feed.id, {
      posts: [{ ...card, siteMinutes: 3, minutes: 3, summary: 'New summary.' }],
      feed: {},
      now: NOW + 1,
      keepReadingTimes: true,
    });

    expect(again.updated).toBe(1);
    expect(await db.posts.get(added[0]!.id)).toMatchObject({
      summary: 'New summary.',
      words: 1150,
      minutes: 5,
      minutesFromSummary: false,
      siteMinutes: 2,
      articleCounted: true,
    });
    await expectCountersToAgree(db);
  });

  it('drops the "counted" mark when a poll brings minutes of its own', async () => {
    const feed = await aFeed(db);
    const post = aPost({ guid: 'a', words: 30, minutes: 2 });
    const { added } = await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });
    await setReadingTimes(db, [
      { postId: added[0]!.id, words: 1150, minutes: 5, minutesFromSummary: false },
    ]);

    await savePollResult(db, feed.id, {
      posts: [{ ...post, words: 60, minutes: 1 }],
      feed: {},
      now: NOW + 1,
    });

    const after = await db.posts.get(added[0]!.id);
    expect(after).toMatchObject({ words: 60, minutes: 1 });
    expect(after).not.toHaveProperty('articleCounted');
  });
});

describe('setReadingTimes', () => {
  let db: DispatchDb;
  beforeEach(() => {
    db = freshDb();
  });

  it("updates an unread post's minutes in its counters, and keeps the site's figure", async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [
        aPost({ minutes: 2, siteMinutes: 2, categories: ['Transformer'] }),
        aPost({ minutes: 2, categories: ['Transformer'] }),
      ],
      feed: {},
      now: NOW,
    });
    const [unread, read] = added;
    await markRead(db, [read!.id], NOW);

    const changed = await setReadingTimes(db, [
      { postId: unread!.id, words: 1150, minutes: 5, minutesFromSummary: false },
      { postId: read!.id, words: 690, minutes: 3, minutesFromSummary: false },
      { postId: 9_999, words: 1, minutes: 1, minutesFromSummary: false },
    ]);

    expect(changed).toBe(2);
    expect(await db.posts.get(unread!.id)).toMatchObject({
      words: 1150,
      minutes: 5,
      siteMinutes: 2,
    });
    expect(await db.posts.get(read!.id)).toMatchObject({ minutes: 3, readAt: NOW });
    const total = (await listUnreadCounts(db)).find((row) => row.category === ALL_CATEGORIES);
    expect(total).toMatchObject({ unread: 1, minutes: 5 });
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
  });

  it('marks the posts counted, and the card-only ones not', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ minutes: 2, siteMinutes: 2 }), aPost({ minutes: 2, siteMinutes: 2 })],
      feed: {},
      now: NOW,
    });
    const [counted, label] = added;

    await setReadingTimes(db, [
      { postId: counted!.id, words: 400, minutes: 2, minutesFromSummary: false },
    ]);

    expect(await db.posts.get(counted!.id)).toMatchObject({ minutes: 2, articleCounted: true });
    expect(await db.posts.get(label!.id)).not.toHaveProperty('articleCounted');
  });

  it('marks a post counted even when the count gives the times it had', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, { posts: [aPost()], feed: {}, now: NOW });
    const { words, minutes, minutesFromSummary } = added[0]!;
    const same = [{ postId: added[0]!.id, words, minutes, minutesFromSummary }];

    expect(await setReadingTimes(db, same)).toBe(1);
    expect(await db.posts.get(added[0]!.id)).toMatchObject({ minutes, articleCounted: true });
  });

  it('writes nothing when the times are already those, counted', async () => {
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, { posts: [aPost()], feed: {}, now: NOW });
    const { words, minutes, minutesFromSummary } = added[0]!;
    await setReadingTimes(db, [{ postId: added[0]!.id, words, minutes, minutesFromSummary }]);

    expect(
      await setReadingTimes(db, [{ postId: added[0]!.id, words, minutes, minutesFromSummary }]),
    ).toBe(0);
  });
});

describe('feedPostIndex', () => {
  it("gives the link key of each of the feed's posts, and of no other feed's, and its oldest date", async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const other = await aFeed(db);
    await savePollResult(db, feed.id, {
      posts: [
        aPost({ url: 'https://www.blog.example/a?utm_source=x', publishedAt: NOW - 5_000 }),
        aPost({ url: undefined, publishedAt: NOW - 9_000 }),
      ],
      feed: {},
      now: NOW,
    });
    await savePollResult(db, other.id, {
      posts: [aPost({ url: 'https://blog.example/b' })],
      feed: {},
      now: NOW,
    });

    const index = await feedPostIndex(db, feed.id);
    expect([...index.links]).toEqual(['blog.example/a']);
    expect(index.oldest).toBe(NOW - 9_000);
    expect((await feedPostIndex(db, 999)).oldest).toBe(Infinity);
  });
});

describe('undated posts', () => {
  it('keep their document order, newest first', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [
        aPost({ guid: 'a', publishedAt: undefined }),
        aPost({ guid: 'b', publishedAt: undefined }),
        aPost({ guid: 'c', publishedAt: undefined }),
      ],
      feed: {},
      now: NOW,
    });

    expect(added.map((post) => post.publishedAt)).toEqual([NOW, NOW - 1, NOW - 2]);
    expect(added.map((post) => post.firstSeenAt)).toEqual([NOW, NOW, NOW]);
  });
});

describe('read state', () => {
  it('moves posts between read and unread and keeps the counters per category', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [
        aPost({ categories: ['State Space Model'], minutes: 3 }),
        aPost({ categories: ['Transformer', 'Vision'] }),
      ],
      feed: {},
      now: NOW,
    });

    await markRead(db, [added[0]!.id], NOW);
    await markRead(db, [added[0]!.id], NOW + 5);

    expect((await db.posts.get(added[0]!.id))?.readAt).toBe(NOW);
    expect(await unreadTotal(db)).toBe(1);
    const rows = await listUnreadCounts(db);
    expect(rows.find((row) => row.category === 'State Space Model')).toMatchObject({
      unread: 0,
      minutes: 0,
    });
    expect(rows.find((row) => row.category === 'Vision')).toMatchObject({ unread: 1, minutes: 2 });

    await markUnread(db, [added[0]!.id]);
    expect(await unreadTotal(db)).toBe(2);
  });

  it('counts a post named twice in one call once (a post in two sections of "mark all read")', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ categories: ['Transformer', 'Vision'] }), aPost(), aPost()],
      feed: {},
      now: NOW,
    });
    const twice = [added[0]!.id, added[0]!.id];

    await markRead(db, twice, NOW);
    expect(await unreadTotal(db)).toBe(2);

    await markUnread(db, twice);
    expect(await unreadTotal(db)).toBe(3);
    const counters = await listUnreadCounts(db);
    await rebuildUnreadCounts(db);
    expect(await listUnreadCounts(db)).toEqual(counters);
  });

  it('resolves to the ids whose state changed, so an undo restores exactly those', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost(), aPost(), aPost()],
      feed: {},
      now: NOW,
    });
    const [a, b, c] = added.map((post) => post.id) as [number, number, number];
    await markRead(db, [a], NOW);

    const changed = await markRead(db, [c, a, b, c, 9_999], NOW + 1);
    expect(changed).toEqual([c, b]);

    expect(await markUnread(db, changed)).toEqual([c, b]);
    expect((await listUnread(db)).map((post) => post.id).sort()).toEqual([b, c].sort());
    expect((await db.posts.get(a))?.readAt).toBe(NOW);
    expect(await markUnread(db, [b, c])).toEqual([]);
    expect(await markRead(db, [], NOW)).toEqual([]);
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
  });

  it('lists unread posts newest first', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [
        aPost({ publishedAt: 1_000 }),
        aPost({ publishedAt: 3_000 }),
        aPost({ publishedAt: 2_000 }),
      ],
      feed: {},
      now: NOW,
    });
    await markRead(db, [added[1]!.id], NOW);

    expect((await listUnread(db)).map((post) => post.publishedAt)).toEqual([2_000, 1_000]);
  });
});

describe('rebuildUnreadCounts', () => {
  it('agrees with the counters kept up to date by every write', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const posts = Array.from({ length: 20 }, (_, i) =>
      aPost({
        categories: i % 3 ? ['Transformer'] : ['State Space Model', 'Transformer'],
        minutes: 1 + (i % 4),
      }),
    );
    const { added } = await savePollResult(db, feed.id, { posts, feed: {}, now: NOW });
    await markRead(
      db,
      added.filter((_, i) => i % 2).map((post) => post.id),
      NOW,
    );
    await savePollResult(db, feed.id, {
      posts: [{ ...posts[0]!, minutes: 9, categories: ['Other'] }],
      feed: {},
      now: NOW,
    });

    const sort = (rows: { category: string }[]) =>
      [...rows].sort((a, b) => a.category.localeCompare(b.category));
    const kept = sort((await listUnreadCounts(db)).filter((row) => row.unread > 0));
    await rebuildUnreadCounts(db);
    expect(sort(await listUnreadCounts(db))).toEqual(kept);
  });
});

describe('withIndexFields', () => {
  const post = {
    title: 'Mamba, explained',
    summary: 'Selective state spaces.',
    categories: ['State Space Model', 'state  space model', 'Ｍａｍｂａ'],
    publishedAt: 5_000,
    readAt: 0,
  };

  it('lists an unread post in one section per category key, and indexes its words', () => {
    expect(withIndexFields(post)).toEqual({
      ...post,
      sectionKeys: [
        ['state space model', 5_000],
        ['mamba', 5_000],
      ],
      terms: ['mamba', 'explained', 'state', 'space', 'model', 'selective', 'spaces'],
    });
  });

  it('lists a read post in no section, and keeps its words', () => {
    const read = withIndexFields({ ...post, readAt: 7_000 });
    expect(read.sectionKeys).toEqual([]);
    expect(read.terms).toEqual(withIndexFields(post).terms);
  });

  it('lists a post without categories as Uncategorized', () => {
    expect(withIndexFields({ ...post, categories: [] }).sectionKeys).toEqual([
      ['uncategorized', 5_000],
    ]);
  });
});

describe('index fields on every write', () => {
  it('stay in step with the posts through adds, edits, content changes, relinks and reads', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const edited = aPost({ guid: 'e', title: 'First title', categories: ['Vision'] });
    const moved = aPost({ guid: 'm', url: 'https://blog.example/moved', title: 'Moved' });
    const withContent = aPost({ guid: 'c', content: '<p>One</p>' });
    const { added } = await savePollResult(db, feed.id, {
      posts: [edited, moved, withContent, aPost({ categories: [] })],
      feed: {},
      now: NOW,
    });
    await expectIndexFieldsToAgree(db);

    await markRead(db, [added[0]!.id, added[2]!.id], NOW + 1);
    await savePollResult(db, feed.id, {
      posts: [
        { ...edited, title: 'Second title', categories: ['Transformer', 'Vision'] },
        { ...moved, guid: 'm2', title: 'Moved, new guid' },
        { ...withContent, content: '<p>Two</p>' },
      ],
      feed: {},
      now: NOW + 2,
    });
    await expectIndexFieldsToAgree(db);
    await expectCountersToAgree(db);

    await markUnread(db, [added[0]!.id]);
    await expectIndexFieldsToAgree(db);
    await expectCountersToAgree(db);
    expect((await db.posts.get(added[0]!.id))?.sectionKeys.map(([key]) => key)).toEqual([
      'transformer',
      'vision',
    ]);
  });
});

describe('deletePosts', () => {
  it('deletes posts with their content and search words, and nothing else', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const { added } = await savePollResult(db, feed.id, {
      posts: [
        aPost({ title: 'Okapi gone', content: '<p>Gone</p>' }),
        aPost({ title: 'Okapi kept', content: '<p>Kept</p>' }),
      ],
      feed: {},
      now: NOW,
    });
    const [gone, kept] = added;

    await db.transaction('rw', postTables(db), () => deletePosts(db, [gone!.id]));

    expect(await db.posts.count()).toBe(1);
    expect(await getPostContent(db, gone!.id)).toBeUndefined();
    expect(await getPostContent(db, kept!.id)).toBe('<p>Kept</p>');
    expect((await searchPosts(db, 'okapi')).posts.map((post) => post.id)).toEqual([kept!.id]);
    expect((await searchPosts(db, 'gone')).total).toBe(0);
    await expectIndexFieldsToAgree(db);
  });
});
