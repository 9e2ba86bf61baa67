import { beforeEach, describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { markRead, markUnread, savePollResult } from '@/utils/db/posts';
import {
  countFitting,
  listFitting,
  listHiddenUnread,
  listRecentlyRead,
  listSectionPosts,
  readUnreadView,
  sectionKey,
  sectionPostIds,
  summarizeSections,
  unreadPostIds,
  unreadTotals,
} from '@/utils/db/sections';
import { ALL_CATEGORIES, UNCATEGORIZED, type NewPost, type Post } from '@/utils/db/types';
import { listUnreadCounts, unreadVisible } from '@/utils/db/unread-counts';
import { visibleSections, visibleTotals } from '@/utils/state/overview';
import { categoryKey } from '@/utils/feed/parse';
import {
  aFeed,
  aPost,
  expectCountersToAgree,
  expectIndexFieldsToAgree,
  freshDb,
} from '../../helpers/db';

const NOW = Date.UTC(2026, 2, 10);
const HOUR = 3_600_000;

const titles = (posts: Post[]) => posts.map((post) => post.title);

/** Stores `posts` as one poll of a new blog and returns them with their ids. */
async function stored(db: DispatchDb, posts: NewPost[]): Promise<Post[]> {
  const feed = await aFeed(db);
  return (await savePollResult(db, feed.id, { posts, feed: {}, now: NOW })).added;
}

/** Every post of a section, read a page at a time. */
async function allPages(db: DispatchDb, key: string, pageSize: number): Promise<Post[]> {
  const all: Post[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await listSectionPosts(db, key, offset, pageSize);
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

describe('sectionKey', () => {
  it.each([
    ['AI', 'ai'],
    ['  State   Space Model ', 'state space model'],
    ['Ｍａｍｂａ', 'mamba'],
    ['Straße', 'strasse'],
    ['STRASSE', 'strasse'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['', sectionKey(UNCATEGORIZED)],
    ['   ', sectionKey(UNCATEGORIZED)],
  ])('keys %j as %j', (category, key) => {
    expect(sectionKey(category)).toBe(key);
  });

  it.each(['Transformer', 'ＡＩ', 'Ünïcode', 'Straße', 'a\u00A0b', 'Ǆ', 'Persian\u200Cword'])(
    'merges %j as the feed parser merges categories',
    (category) => {
      expect(sectionKey(category)).toBe(categoryKey(category));
    },
  );
});

describe('summarizeSections', () => {
  const row = (feedId: number, category: string, unread: number, minutes = unread * 2) => ({
    feedId,
    category,
    unread,
    minutes,
  });

  it('merges spellings over blogs, named after the spelling with most unread posts', () => {
    const sections = summarizeSections([
      row(1, ALL_CATEGORIES, 4),
      row(1, 'ai', 1, 3),
      row(2, ALL_CATEGORIES, 3),
      row(2, 'AI', 3, 9),
      row(3, 'Ai', 1, 1),
    ]);

    expect(sections).toEqual([{ key: 'ai', name: 'AI', unread: 5, minutes: 13 }]);
  });

  it('sorts by name, numbers in order, Uncategorized last, and skips empty sections', () => {
    const sections = summarizeSections([
      row(1, UNCATEGORIZED, 2),
      row(1, 'Part 10', 1),
      row(1, 'Part 2', 1),
      row(1, 'état', 1),
      row(1, 'Zebra', 1),
      row(1, 'Emptied', 0),
      row(1, 'apple', 1),
    ]);

    expect(sections.map((section) => section.name)).toEqual([
      'apple',
      'état',
      'Part 2',
      'Part 10',
      'Zebra',
      UNCATEGORIZED,
    ]);
  });

  it('gives nothing for no unread posts', () => {
    expect(summarizeSections([row(1, ALL_CATEGORIES, 0), row(1, 'AI', 0)])).toEqual([]);
  });
});

describe('unreadTotals', () => {
  it('adds up the blogs’ totals, a post in two categories once', () => {
    expect(
      unreadTotals([
        { feedId: 1, category: ALL_CATEGORIES, unread: 2, minutes: 7 },
        { feedId: 1, category: 'AI', unread: 2, minutes: 7 },
        { feedId: 1, category: 'Vision', unread: 1, minutes: 5 },
        { feedId: 2, category: ALL_CATEGORIES, unread: 1, minutes: 1 },
      ]),
    ).toEqual({ unread: 3, minutes: 8 });
  });
});

describe('unread sections', () => {
  let db: DispatchDb;
  beforeEach(() => {
    db = freshDb();
  });

  it('lists a section newest first, page after page, each post once', async () => {
    const posts = await stored(
      db,
      Array.from({ length: 11 }, (_, i) =>
        aPost({
          title: `T${i}`,
          categories: ['Transformer'],
          publishedAt: NOW - ((i * 7) % 11) * HOUR,
        }),
      ),
    );
    const newestFirst = [...posts].sort((a, b) => b.publishedAt - a.publishedAt);

    expect(titles(await allPages(db, 'transformer', 3))).toEqual(titles(newestFirst));
    expect(titles(await listSectionPosts(db, 'transformer', 9, 5))).toEqual(
      titles(newestFirst.slice(9)),
    );
    expect(await listSectionPosts(db, 'transformer', 20, 5)).toEqual([]);
    expect(await listSectionPosts(db, 'no such section', 0, 5)).toEqual([]);
  });

  it('lists a post in two categories in both, and the counters agree with what is listed', async () => {
    await stored(db, [
      aPost({ title: 'Both', categories: ['Transformer', 'Vision'], publishedAt: NOW }),
      aPost({ title: 'Only vision', categories: ['Vision'], publishedAt: NOW - HOUR }),
      aPost({
        title: 'Only transformer',
        categories: ['transformer'],
        publishedAt: NOW - 2 * HOUR,
      }),
    ]);

    expect(titles(await listSectionPosts(db, 'transformer', 0, 10))).toEqual([
      'Both',
      'Only transformer',
    ]);
    expect(titles(await listSectionPosts(db, 'vision', 0, 10))).toEqual(['Both', 'Only vision']);
    const sections = summarizeSections(await listUnreadCounts(db));
    for (const section of sections) {
      expect(section.unread).toBe((await sectionPostIds(db, section.key)).length);
    }
    expect(unreadTotals(await listUnreadCounts(db))).toEqual({ unread: 3, minutes: 6 });
  });

  it('merges one blog’s "AI" with another’s "ai" into one section', async () => {
    await stored(db, [aPost({ title: 'Upper', categories: ['AI'], publishedAt: NOW })]);
    await stored(db, [aPost({ title: 'Lower', categories: ['ai'], publishedAt: NOW - HOUR })]);

    const [section] = summarizeSections(await listUnreadCounts(db));
    expect(section).toMatchObject({ key: 'ai', unread: 2 });
    expect(titles(await listSectionPosts(db, section!.key, 0, 10))).toEqual(['Upper', 'Lower']);
  });

  it('lists a post without categories, or with one spelled twice, in one section once', async () => {
    await stored(db, [
      aPost({ title: 'None', categories: [] }),
      aPost({ title: 'Twice', categories: ['Vision', 'VISION'] }),
    ]);

    expect(summarizeSections(await listUnreadCounts(db))).toEqual([
      { key: 'vision', name: 'Vision', unread: 1, minutes: 2 },
      { key: 'uncategorized', name: UNCATEGORIZED, unread: 1, minutes: 2 },
    ]);
    expect(titles(await listSectionPosts(db, 'uncategorized', 0, 10))).toEqual(['None']);
    expect(titles(await listSectionPosts(db, 'vision', 0, 10))).toEqual(['Twice']);
    await expectCountersToAgree(db);
  });

  it('drops read posts from every section and brings them back when marked unread', async () => {
    const [both, other] = await stored(db, [
      aPost({ title: 'Both', categories: ['Transformer', 'Vision'], publishedAt: NOW }),
      aPost({ title: 'Other', categories: ['Vision'], publishedAt: NOW - HOUR }),
    ]);

    expect(await markRead(db, [both!.id], NOW)).toEqual([both!.id]);

    expect(await listSectionPosts(db, 'transformer', 0, 10)).toEqual([]);
    expect(titles(await listSectionPosts(db, 'vision', 0, 10))).toEqual(['Other']);
    expect(summarizeSections(await listUnreadCounts(db)).map((section) => section.key)).toEqual([
      'vision',
    ]);
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);

    expect(await markUnread(db, [both!.id, other!.id])).toEqual([both!.id]);

    expect(titles(await listSectionPosts(db, 'transformer', 0, 10))).toEqual(['Both']);
    expect(titles(await listSectionPosts(db, 'vision', 0, 10))).toEqual(['Both', 'Other']);
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
  });

  it('gives every unread id of a section, and of all sections, for "Mark all read"', async () => {
    const [a, b, c] = await stored(db, [
      aPost({ categories: ['Vision'], publishedAt: NOW - 2 * HOUR }),
      aPost({ categories: ['Transformer', 'Vision'], publishedAt: NOW }),
      aPost({ categories: ['Transformer'], publishedAt: NOW - HOUR }),
    ]);
    await markRead(db, [c!.id], NOW);

    expect(await sectionPostIds(db, 'vision')).toEqual([b!.id, a!.id]);
    expect(await sectionPostIds(db, 'transformer')).toEqual([b!.id]);
    expect(await unreadPostIds(db)).toEqual([b!.id, a!.id]);

    const ids = await sectionPostIds(db, 'vision');
    expect(await markRead(db, ids, NOW)).toEqual(ids);
    expect(await unreadPostIds(db)).toEqual([]);
    expect(summarizeSections(await listUnreadCounts(db))).toEqual([]);
    await expectCountersToAgree(db);
  });

  it('moves a post to its new section and place when the blog changes its category or date', async () => {
    const post = aPost({
      guid: 'moving',
      title: 'Moving',
      categories: ['Vision'],
      publishedAt: NOW - 5 * HOUR,
    });
    const feed = await aFeed(db);
    await savePollResult(db, feed.id, {
      posts: [
        post,
        aPost({ title: 'Newer', categories: ['Transformer'], publishedAt: NOW - HOUR }),
      ],
      feed: {},
      now: NOW,
    });

    await savePollResult(db, feed.id, {
      posts: [{ ...post, categories: ['Transformer'], publishedAt: NOW }],
      feed: {},
      now: NOW + 1,
    });

    expect(await listSectionPosts(db, 'vision', 0, 10)).toEqual([]);
    expect(titles(await listSectionPosts(db, 'transformer', 0, 10))).toEqual(['Moving', 'Newer']);
    await expectCountersToAgree(db);
    await expectIndexFieldsToAgree(db);
  });
});

describe('reading-time budget', () => {
  let db: DispatchDb;
  let posts: Post[];
  beforeEach(async () => {
    db = freshDb();
    posts = await stored(
      db,
      [7, 2, 12, 5, 1, 2, 30].map((minutes) => aPost({ title: `${minutes} min`, minutes })),
    );
    // A read 1-minute post never shows in the budget.
    const [, , , , one] = posts;
    await markRead(db, [one!.id], NOW);
  });

  it('lists the unread posts that fit, shortest first', async () => {
    expect(titles(await listFitting(db, 5, 0, 10))).toEqual(['2 min', '2 min', '5 min']);
    expect(titles(await listFitting(db, 10, 0, 10))).toEqual(['2 min', '2 min', '5 min', '7 min']);
    expect(titles(await listFitting(db, 10, 1, 2))).toEqual(['2 min', '5 min']);
    expect(await listFitting(db, 1, 0, 10)).toEqual([]);
  });

  it('counts the posts that fit and their minutes', async () => {
    expect(await countFitting(db, 5)).toEqual({ count: 3, minutes: 9 });
    expect(await countFitting(db, 20)).toEqual({ count: 5, minutes: 28 });
    expect(await countFitting(db, 1)).toEqual({ count: 0, minutes: 0 });
    expect(await countFitting(db, 90)).toEqual({ count: 6, minutes: 58 });
  });

  it('agrees with what it lists, after posts are read and unread again', async () => {
    await markRead(db, [posts[1]!.id], NOW);
    await markUnread(db, [posts[4]!.id]);

    for (const budget of [5, 10, 20]) {
      const listed = await listFitting(db, budget, 0, 100);
      expect(await countFitting(db, budget)).toEqual({
        count: listed.length,
        minutes: listed.reduce((sum, post) => sum + post.minutes, 0),
      });
    }
  });
});

describe('listRecentlyRead', () => {
  it('lists read posts, most recently read first, a page at a time', async () => {
    const db = freshDb();
    const [a, b, c, d] = await stored(db, [
      aPost({ title: 'A' }),
      aPost({ title: 'B' }),
      aPost({ title: 'C' }),
      aPost({ title: 'D' }),
    ]);
    await markRead(db, [b!.id], NOW + 1);
    await markRead(db, [d!.id, a!.id], NOW + 3);
    await markRead(db, [c!.id], NOW + 2);

    const all = await listRecentlyRead(db, 0, 10);
    expect(all.map((post) => post.readAt)).toEqual([NOW + 3, NOW + 3, NOW + 2, NOW + 1]);
    expect(titles(all.slice(2))).toEqual(['C', 'B']);
    expect(await listRecentlyRead(db, 1, 2)).toEqual(all.slice(1, 3));

    await markUnread(db, [c!.id]);
    expect(titles(await listRecentlyRead(db, 0, 10))).not.toContain('C');
  });

  it('lists nothing while everything is unread', async () => {
    const db = freshDb();
    await stored(db, [aPost()]);
    expect(await listRecentlyRead(db, 0, 10)).toEqual([]);
  });
});

describe('muted categories', () => {
  let db: DispatchDb;
  /** Hidden (only muted categories), shown (muted and not), other. */
  let onlyMuted: Post, twoMuted: Post, both: Post, other: Post, plain: Post, readMuted: Post;
  const muted = new Set(['ssm', 'rnn']);

  beforeEach(async () => {
    db = freshDb();
    [onlyMuted, twoMuted, both, other, plain, readMuted] = (await stored(db, [
      aPost({ title: 'Only muted', categories: ['SSM'], minutes: 3, publishedAt: NOW - HOUR }),
      aPost({ title: 'Two muted', categories: ['SSM', 'rnn'], minutes: 7, publishedAt: NOW }),
      aPost({ title: 'Both', categories: ['Transformer', 'SSM'], minutes: 4 }),
      aPost({ title: 'Other', categories: ['Transformer'], minutes: 12 }),
      aPost({ title: 'Plain', categories: [], minutes: 1 }),
      aPost({ title: 'Read muted', categories: ['SSM'], minutes: 2 }),
    ])) as [Post, Post, Post, Post, Post, Post];
    await markRead(db, [readMuted.id], NOW);
  });

  it('finds the unread posts whose every category is muted, each once', async () => {
    expect(await listHiddenUnread(db, muted)).toEqual([
      { id: onlyMuted.id, minutes: 3 },
      { id: twoMuted.id, minutes: 7 },
    ]);
    expect(await listHiddenUnread(db, new Set())).toEqual([]);
    expect(await listHiddenUnread(db, new Set(['uncategorized']))).toEqual([
      { id: plain.id, minutes: 1 },
    ]);
  });

  it('counts the header as unreadVisible counts the badge: a post in a muted and another category stays', async () => {
    for (const keys of [muted, new Set(['ssm']), new Set(['transformer', 'uncategorized'])]) {
      const view = await readUnreadView(db, keys);

      expect(view.muted).toBe(keys);
      expect(visibleTotals(view)).toEqual(await unreadVisible(db, { excludedSections: keys }));
      expect(visibleSections(view).map((section) => section.key)).toEqual(
        summarizeSections(view.counts)
          .map((section) => section.key)
          .filter((key) => !keys.has(key)),
      );
    }
    const view = await readUnreadView(db, muted);
    expect(visibleTotals(view)).toEqual({ unread: 3, minutes: 17 });
    expect(visibleSections(view).map((section) => section.name)).toEqual([
      'Transformer',
      'Uncategorized',
    ]);
    expect(await listSectionPosts(db, 'transformer', 0, 10)).toContainEqual(both);
  });

  it('leaves hidden posts out of "Mark all read", and keeps those also in another category', async () => {
    expect((await unreadPostIds(db, muted)).sort()).toEqual([both.id, other.id, plain.id].sort());
    expect(await unreadPostIds(db, new Set())).toEqual(await unreadPostIds(db));
  });

  it('leaves hidden posts out of the budget, its count agreeing with its pages', async () => {
    expect(titles(await listFitting(db, 10, 0, 10, muted))).toEqual(['Plain', 'Both']);
    expect(await countFitting(db, 10, muted)).toEqual({ count: 2, minutes: 5 });
    expect(await countFitting(db, 10)).toEqual({ count: 4, minutes: 15 });
    expect(await countFitting(db, 90, muted)).toEqual({ count: 3, minutes: 17 });
    // A page at a time: an offset counts the posts shown, never a hidden one.
    const paged: string[] = [];
    for (let offset = 0; offset < 5; offset += 1) {
      paged.push(...titles(await listFitting(db, 20, offset, 1, muted)));
    }
    expect(paged).toEqual(['Plain', 'Both', 'Other']);
  });
});
