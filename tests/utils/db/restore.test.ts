import { beforeEach, describe, expect, it } from 'vitest';
import { createBackup, type Backup } from '@/utils/backup';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { restoreRecords } from '@/utils/db/restore';
import type { Post } from '@/utils/db/types';
import {
  aPost,
  dumpDb,
  expectCountersToAgree,
  expectIndexFieldsToAgree,
  freshDb,
  probeStorage,
} from '../../helpers/db';

const NOW = Date.UTC(2026, 10, 29, 12);
/** Posts a blog: enough that a backup's few posts of it are looked up one by one. */
const PER_BLOG = 120;

let source: DispatchDb;

beforeEach(() => {
  source = freshDb();
});

/** Two blogs of {@link PER_BLOG} posts each, every third one read. */
async function twoBigBlogs(db: DispatchDb) {
  const blogs = [];
  for (const url of ['https://edge.example/feed.xml', 'https://quiet.example/rss']) {
    const feed = await addFeed(db, { url, title: url }, 1);
    const { added } = await savePollResult(db, feed.id, {
      posts: Array.from({ length: PER_BLOG }, () => aPost()),
      feed: {},
      now: 1_000,
    });
    await markRead(
      db,
      added.filter((_, index) => index % 3 === 0).map((post) => post.id),
      2_000,
    );
    blogs.push({ feed, posts: added });
  }
  return blogs;
}

/** The backup with only the first `count` posts of each blog (every post when undefined). */
function withPostsOfEachBlog(backup: Backup, count?: number): Backup {
  if (count === undefined) return backup;
  const posts = backup.feeds.flatMap((feed) =>
    backup.posts.filter((post) => post.feedUrl === feed.url).slice(0, count),
  );
  return { ...backup, posts };
}

const byGuid = (posts: Post[], guid: string) => posts.find((post) => post.guid === guid);

describe('restoreRecords', () => {
  it('does not look for stored posts of the blogs it has just added', async () => {
    await twoBigBlogs(source);
    const backup = await createBackup(source, NOW);
    const target = freshDb();
    const probe = probeStorage(target);

    const counts = await restoreRecords(target, backup, NOW);

    expect(counts).toEqual({ feeds: 2, posts: 2 * PER_BLOG, readingList: 0, markedRead: 0 });
    expect(probe.reads).not.toContain('posts');
    await expectCountersToAgree(target);
    await expectIndexFieldsToAgree(target);
  });

  // Every post: each blog's posts are read whole; a few of a blog's posts: each is looked up.
  it.each([
    ['every post', undefined],
    ['a few posts of each blog', 3],
  ])(
    'writes nothing when the same backup (%s) is restored twice over many posts',
    async (_, count) => {
      await twoBigBlogs(source);
      const backup = withPostsOfEachBlog(await createBackup(source, NOW), count);
      const target = freshDb();
      const probe = probeStorage(target);
      await twoBigBlogs(target);
      await restoreRecords(target, backup, NOW);
      const before = await dumpDb(target);
      probe.clear();

      const counts = await restoreRecords(target, backup, NOW);

      expect(counts).toEqual({ feeds: 0, posts: 0, readingList: 0, markedRead: 0 });
      expect(probe.writes).toEqual([]);
      expect(await dumpDb(target)).toEqual(before);
    },
  );

  it.each([
    ['every post', undefined],
    ['a few posts of each blog', 5],
  ])(
    'merges into blogs with many posts (%s): new posts added, read on either side stays read',
    async (_, count) => {
      const [edge] = await twoBigBlogs(source);
      const target = freshDb();
      await restoreRecords(target, await createBackup(source, NOW), NOW);
      // Unread on both sides until: here, the second read; in the backup, the third read and
      // one post more.
      const [, first, second, , third] = edge!.posts;
      const stored = await target.posts.toArray();
      await markRead(target, [byGuid(stored, second!.guid)!.id], 50);
      await markRead(source, [third!.id], 3_000);
      const { added } = await savePollResult(source, edge!.feed.id, {
        posts: [aPost({ title: 'New in the backup' })],
        feed: {},
        now: 4_000,
      });
      const backup = await createBackup(source, NOW);
      const fresh = backup.posts.find((post) => post.guid === added[0]!.guid)!;
      const slice = withPostsOfEachBlog(backup, count);
      const merged = count === undefined ? slice : { ...slice, posts: [...slice.posts, fresh] };

      const counts = await restoreRecords(target, merged, NOW);

      expect(counts).toEqual({ feeds: 0, posts: 1, readingList: 0, markedRead: 1 });
      const posts = await target.posts.toArray();
      expect(posts).toHaveLength(2 * PER_BLOG + 1);
      expect(byGuid(posts, first!.guid)!.readAt).toBe(0);
      expect(byGuid(posts, second!.guid)!.readAt).toBe(50);
      expect(byGuid(posts, third!.guid)!.readAt).toBe(3_000);
      expect(byGuid(posts, fresh.guid)).toMatchObject({ title: 'New in the backup', readAt: 0 });
      await expectCountersToAgree(target);
      await expectIndexFieldsToAgree(target);
    },
  );
});
