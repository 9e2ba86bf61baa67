/**
 * The popup observes the section, budget, read-list and search reads with Dexie's `liveQuery`:
 * each must run inside it and run again after a write that changes its answer, including
 * writes that only touch the multi-entry indexes (marking read, an edited title).
 */
import { liveQuery } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { markRead, markUnread, savePollResult } from '@/utils/db/posts';
import { searchPosts } from '@/utils/db/search';
import {
  countFitting,
  listRecentlyRead,
  listSectionPosts,
  sectionPostIds,
} from '@/utils/db/sections';
import type { Post } from '@/utils/db/types';
import { aFeed, aPost, freshDb } from '../../helpers/db';

const NOW = Date.UTC(2026, 2, 10);

/** Follows `query` with liveQuery; `next(predicate)` resolves with the first answer that passes. */
function observe<T>(query: () => Promise<T>) {
  const answers: T[] = [];
  const waiting: { test: (value: T) => boolean; resolve: (value: T) => void }[] = [];
  const subscription = liveQuery(query).subscribe({
    next(value) {
      answers.push(value);
      const met = waiting.filter((wait) => wait.test(value));
      waiting.splice(0, waiting.length, ...waiting.filter((wait) => !met.includes(wait)));
      for (const wait of met) wait.resolve(value);
    },
    error(error: unknown) {
      throw error;
    },
  });
  return {
    next(test: (value: T) => boolean): Promise<T> {
      const seen = answers.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.push({ test, resolve }));
    },
    stop: () => subscription.unsubscribe(),
    answers,
  };
}

async function seed(db: DispatchDb): Promise<Post[]> {
  const feed = await aFeed(db);
  const { added } = await savePollResult(db, feed.id, {
    posts: [
      aPost({ guid: 'a', title: 'Okapi in the forest', categories: ['Vision'], minutes: 3 }),
      aPost({ guid: 'b', title: 'Giraffe notes', categories: ['Vision'], minutes: 4 }),
    ],
    feed: {},
    now: NOW,
  });
  return added;
}

const ids = (posts: Post[]) => posts.map((post) => post.id);

describe('reads observed with liveQuery', () => {
  it('a section page follows posts marked read and unread', async () => {
    const db = freshDb();
    const [okapi, giraffe] = await seed(db);
    const live = observe(() => listSectionPosts(db, 'vision', 0, 10));
    await live.next((posts) => posts.length === 2);

    await markRead(db, [okapi!.id], NOW);
    expect(ids(await live.next((posts) => posts.length === 1))).toEqual([giraffe!.id]);

    await markUnread(db, [okapi!.id]);
    expect((await live.next((posts) => posts.length === 2)).length).toBe(2);
    live.stop();
  });

  it('section ids, the budget and the read list follow a read', async () => {
    const db = freshDb();
    const [okapi] = await seed(db);
    const liveIds = observe(() => sectionPostIds(db, 'vision'));
    const liveBudget = observe(() => countFitting(db, 5));
    const liveRead = observe(() => listRecentlyRead(db, 0, 10));
    await liveBudget.next((budget) => budget.count === 2);

    await markRead(db, [okapi!.id], NOW);

    expect(await liveIds.next((found) => found.length === 1)).not.toContain(okapi!.id);
    expect(await liveBudget.next((budget) => budget.count === 1)).toEqual({ count: 1, minutes: 4 });
    expect(ids(await liveRead.next((posts) => posts.length === 1))).toEqual([okapi!.id]);
    for (const live of [liveIds, liveBudget, liveRead]) live.stop();
  });

  it('a search follows an edited title', async () => {
    const db = freshDb();
    const feed = await aFeed(db);
    const post = aPost({ guid: 'e', title: 'Draft about hyenas' });
    await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });
    const live = observe(() => searchPosts(db, 'giraffe'));
    await live.next((result) => result.total === 0);

    await savePollResult(db, feed.id, {
      posts: [{ ...post, title: 'Final about giraffes' }],
      feed: {},
      now: NOW + 1,
    });

    const found = await live.next((result) => result.total === 1);
    expect(found.posts.map((p) => p.title)).toEqual(['Final about giraffes']);
    live.stop();
  });
});
