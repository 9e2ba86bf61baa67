import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addFeed, removeFeed } from '@/utils/db/feeds';
import { markRead, markUnread, savePollResult } from '@/utils/db/posts';
import { addToReadingList, finishReadingItem } from '@/utils/db/reading-list';
import type { Post } from '@/utils/db/types';
import { runSync } from '@/utils/sync';
import { READ_WINDOW } from '@/utils/sync/local';
import { aPost } from '../../helpers/db';
import { aBrowser, fakeArea, type FakeArea } from './fakes';

const MINUTE = 60_000;
type Browser = Awaited<ReturnType<typeof aBrowser>>;

let sync: FakeArea;
let clock: { now: number };
let a: Browser;
let posts: Post[];
/** Calls that walk the read posts' window (the read a quiet tick must not make). */
let windowReads: () => number;

beforeEach(async () => {
  sync = fakeArea({ quotas: true });
  clock = { now: Date.UTC(2026, 5, 1) };
  a = await aBrowser(sync, clock);
  const feed = await addFeed(a.db, { url: 'https://blog.example/feed.xml', title: 'Blog' }, 0);
  await addFeed(a.db, { url: 'https://other.example/feed.xml', title: 'Other' }, 0);
  const guids = ['p1', 'p2', 'p3'];
  await savePollResult(a.db, feed.id, {
    posts: guids.map((guid) => aPost({ guid, url: `https://blog.example/${guid}` })),
    feed: {},
    now: clock.now,
  });
  posts = await a.db.posts.toArray();
  await markRead(a.db, [posts[0]!.id], clock.now - 2 * MINUTE);
  await markRead(a.db, [posts[1]!.id], clock.now - MINUTE);
  await addToReadingList(a.db, { url: 'https://one.example/', title: 'One' }, clock.now);
  await a.syncNow();
  clock.now += 5 * MINUTE;
  const limit = vi.spyOn(Object.getPrototypeOf(a.db.posts.toCollection()), 'limit');
  windowReads = () => limit.mock.calls.filter(([n]) => n === READ_WINDOW).length;
});

const other = async () => (await a.db.feeds.toArray()).find((feed) => feed.title === 'Other')!;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runSync on a tick', () => {
  it('does no window read and no write when nothing changed', async () => {
    const writes = [sync.writes, a.local.writes];

    expect(await runSync(a.deps, 'tick')).toBeUndefined();

    expect(windowReads()).toBe(0);
    expect([sync.writes, a.local.writes]).toEqual(writes);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['a post read', () => markRead(a.db, [posts[2]!.id], clock.now)],
    ['the newest read post marked unread', () => markUnread(a.db, [posts[1]!.id])],
    ['an older read post marked unread', () => markUnread(a.db, [posts[0]!.id])],
    [
      'one post marked unread and another read',
      async () => {
        await markUnread(a.db, [posts[0]!.id]);
        await markRead(a.db, [posts[2]!.id], clock.now);
      },
    ],
    [
      'a blog added',
      () => addFeed(a.db, { url: 'https://new.example/feed.xml', title: 'New' }, clock.now),
    ],
    ['a blog removed', async () => removeFeed(a.db, (await other()).id)],
    ['a blog renamed', async () => a.db.feeds.update((await other()).id, { title: 'O.' })],
    [
      'a reading-list item finished',
      async () => finishReadingItem(a.db, (await a.db.readingList.toArray())[0]!.id, clock.now),
    ],
    ['a setting changed', () => a.local.set({ wordsPerMinute: 300 })],
  ])('runs the full cycle and writes after %s', async (_, change) => {
    await change();
    const writes = sync.writes;

    const report = await runSync(a.deps, 'tick');

    expect(report?.ok).toBe(true);
    expect(windowReads()).toBe(1);
    expect(sync.writes).toBeGreaterThan(writes);
    expect(await runSync(a.deps, 'tick')).toBeUndefined();
    expect(windowReads()).toBe(1);
  });

  it('runs the full cycle when the synced copy changed', async () => {
    const b = await aBrowser(sync, clock);
    await b.syncNow();
    await b.local.set({ wordsPerMinute: 320 });
    await b.syncNow();

    expect(await runSync(a.deps, 'tick')).toBeDefined();
    expect((await a.local.get(['wordsPerMinute'])).wordsPerMinute).toBe(320);
  });

  it('stops at the fingerprint again after a cycle that changed this browser', async () => {
    const b = await aBrowser(sync, clock);
    await b.syncNow();
    await runSync(b.deps, 'tick');
    const writes = [sync.writes, b.local.writes];
    const reads = windowReads();

    expect(await runSync(b.deps, 'tick')).toBeUndefined();

    expect(windowReads()).toBe(reads);
    expect([sync.writes, b.local.writes]).toEqual(writes);
  });
});
