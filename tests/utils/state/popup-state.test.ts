import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { TabsAdapter } from '@/utils/browser/tabs';
import type { DispatchDb } from '@/utils/db/db';
import { markRead, savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import type { Feed, NewPost, Post } from '@/utils/db/types';
import type { PollSummary } from '@/utils/messaging';
import {
  createPopupState,
  describePoll,
  groupByCategory,
  type PopupState,
} from '@/utils/state/popup-state';
import { aFeed, aPost, freshDb } from '../../helpers/db';
import { fakeTabs } from '../../helpers/fakes';

const NOW = Date.UTC(2026, 2, 12, 12);

async function store(db: DispatchDb, feed: Feed, posts: NewPost[]): Promise<Post[]> {
  return (await savePollResult(db, feed.id, { posts, feed: {}, now: NOW })).added;
}

/** Answers `pollNow` from the fake service worker. */
function answerPoll(answer: () => Promise<PollSummary>) {
  fakeBrowser.runtime.onMessage.addListener((message: unknown) =>
    (message as { dispatch?: string }).dispatch === 'pollNow'
      ? answer().then((ok) => ({ ok }))
      : undefined,
  );
}

describe('groupByCategory', () => {
  const post = (id: number, categories: string[], minutes = 2) =>
    ({ id, feedId: 1, categories, minutes }) as Post;

  it('puts a post in a section per category, sections in order of their newest post', () => {
    const sections = groupByCategory(
      [post(3, ['SSM', 'Attention'], 3), post(2, []), post(1, ['attention'], 4)],
      new Map([[1, 'Edge Notes']]),
    );

    expect(sections.map(({ name, count, minutes }) => ({ name, count, minutes }))).toEqual([
      { name: 'SSM', count: 1, minutes: 3 },
      { name: 'Attention', count: 2, minutes: 7 },
      { name: 'Uncategorized', count: 1, minutes: 2 },
    ]);
    expect(sections[1]?.entries.map((entry) => entry.post.id)).toEqual([3, 1]);
    expect(sections[0]?.entries[0]?.blog).toBe('Edge Notes');
  });
});

describe('describePoll', () => {
  it.each([
    [{ checked: 2, newPosts: 3, failed: 0 }, 'Checked 2 blogs: 3 new posts.'],
    [{ checked: 1, newPosts: 0, failed: 0 }, 'Checked 1 blog: no new posts.'],
    [
      { checked: 2, newPosts: 1, failed: 1 },
      'Checked 2 blogs: 1 new post. 1 could not be checked.',
    ],
  ])('says %o as "%s"', (summary, words) => {
    expect(describePoll(summary)).toBe(words);
  });

  it('names the blogs that are gone instead of saying nothing was checked', () => {
    expect(describePoll({ checked: 0, newPosts: 0, failed: 0 }, ['Edge Notes'])).toBe(
      'Not checked, gone (HTTP 410): Edge Notes — use "Check now" in Settings to try again.',
    );
    expect(describePoll({ checked: 1, newPosts: 0, failed: 0 }, ['Edge Notes'])).toMatch(
      /^Checked 1 blog: no new posts\. Not checked, gone/,
    );
  });
});

describe('createPopupState', () => {
  let db: DispatchDb;
  let state: PopupState | undefined;
  let errors: unknown[];

  function create(tabs: TabsAdapter = fakeTabs().tabs): PopupState {
    state = createPopupState({ db, now: () => NOW, tabs, onError: (error) => errors.push(error) });
    return state;
  }

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    errors = [];
  });

  afterEach(() => {
    state?.dispose();
    state = undefined;
    expect(errors).toEqual([]);
  });

  it('starts empty and says so once loaded', async () => {
    const popup = create();

    await vi.waitFor(() => expect(popup.loaded.value).toBe(true));
    expect(popup.feeds.value).toEqual([]);
    expect(popup.sections.value).toEqual([]);
    expect(popup.unreadTotal.value).toBe(0);
    expect(popup.lastCheckedAt.value).toBe(0);
  });

  it('groups unread posts by category, newest first, with counts and minutes', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    await store(db, feed, [
      aPost({ title: 'Old', categories: ['Transformer'], publishedAt: NOW - 3000, minutes: 2 }),
      aPost({
        title: 'Both',
        categories: ['SSM', 'Transformer'],
        publishedAt: NOW - 1000,
        minutes: 5,
      }),
      aPost({ title: 'Plain', categories: [], publishedAt: NOW - 2000, minutes: 1 }),
    ]);

    const popup = create();

    await vi.waitFor(() => expect(popup.sections.value).toHaveLength(3));
    expect(popup.unreadPosts.value.map((post) => post.title)).toEqual(['Both', 'Plain', 'Old']);
    expect(
      popup.sections.value.map((section) => [
        section.name,
        section.count,
        section.minutes,
        section.entries.map((entry) => entry.post.title),
      ]),
    ).toEqual([
      ['SSM', 1, 5, ['Both']],
      ['Transformer', 2, 7, ['Both', 'Old']],
      ['Uncategorized', 1, 1, ['Plain']],
    ]);
    expect(popup.unreadTotal.value).toBe(3);
  });

  it('takes the last check from the most recently checked blog', async () => {
    await aFeed(db, { lastCheckedAt: NOW - 5000 });
    await aFeed(db, { lastCheckedAt: NOW - 1000 });

    const popup = create();

    await vi.waitFor(() => expect(popup.lastCheckedAt.value).toBe(NOW - 1000));
  });

  it('follows writes made elsewhere (the service worker)', async () => {
    const feed = await aFeed(db);
    const popup = create();
    await vi.waitFor(() => expect(popup.loaded.value).toBe(true));

    const [post] = await store(db, feed, [aPost()]);
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(1));

    await markRead(db, [post!.id], NOW);
    await vi.waitFor(() => expect(popup.unreadPosts.value).toEqual([]));
    expect(popup.unreadTotal.value).toBe(0);
  });

  it('marks a post read and updates the badge', async () => {
    const feed = await aFeed(db);
    const [first] = await store(db, feed, [aPost(), aPost()]);
    const popup = create();
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));

    await popup.markRead(first!);

    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(1));
    expect(popup.unreadPosts.value.map((post) => post.id)).not.toContain(first!.id);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
  });

  it('opens a post in a new tab and marks it read', async () => {
    const feed = await aFeed(db);
    const [post] = await store(db, feed, [aPost({ url: 'https://blog.example/a' })]);
    const { tabs, opened } = fakeTabs();
    const popup = create(tabs);

    await popup.openPost(post!);

    expect(opened).toEqual(['https://blog.example/a']);
    expect((await db.posts.get(post!.id))?.readAt).toBe(NOW);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('refuses to open a post whose link is not http(s), and leaves it unread', async () => {
    const feed = await aFeed(db);
    const [post] = await store(db, feed, [aPost({ url: 'javascript:alert(1)' })]);
    const { tabs, opened } = fakeTabs();
    const popup = create(tabs);

    await popup.openPost(post!);

    expect(opened).toEqual([]);
    expect((await db.posts.get(post!.id))?.readAt).toBe(0);
    expect(popup.message.value).toBe('This post has no web address to open.');
  });

  it('saves a post to the reading list, with its blog and reading time', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const [post] = await store(db, feed, [
      aPost({ url: 'https://blog.example/a', title: 'A', minutes: 4 }),
    ]);
    const popup = create();

    await popup.savePost(post!);

    await vi.waitFor(() => expect(popup.savedUrls.value.has('https://blog.example/a')).toBe(true));
    expect(popup.readingList.value).toMatchObject([
      {
        url: 'https://blog.example/a',
        title: 'A',
        source: 'Edge Notes',
        minutes: 4,
        postId: post!.id,
      },
    ]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
  });

  it('lists finished items apart, most recently finished first, and removes items', async () => {
    const first = await saveToReadingList(db, { url: 'https://a.example/', title: 'A' }, 1);
    const second = await saveToReadingList(db, { url: 'https://b.example/', title: 'B' }, 2);
    const third = await saveToReadingList(db, { url: 'https://c.example/', title: 'C' }, 3);
    let time = NOW;
    state = createPopupState({ db, now: () => (time += 1000), tabs: fakeTabs().tabs });
    const popup = state;

    await popup.finishItem(first);
    await popup.finishItem(third);
    await vi.waitFor(() => expect(popup.finishedItems.value).toHaveLength(2));
    expect(popup.finishedItems.value.map((item) => item.title)).toEqual(['C', 'A']);
    expect(popup.readingList.value.map((item) => item.title)).toEqual(['B']);

    await popup.removeItem(second);
    await vi.waitFor(() => expect(popup.readingList.value).toEqual([]));
    expect(popup.savedUrls.value).toEqual(new Set(['https://a.example/', 'https://c.example/']));
  });

  it('opens a saved item and counts its post as read', async () => {
    const feed = await aFeed(db);
    const [post] = await store(db, feed, [aPost({ url: 'https://blog.example/a' })]);
    const item = await saveToReadingList(
      db,
      { url: 'https://blog.example/a', title: 'A', postId: post!.id },
      NOW,
    );
    const { tabs, opened } = fakeTabs();
    const popup = create(tabs);

    await popup.openItem(item);

    expect(opened).toEqual(['https://blog.example/a']);
    expect((await db.posts.get(post!.id))?.readAt).toBe(NOW);
  });

  it('refreshes through the service worker, busy meanwhile, and says what it found', async () => {
    let finish: ((summary: PollSummary) => void) | undefined;
    answerPoll(() => new Promise((resolve) => (finish = resolve)));
    const popup = create();

    const refreshing = popup.refresh();
    expect(popup.refreshing.value).toBe(true);
    await vi.waitFor(() => expect(finish).toBeDefined());
    finish!({ checked: 1, newPosts: 2, failed: 0 });
    await refreshing;

    expect(popup.refreshing.value).toBe(false);
    expect(popup.message.value).toBe('Checked 1 blog: 2 new posts.');
  });

  it('says so when the service worker cannot be reached', async () => {
    const reported: unknown[] = [];
    state = createPopupState({ db, now: () => NOW, onError: (error) => reported.push(error) });

    await state.refresh();

    expect(state.refreshing.value).toBe(false);
    expect(state.message.value).toMatch(/^Could not check for new posts: /);
    expect(reported).toHaveLength(1);
  });

  it('says so when the database cannot be read', async () => {
    vi.spyOn(db.feeds, 'orderBy').mockImplementation(() => {
      throw new Error('broken');
    });
    const popup = create();

    await vi.waitFor(() => expect(popup.loaded.value).toBe(true));
    expect(popup.message.value).toBe('Could not read your posts: broken');
    expect(errors.length).toBeGreaterThan(0);
    errors = [];
  });

  it('opens the options page', async () => {
    const { tabs, opened } = fakeTabs();
    const popup = create(tabs);

    await popup.openOptions();

    expect(opened).toEqual(['options']);
  });
});
