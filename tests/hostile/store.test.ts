/**
 * HOSTILE-INPUTS.md, identity and stored state (E41–E48), at the store: what a poll may write,
 * what it must keep, and what a failure leaves behind. The database is fake-indexeddb; faults
 * are injected below Dexie (`probeStorage`), where IndexedDB itself would fail.
 */
import Dexie from 'dexie';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDb, type DispatchDb } from '@/utils/db/db';
import {
  STORAGE_FULL_MESSAGE,
  STORAGE_UNAVAILABLE_MESSAGE,
  storageProblemMessage,
} from '@/utils/db/errors';
import { addFeed, addFeedWithPosts, feedIdentityKey, findFeedByUrl } from '@/utils/db/feeds';
import {
  getPostContent,
  listUnread,
  markRead,
  postLinkKey,
  RELINK_WINDOW,
  savePollResult,
  type PollWrite,
} from '@/utils/db/posts';
import { listReadingList, saveToReadingList } from '@/utils/db/reading-list';
import type { Feed, NewPost, Post } from '@/utils/db/types';
import { listUnreadCounts, rebuildUnreadCounts, unreadTotal } from '@/utils/db/unread-counts';
import { subscribe, type SubscribeDeps } from '@/utils/subscribe';
import { aFeed, aPost, dumpDb, freshDb, probeStorage, type StorageProbe } from '../helpers/db';

const NOW = Date.UTC(2026, 2, 20, 12);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let db: DispatchDb;
let probe: StorageProbe;
let feed: Feed;

beforeEach(async () => {
  db = freshDb();
  probe = probeStorage(db);
  feed = await aFeed(db);
});

/** Stores `posts` as one successful poll of the test's feed at `now`. */
function poll(posts: NewPost[], now = NOW, changes: PollWrite['feed'] = {}) {
  return savePollResult(db, feed.id, { posts, feed: changes, now });
}

/** The stored posts of the test's feed, oldest first. */
const storedPosts = (): Promise<Post[]> => db.posts.where('feedId').equals(feed.id).toArray();

/** The counters as kept by every write, and as rebuilt from the posts: they must agree. */
async function expectCountersAgree(): Promise<void> {
  const sort = (rows: { feedId: number; category: string }[]) =>
    [...rows].sort((a, b) => a.feedId - b.feedId || a.category.localeCompare(b.category));
  const kept = sort((await listUnreadCounts(db)).filter((row) => row.unread > 0));
  await rebuildUnreadCounts(db);
  expect(sort(await listUnreadCounts(db))).toEqual(kept);
}

describe('case 41: duplicate guids in one poll', () => {
  it('keeps the first item of a guid, without a ConstraintError, and stores the rest of the poll', async () => {
    const result = await poll(
      [
        aPost({ guid: 'dup', title: 'First' }),
        aPost({ guid: 'other', title: 'Other' }),
        aPost({ guid: 'dup', title: 'Second' }),
        aPost({ guid: 'dup', title: 'Third' }),
      ],
      NOW,
      { etag: '"v2"' },
    );

    expect(result.added.map((post) => post.title)).toEqual(['First', 'Other']);
    expect((await storedPosts()).map((post) => post.title)).toEqual(['First', 'Other']);
    expect((await db.feeds.get(feed.id))?.etag).toBe('"v2"');
    expect(await unreadTotal(db)).toBe(2);
  });

  it('updates a known post from the first of its repeated items only', async () => {
    await poll([aPost({ guid: 'dup', title: 'Original' })]);

    const result = await poll(
      [aPost({ guid: 'dup', title: 'Edited' }), aPost({ guid: 'dup', title: 'Impostor' })],
      NOW + MINUTE,
    );

    expect(result).toMatchObject({ added: [], updated: 1 });
    expect((await storedPosts()).map((post) => post.title)).toEqual(['Edited']);
    await expectCountersAgree();
  });
});

describe('case 42: a guid that changes on edit or migration', () => {
  const LINK =
    'http://Blog.Example/posts/state-spaces/?utm_source=rss&utm_medium=feed&page=2#part-2';
  const MOVED = 'https://www.blog.example/posts/state-spaces/?page=2&utm_campaign=x#part-2';

  it('normalises links: scheme, host case, www and utm_* fold; path, other parameters and fragment count', () => {
    expect(postLinkKey(LINK)).toBe(postLinkKey(MOVED));
    expect(postLinkKey('https://blog.example/Posts/state-spaces/?page=2#part-2')).not.toBe(
      postLinkKey(MOVED),
    );
    expect(postLinkKey('https://blog.example/posts/state-spaces/?page=2#part-3')).not.toBe(
      postLinkKey(MOVED),
    );
    expect(postLinkKey('https://blog.example/posts/state-spaces/?page=3#part-2')).not.toBe(
      postLinkKey(MOVED),
    );
    expect(postLinkKey('javascript:alert(1)')).toBeUndefined();
    expect(postLinkKey(undefined)).toBeUndefined();
  });

  it('treats a new guid with the same link as the same post: updated in place, read state kept, no second copy', async () => {
    const published = NOW - 2 * DAY;
    const [old] = (await poll([aPost({ guid: 'wp-123', url: LINK, publishedAt: published })]))
      .added;
    await markRead(db, [old!.id], NOW - DAY);

    const result = await poll([
      aPost({
        guid: 'https://www.blog.example/posts/state-spaces/',
        url: MOVED,
        title: 'State spaces (edited)',
        publishedAt: published,
      }),
    ]);

    expect(result).toMatchObject({ added: [], updated: 1, changed: true });
    const stored = await storedPosts();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: old!.id,
      guid: 'https://www.blog.example/posts/state-spaces/',
      url: MOVED,
      title: 'State spaces (edited)',
      readAt: NOW - DAY,
      firstSeenAt: old!.firstSeenAt,
    });
    expect(await unreadTotal(db)).toBe(0);

    // The next poll finds it by its new guid: nothing more is written.
    probe.clear();
    expect(await poll([aPost({ ...stored[0]!, content: undefined })])).toMatchObject({
      changed: false,
    });
    expect(probe.writes.filter((write) => write.table !== 'feeds')).toEqual([]);
  });

  it('re-identifies a whole feed whose guids all changed (a site migration), keeping each read state', async () => {
    const items = [1, 2, 3].map((n) =>
      aPost({ guid: `old-${n}`, url: `http://blog.example/p/${n}`, publishedAt: NOW - n * DAY }),
    );
    const { added } = await poll(items);
    await markRead(db, [added[1]!.id], NOW);

    const migrated = items.map((item, i) => ({
      ...item,
      guid: `https://blog.example/p/${i + 1}`,
      url: `https://blog.example/p/${i + 1}?utm_source=feed`,
    }));
    const result = await poll(migrated, NOW + MINUTE);

    expect(result).toMatchObject({ added: [], updated: 3 });
    expect((await storedPosts()).map((post) => [post.guid, post.readAt])).toEqual([
      ['https://blog.example/p/1', 0],
      ['https://blog.example/p/2', NOW],
      ['https://blog.example/p/3', 0],
    ]);
    expect(await unreadTotal(db)).toBe(2);
    await expectCountersAgree();
  });

  it.each<[string, (stored: NewPost) => NewPost[]]>([
    [
      'the old guid is still in the feed (two live items are two posts)',
      (stored) => [
        stored,
        aPost({ guid: 'twin', url: stored.url, publishedAt: stored.publishedAt }),
      ],
    ],
    [
      'the link differs only in its fragment',
      (stored) => [
        aPost({ guid: 'new', url: `${stored.url}#comments`, publishedAt: stored.publishedAt }),
      ],
    ],
    [
      'the link differs only in the case of its path',
      (stored) => [
        aPost({ guid: 'new', url: stored.url!.toUpperCase(), publishedAt: stored.publishedAt }),
      ],
    ],
    [
      'the same address is published again days later (a page re-used for news)',
      (stored) => [aPost({ guid: 'new', url: stored.url, publishedAt: NOW })],
    ],
    [
      'two new items share the link (a feed linking every item to its home page)',
      (stored) => [
        aPost({ guid: 'a', url: stored.url, publishedAt: stored.publishedAt }),
        aPost({ guid: 'b', url: stored.url, publishedAt: stored.publishedAt }),
      ],
    ],
    [
      'only the title is the same (titles are never a key)',
      (stored) => [aPost({ guid: 'new', title: stored.title, publishedAt: stored.publishedAt })],
    ],
  ])('stores a new post when %s', async (_case, next) => {
    const first = aPost({
      guid: 'kept',
      url: 'https://blog.example/p/kept',
      publishedAt: NOW - 3 * DAY,
    });
    const [stored] = (await poll([first])).added;
    await markRead(db, [stored!.id], NOW - DAY);

    const incoming = next(first);
    const result = await poll(incoming, NOW + MINUTE);

    const newGuids = incoming.map((post) => post.guid).filter((guid) => guid !== 'kept');
    expect(result.added.map((post) => post.guid)).toEqual(newGuids);
    expect(await db.posts.get(stored!.id)).toMatchObject({ guid: 'kept', readAt: NOW - DAY });
    await expectCountersAgree();
  });

  it('does not match a post of another feed', async () => {
    const other = await aFeed(db);
    await savePollResult(db, other.id, {
      posts: [aPost({ guid: 'elsewhere', url: LINK, publishedAt: NOW })],
      feed: {},
      now: NOW,
    });

    const { added } = await poll([aPost({ guid: 'here', url: MOVED, publishedAt: NOW })]);

    expect(added).toHaveLength(1);
    expect(await db.posts.count()).toBe(2);
  });

  it(`looks back over the feed's ${RELINK_WINDOW} most recently stored posts only`, async () => {
    const oldest = aPost({
      guid: 'oldest',
      url: 'https://blog.example/p/oldest',
      publishedAt: NOW,
    });
    await poll([oldest]);
    await poll(
      Array.from({ length: RELINK_WINDOW }, (_, i) => aPost({ guid: `later-${i}` })),
      NOW + MINUTE,
    );

    const { added } = await poll([{ ...oldest, guid: 'oldest-renamed' }], NOW + 2 * MINUTE);

    expect(added.map((post) => post.guid)).toEqual(['oldest-renamed']);
  });
});

describe('case 44: a feed that drops old items', () => {
  it('keeps posts, read state, content, counters and the reading list when items leave the feed', async () => {
    const items = [
      aPost({ guid: 'a', content: '<p>A</p>' }),
      aPost({ guid: 'b', content: '<p>B</p>' }),
      aPost({ guid: 'c', categories: ['State Space Model'] }),
    ];
    const { added } = await poll(items);
    await markRead(db, [added[0]!.id], NOW);
    await saveToReadingList(db, { url: items[1]!.url!, title: 'B', postId: added[1]!.id }, NOW);
    const before = await dumpDb(db);

    const sliding = await poll([aPost({ guid: 'd' })], NOW + MINUTE);
    const empty = await poll([], NOW + 2 * MINUTE);

    expect(sliding.added.map((post) => post.guid)).toEqual(['d']);
    expect(empty).toMatchObject({ added: [], changed: false });
    const after = await dumpDb(db);
    expect(after.posts).toEqual([...before.posts!, sliding.added[0]]);
    expect(after.postContents).toEqual(before.postContents);
    expect(after.readingList).toEqual(before.readingList);
    expect(await getPostContent(db, added[1]!.id)).toBe('<p>B</p>');
    expect(await unreadTotal(db)).toBe(3);
    await expectCountersAgree();
  });

  it('does not bring a dropped post back unread when it returns to the feed', async () => {
    const item = aPost({ guid: 'returns' });
    const { added } = await poll([item]);
    await markRead(db, [added[0]!.id], NOW);
    await poll([aPost()], NOW + MINUTE);

    const back = await poll([item], NOW + 2 * MINUTE);

    expect(back).toMatchObject({ added: [], changed: false });
    expect((await db.posts.get(added[0]!.id))?.readAt).toBe(NOW);
    expect(await unreadTotal(db)).toBe(1);
  });
});

describe('case 46: the same feed followed twice', () => {
  const FOLLOWED = 'https://blog.example/Feed/index.xml';

  it.each([
    'http://blog.example/Feed/index.xml',
    'https://www.blog.example/Feed/index.xml',
    'https://BLOG.Example/Feed/index.xml/',
    'HTTP://WWW.BLOG.EXAMPLE:80/Feed/index.xml',
  ])('finds the followed feed under %s', async (spelling) => {
    const followed = await addFeed(db, { url: FOLLOWED, title: 'Edge Notes' }, NOW);

    expect(feedIdentityKey(spelling)).toBe(feedIdentityKey(FOLLOWED));
    expect((await findFeedByUrl(db, spelling))?.id).toBe(followed.id);
  });

  it('keeps the case of the path: /feed/index.xml is another feed', async () => {
    await addFeed(db, { url: FOLLOWED, title: 'Edge Notes' }, NOW);

    expect(await findFeedByUrl(db, 'https://blog.example/feed/index.xml')).toBeUndefined();
  });

  it('refuses a second spelling inside the subscribe transaction, writing nothing', async () => {
    await addFeed(db, { url: FOLLOWED, title: 'Edge Notes' }, NOW);
    const before = await dumpDb(db);

    await expect(
      addFeedWithPosts(
        db,
        { url: 'http://www.blog.example/Feed/index.xml/', title: 'Twin' },
        { posts: [aPost()], feed: {}, now: NOW },
      ),
    ).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await dumpDb(db)).toEqual(before);
  });

  it('tells the user "You already follow …" without fetching anything', async () => {
    const followed = await addFeed(db, { url: FOLLOWED, title: 'Edge Notes' }, NOW);
    const before = await dumpDb(db);
    const requested: string[] = [];
    const deps: SubscribeDeps = {
      db,
      now: () => NOW,
      baseIntervalMs: 30 * MINUTE,
      wordsPerMinute: 230,
      hasOrigin: async () => true,
      fetch: async (input) => {
        requested.push(String(input));
        throw new TypeError('Failed to fetch');
      },
    };

    const result = await subscribe('http://WWW.Blog.Example/Feed/index.xml/', deps);

    expect(result).toEqual({
      ok: false,
      code: 'already-followed',
      message: `You already follow Edge Notes (${FOLLOWED}).`,
      feedId: followed.id,
    });
    expect(requested).toEqual([]);
    expect(await dumpDb(db)).toEqual(before);
  });
});

describe('case 47: a poll cut off at any point', () => {
  /** A poll with everything a write can touch: new posts with content, an edit, a read post. */
  async function arrange() {
    const known = [aPost({ guid: 'known', content: '<p>v1</p>' }), aPost({ guid: 'read' })];
    const { added } = await poll(known, NOW, { etag: '"v1"' });
    await markRead(db, [added[1]!.id], NOW);
    const next: PollWrite = {
      posts: [
        aPost({ guid: 'new-1', content: '<p>New</p>', categories: ['State Space Model'] }),
        aPost({ guid: 'new-2' }),
        { ...known[0]!, title: 'Known, edited', content: '<p>v2</p>' },
        known[1]!,
      ],
      feed: { etag: '"v2"', lastCheckedAt: NOW + MINUTE },
      now: NOW + MINUTE,
    };
    return next;
  }

  it('makes several separate writes in one transaction (what the cut-off points below cover)', async () => {
    const next = await arrange();
    probe.clear();

    await savePollResult(db, feed.id, next);

    expect(probe.writes.map((write) => write.table)).toEqual([
      'posts',
      'postTerms',
      'postContents',
      'posts',
      'postTerms',
      'postContents',
      'unreadCounts',
      'feeds',
    ]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'leaves nothing when cut at write %i, and the poll run again stores each post once',
    async (cut) => {
      const next = await arrange();
      const before = await dumpDb(db);

      probe.failFrom(cut, new DOMException('The transaction was aborted.', 'AbortError'));
      await expect(savePollResult(db, feed.id, next)).rejects.toBeDefined();
      probe.heal();
      expect(await dumpDb(db)).toEqual(before);

      await savePollResult(db, feed.id, next);
      await savePollResult(db, feed.id, next);

      const stored = await storedPosts();
      expect(stored.map((post) => post.guid).sort()).toEqual(['known', 'new-1', 'new-2', 'read']);
      expect(stored.find((post) => post.guid === 'read')?.readAt).toBe(NOW);
      expect((await db.feeds.get(feed.id))?.etag).toBe('"v2"');
      expect(await unreadTotal(db)).toBe(3);
      await expectCountersAgree();
    },
  );
});

describe('case 48: storage full or IndexedDB unavailable', () => {
  it('aborts the whole poll on a full disk: nothing half-written, a StorageError in words', async () => {
    const { added } = await poll([aPost({ guid: 'a' }), aPost({ guid: 'b' })], NOW, {
      etag: '"v1"',
    });
    await markRead(db, [added[0]!.id], NOW);
    const before = await dumpDb(db);

    // The posts are written, then their content hits the quota.
    probe.failFrom(2);
    const failed = poll(
      [aPost({ guid: 'c', content: '<p>Long</p>' }), aPost({ guid: 'a', title: 'Edited' })],
      NOW + MINUTE,
      { etag: '"v2"', lastCheckedAt: NOW + MINUTE },
    );

    await expect(failed).rejects.toMatchObject({
      name: 'StorageError',
      code: 'storage-full',
      message: STORAGE_FULL_MESSAGE,
    });
    expect(STORAGE_FULL_MESSAGE).toMatch(/^Storage is full/);
    probe.heal();
    expect(await dumpDb(db)).toEqual(before);
  });

  it('follows nothing when the first poll of a new blog hits a full disk', async () => {
    const before = await dumpDb(db);
    probe.failFrom(1);

    await expect(
      addFeedWithPosts(
        db,
        { url: 'https://new.example/feed.xml', title: 'New' },
        { posts: [aPost()], feed: {}, now: NOW },
      ),
    ).rejects.toMatchObject({ name: 'StorageError', code: 'storage-full' });
    probe.heal();
    expect(await dumpDb(db)).toEqual(before);
  });

  it('says "cannot open its database" when there is no IndexedDB, for a poll and for the pages', async () => {
    const broken = createDb(`no-idb-${crypto.randomUUID()}`, { indexedDB: undefined });

    await expect(
      savePollResult(broken, 1, { posts: [aPost()], feed: {}, now: NOW }),
    ).rejects.toMatchObject({ name: 'StorageError', code: 'storage-unavailable' });
    // What the pages' queries reject with, and the words their error edge gives it.
    for (const read of [listUnread, listReadingList, unreadTotal]) {
      const error = await read(broken).catch((cause: unknown) => cause);
      expect(storageProblemMessage(error)).toBe(STORAGE_UNAVAILABLE_MESSAGE);
    }
  });

  it('says the same when the browser refuses to open the database (a private window)', async () => {
    const refusing = {
      open() {
        throw new DOMException(
          'A mutation operation was attempted on a database that did not allow mutations.',
          'InvalidStateError',
        );
      },
      cmp: (a: unknown, b: unknown) => indexedDB.cmp(a, b),
      deleteDatabase: () => indexedDB.deleteDatabase('never'),
      databases: async () => [],
    } as unknown as IDBFactory;
    const broken = createDb(`refused-${crypto.randomUUID()}`, { indexedDB: refusing });

    const error = await listUnread(broken).catch((cause: unknown) => cause);

    expect(storageProblemMessage(error)).toBe(STORAGE_UNAVAILABLE_MESSAGE);
  });

  it('leaves other errors alone (a data error keeps its name for its caller)', async () => {
    await addFeed(db, { url: 'https://same.example/feed', title: 'Same' }, NOW);

    await expect(
      addFeed(db, { url: 'https://same.example/feed', title: 'Same' }, NOW),
    ).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(storageProblemMessage(new Dexie.ConstraintError())).toBeUndefined();
  });
});

describe('a post edited on the blog', () => {
  it('is updated in place, keeps its read state, saved item and first-seen time', async () => {
    const original = aPost({ guid: 'edited', title: 'Draft title', content: '<p>Draft</p>' });
    const { added } = await poll([original]);
    const id = added[0]!.id;
    await markRead(db, [id], NOW);
    await saveToReadingList(db, { url: original.url!, title: 'Draft title', postId: id }, NOW);

    const result = await poll(
      [{ ...original, title: 'Final title', content: '<p>Final</p>', categories: ['Other'] }],
      NOW + DAY,
    );

    expect(result).toEqual({ added: [], updated: 1, changed: true });
    expect(await db.posts.count()).toBe(1);
    expect(await db.posts.get(id)).toMatchObject({
      title: 'Final title',
      categories: ['Other'],
      readAt: NOW,
      firstSeenAt: NOW,
    });
    expect(await getPostContent(db, id)).toBe('<p>Final</p>');
    expect((await listReadingList(db)).map((item) => item.postId)).toEqual([id]);
    expect(await unreadTotal(db)).toBe(0);
    await expectCountersAgree();
  });

  it('moves an unread post between categories in the counters', async () => {
    const original = aPost({ guid: 'moved', categories: ['Transformer'], minutes: 4 });
    await poll([original]);

    await poll([{ ...original, categories: ['State Space Model'], minutes: 6 }], NOW + DAY);

    const rows = (await listUnreadCounts(db)).filter((row) => row.unread > 0);
    expect(rows.map(({ category, unread, minutes }) => [category, unread, minutes])).toEqual([
      ['', 1, 6],
      ['State Space Model', 1, 6],
    ]);
    await expectCountersAgree();
  });

  it('loses a field the feed stopped sending (an author removed), once', async () => {
    const original = aPost({ guid: 'author', author: 'Ada' });
    const { added } = await poll([original]);
    const { author: _removed, ...withoutAuthor } = original;

    expect(await poll([withoutAuthor], NOW + DAY)).toMatchObject({ updated: 1 });
    expect((await db.posts.get(added[0]!.id))?.author).toBeUndefined();
    expect(await poll([withoutAuthor], NOW + 2 * DAY)).toMatchObject({ changed: false });
  });
});

describe('a 200 answer whose items are all stored and unchanged', () => {
  it('writes no post, content or counter row, and reports no change', async () => {
    const items = [
      aPost({ guid: 'x', content: '<p>X</p>' }),
      aPost({ guid: 'y', publishedAt: undefined }),
      aPost({ guid: 'z', publishedAt: NOW + 30 * DAY }),
    ];
    await poll(items, NOW, { etag: '"v1"' });
    probe.clear();

    const again = await poll(items, NOW + MINUTE, { etag: '"v1"', lastCheckedAt: NOW + MINUTE });

    expect(again).toEqual({ added: [], updated: 0, changed: false });
    expect(probe.writes).toEqual([{ table: 'feeds', type: 'put', count: 1 }]);
    expect((await db.feeds.get(feed.id))?.lastCheckedAt).toBe(NOW + MINUTE);
  });
});
