/** Builders for database tests: a fresh database per test and plausible records. */
import { createDb, type DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import type { Feed, NewPost } from '@/utils/db/types';

export function freshDb(): DispatchDb {
  return createDb(`test-${crypto.randomUUID()}`);
}

let counter = 0;

export function aPost(overrides: Partial<NewPost> = {}): NewPost {
  counter += 1;
  return {
    guid: `guid-${counter}`,
    url: `https://blog.example/posts/${counter}/`,
    title: `Post ${counter}`,
    summary: 'A summary.',
    categories: ['Transformer'],
    publishedAt: Date.UTC(2026, 2, 1) + counter * 60_000,
    words: 460,
    minutes: 2,
    minutesFromSummary: false,
    ...overrides,
  };
}

export async function aFeed(db: DispatchDb, overrides: Partial<Feed> = {}): Promise<Feed> {
  const feed = await addFeed(
    db,
    { url: `https://blog.example/feed-${crypto.randomUUID()}.xml`, title: 'Edge Notes' },
    1_000,
  );
  if (Object.keys(overrides).length > 0) await db.feeds.update(feed.id, overrides);
  return { ...feed, ...overrides };
}
