import { effect } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { DispatchDb } from '@/utils/db/db';
import { readFirstPaint } from '@/utils/db/first-paint';
import { markRead, savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import type { SearchResult } from '@/utils/db/search';
import type { Feed, NewPost, Post } from '@/utils/db/types';
import type { PollSummary } from '@/utils/messaging';
import { mutedSections } from '@/utils/category-modes';
import { unreadVisible } from '@/utils/db/unread-counts';
import { popupAlert } from '@/utils/health';
import { categoryModes } from '@/utils/settings';
import { CATEGORY_MODES_KEY, mutesFrom, readMutedSections } from '@/utils/state/overview';
import {
  MANY_POSTS,
  COLLAPSED_KEY,
  createPopupState,
  describePoll,
  PAGE_SIZE,
  type PagedRows,
  type PopupState,
  type PopupStateOptions,
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

  function create(options: PopupStateOptions = {}): PopupState {
    state = createPopupState({
      db,
      now: () => NOW,
      tabs: fakeTabs().tabs,
      onError: (error) => errors.push(error),
      ...options,
    });
    return state;
  }

  /** Rows `start` to `end - 1` once their pages have answered (undefined for a row missing). */
  async function rowsOf(rows: PagedRows, start: number, end: number) {
    rows.show(start, end);
    const read = () => Array.from({ length: end - start }, (_, i) => rows.at(start + i)?.title);
    await vi.waitFor(() => expect(read().every((title) => title !== undefined)).toBe(true));
    return read();
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

    expect(popup.loaded.value).toBe(false);
    await vi.waitFor(() => expect(popup.loaded.value).toBe(true));
    expect(popup.feeds.value).toEqual([]);
    expect(popup.sections.value).toEqual([]);
    expect(popup.unreadTotal.value).toBe(0);
    expect(popup.unreadMinutes.value).toBe(0);
    expect(popup.lastCheckedAt.value).toBe(0);
    expect(popup.message.value).toBe('');
  });

  it('starts from the first paint: loaded at once, its rows shown until the database answers', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes', lastCheckedAt: NOW - 1000 });
    await store(db, feed, [
      aPost({ title: 'Old', categories: ['Transformer'], publishedAt: NOW - 3000, minutes: 2 }),
      aPost({ title: 'New', categories: ['Transformer'], publishedAt: NOW - 1000, minutes: 3 }),
    ]);
    const initial = (await readFirstPaint({ name: db.name }))!;

    const popup = create({ initial });

    expect(popup.loaded.value).toBe(true);
    expect(popup.feeds.value).toBe(initial.feeds);
    expect(popup.lastCheckedAt.value).toBe(NOW - 1000);
    expect(popup.sections.value.map(({ key, unread }) => [key, unread])).toEqual([
      ['transformer', 2],
    ]);
    expect(popup.unreadTotal.value).toBe(2);
    expect(popup.unreadMinutes.value).toBe(5);
    const rows = popup.sectionRows('transformer');
    const [newest, oldest] = initial.rows.get('transformer')!;
    expect(rows.at(0)).toBe(newest);
    rows.show(0, 2);
    expect([rows.at(0), rows.at(1)]).toEqual([newest, oldest]);

    await store(db, feed, [
      aPost({ title: 'Newest', categories: ['Transformer'], publishedAt: NOW }),
    ]);

    await vi.waitFor(() =>
      expect([0, 1, 2].map((index) => rows.at(index)?.title)).toEqual(['Newest', 'New', 'Old']),
    );
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(3));
  });

  it('makes the sections and totals from the counters', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    await store(db, feed, [
      aPost({ title: 'Old', categories: ['Transformer'], publishedAt: NOW - 3000, minutes: 2 }),
      aPost({ title: 'Both', categories: ['SSM', 'Transformer'], minutes: 5 }),
      aPost({ title: 'Plain', categories: [], minutes: 1 }),
    ]);

    const popup = create();

    await vi.waitFor(() => expect(popup.sections.value).toHaveLength(3));
    expect(
      popup.sections.value.map(({ key, name, unread, minutes }) => [key, name, unread, minutes]),
    ).toEqual([
      ['ssm', 'SSM', 1, 5],
      ['transformer', 'Transformer', 2, 7],
      ['uncategorized', 'Uncategorized', 1, 1],
    ]);
    expect(popup.unreadTotal.value).toBe(3);
    expect(popup.unreadMinutes.value).toBe(8);
    expect(popup.blogTitles.value.get(feed.id)).toBe('Edge Notes');
  });

  it('reads a section a page at a time, newest first, and follows changes', async () => {
    const feed = await aFeed(db);
    const posts = await store(
      db,
      feed,
      Array.from({ length: PAGE_SIZE + 10 }, (_, i) =>
        aPost({ title: `P${i}`, categories: ['Big'], publishedAt: NOW - i * 1000 }),
      ),
    );
    const popup = create();
    const rows = popup.sectionRows('big');

    expect(rows.at(0)).toBeUndefined();
    expect(await rowsOf(rows, 0, 2)).toEqual(['P0', 'P1']);
    expect(rows.at(PAGE_SIZE)).toBeUndefined();
    expect(await rowsOf(rows, PAGE_SIZE, PAGE_SIZE + 2)).toEqual(['P50', 'P51']);
    expect(popup.sectionRows('big')).toBe(rows);

    await markRead(db, [posts[0]!.id], NOW);

    await vi.waitFor(() => expect(rows.at(0)?.title).toBe('P1'));
    await vi.waitFor(() => expect(rows.at(PAGE_SIZE)?.title).toBe('P51'));

    await store(db, feed, [aPost({ title: 'Newest', categories: ['Big'], publishedAt: NOW })]);

    await vi.waitFor(() => expect(rows.at(0)?.title).toBe('Newest'));
    await vi.waitFor(() => expect(rows.at(PAGE_SIZE)?.title).toBe('P50'));
  });

  it('reads the posts read most recently first, and knows when there are no more', async () => {
    const feed = await aFeed(db);
    const posts = await store(
      db,
      feed,
      Array.from({ length: PAGE_SIZE + 5 }, (_, i) => aPost({ title: `R${i}` })),
    );
    for (const [i, post] of posts.entries()) await markRead(db, [post.id], NOW - i * 1000);
    const popup = create();
    const rows = popup.readRows();

    expect(rows.length.value).toBeUndefined();
    expect(await rowsOf(rows, 0, 2)).toEqual(['R0', 'R1']);
    expect(rows.length.value).toBe(2 * PAGE_SIZE);
    expect(await rowsOf(rows, PAGE_SIZE, PAGE_SIZE + 5)).toEqual([
      'R50',
      'R51',
      'R52',
      'R53',
      'R54',
    ]);
    expect(rows.length.value).toBe(PAGE_SIZE + 5);
    rows.dispose();
  });

  it('lists the unread posts that fit a budget, shortest first, with their count and minutes', async () => {
    const feed = await aFeed(db);
    await store(db, feed, [
      aPost({ title: 'Nine', minutes: 9 }),
      aPost({ title: 'Two', minutes: 2 }),
      aPost({ title: 'Eleven', minutes: 11 }),
    ]);
    const budget = create().budget(10);

    await vi.waitFor(() => expect(budget.fits.value).toEqual({ count: 2, minutes: 11 }));
    expect(await rowsOf(budget.rows, 0, 2)).toEqual(['Two', 'Nine']);
    budget.dispose();
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

    const [post] = await store(db, feed, [aPost({ minutes: 4 })]);
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(1));
    expect(popup.unreadMinutes.value).toBe(4);

    await markRead(db, [post!.id], NOW);
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(0));
    expect(popup.sections.value).toEqual([]);
  });

  it('marks a post read and unread, and updates the badge each time', async () => {
    const feed = await aFeed(db);
    const [first] = await store(db, feed, [aPost(), aPost()]);
    const popup = create();
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));

    await popup.markRead(first!);

    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(1));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    await popup.markUnread({ ...first!, readAt: NOW });

    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('2');
  });

  it('marks a section read with an undo that restores exactly the posts it changed', async () => {
    const feed = await aFeed(db);
    const [a, b, readBefore] = await store(db, feed, [
      aPost({ categories: ['SSM'] }),
      aPost({ categories: ['SSM'] }),
      aPost({ categories: ['SSM'] }),
      aPost({ categories: ['Other'] }),
    ]);
    await markRead(db, [readBefore!.id], NOW - 1000);
    const popup = create();
    await vi.waitFor(() => expect(popup.sections.value).toHaveLength(2));

    await popup.markSectionRead(popup.sections.value[1]!);

    expect(popup.undo.current.value?.message).toBe('Marked 2 posts in SSM read.');
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(1));
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');

    await popup.runUndo();

    expect(popup.undo.current.value).toBeUndefined();
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(3));
    const after = await db.posts.bulkGet([a!.id, b!.id, readBefore!.id]);
    expect(after.map((post) => post?.readAt)).toEqual([0, 0, NOW - 1000]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
  });

  it('marks everything read with an undo, and offers nothing when nothing changed', async () => {
    const feed = await aFeed(db);
    await store(db, feed, [aPost(), aPost({ categories: ['Other'] })]);
    const popup = create();

    await popup.markAllRead();

    expect(popup.undo.current.value?.message).toBe('Marked 2 posts read.');
    await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(0));
    popup.undo.dismiss();

    await popup.markAllRead();
    expect(popup.undo.current.value).toBeUndefined();

    await popup.runUndo();
    expect(popup.unreadTotal.value).toBe(0);
  });

  it('says it is working while it marks many posts read, then offers the undo', async () => {
    const feed = await aFeed(db);
    await store(
      db,
      feed,
      Array.from({ length: MANY_POSTS }, () => aPost()),
    );
    const popup = create();
    const said: string[] = [];
    const stop = effect(() => void said.push(popup.message.value));

    await popup.markAllRead();
    stop();

    expect(said).toContain(`Marking ${MANY_POSTS} posts read…`);
    expect(popup.message.value).toBe('');
    expect(popup.undo.current.value?.message).toBe(`Marked ${MANY_POSTS} posts read.`);
  });

  it('says so when an undo fails', async () => {
    const popup = create();
    popup.undo.offer('Marked 1 post read.', () => Promise.reject(new Error('disk gone')));

    await popup.runUndo();

    expect(popup.message.value).toBe('Could not undo it: disk gone');
    expect(errors).toHaveLength(1);
    errors = [];
  });

  it('opens a post in a new tab and marks it read', async () => {
    const feed = await aFeed(db);
    const [post] = await store(db, feed, [aPost({ url: 'https://blog.example/a' })]);
    const { tabs, opened } = fakeTabs();
    const popup = create({ tabs });

    await popup.openPost(post!);

    expect(opened).toEqual(['https://blog.example/a']);
    expect((await db.posts.get(post!.id))?.readAt).toBe(NOW);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('refuses to open a post whose link is not http(s), and leaves it unread', async () => {
    const feed = await aFeed(db);
    const [post] = await store(db, feed, [aPost({ url: 'javascript:alert(1)' })]);
    const { tabs, opened } = fakeTabs();
    const popup = create({ tabs });

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
    expect(popup.savedUrls.value.size).toBe(0);

    await popup.savePost(post!);

    await vi.waitFor(() => expect(popup.savedUrls.value.has('https://blog.example/a')).toBe(true));
    expect(popup.reading.value?.items.value).toMatchObject([
      {
        url: 'https://blog.example/a',
        title: 'A',
        source: 'Edge Notes',
        minutes: 4,
        postId: post!.id,
      },
    ]);
  });

  it('finishes, removes and opens reading-list items through the reading list state', async () => {
    const feed = await aFeed(db);
    const [post] = await store(db, feed, [aPost({ url: 'https://blog.example/a' })]);
    const first = await saveToReadingList(db, { url: 'https://a.example/', title: 'A' }, 1);
    const second = await saveToReadingList(db, { url: 'https://b.example/', title: 'B' }, 2);
    const third = await saveToReadingList(
      db,
      { url: 'https://blog.example/a', title: 'C', postId: post!.id },
      3,
    );
    const { tabs, opened } = fakeTabs();
    const popup = create({ tabs });

    await popup.finishItem(first);
    await popup.removeItem(second);
    await popup.openItem(third);

    const reading = popup.reading.value!;
    await vi.waitFor(() => expect(reading.items.value.map((item) => item.title)).toEqual(['C']));
    expect(reading.finished.value.map((item) => item.title)).toEqual(['A']);
    expect(opened).toEqual(['https://blog.example/a']);
    expect((await db.posts.get(post!.id))?.readAt).toBe(NOW);
  });

  it('remembers collapsed sections in storage, and reads them back', () => {
    const stored = new Map<string, string>();
    const storage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    };
    const popup = create({ storage });

    popup.toggleSection('ssm');
    popup.toggleSection('rnn');
    popup.toggleSection('ssm');

    expect(popup.collapsed.value).toEqual(new Set(['rnn']));
    expect(stored.get(COLLAPSED_KEY)).toBe('["rnn"]');
    popup.dispose();
    expect(create({ storage }).collapsed.value).toEqual(new Set(['rnn']));
  });

  it('still collapses when storage refuses, and says why in the error report', () => {
    const storage = {
      getItem: () => 'not json',
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
    };
    const popup = create({ storage });

    popup.toggleSection('ssm');

    expect(popup.collapsed.value).toEqual(new Set(['ssm']));
    expect(errors.map((error) => (error as Error).name)).toEqual([
      'SyntaxError',
      'QuotaExceededError',
    ]);
    errors = [];
  });

  it('searches all posts and keeps only the answer to the latest query', async () => {
    const answers = new Map<string, (result: SearchResult) => void>();
    const search = (_db: DispatchDb, query: string) =>
      new Promise<SearchResult>((resolve) => answers.set(query, resolve));
    const popup = create({ search });

    popup.search('ma');
    await vi.waitFor(() => expect(answers.has('ma')).toBe(true));
    popup.search('mamba');
    await vi.waitFor(() => expect(answers.has('mamba')).toBe(true));
    answers.get('mamba')!({ posts: [], total: 7, exact: true, tokens: ['mamba'] });
    answers.get('ma')!({ posts: [], total: 99, exact: true, tokens: ['ma'] });

    await vi.waitFor(() => expect(popup.searchAnswer.value?.total).toBe(7));
    expect(popup.searchAnswer.value?.query).toBe('mamba');
    expect(popup.query.value).toBe('mamba');

    popup.search('  ');
    expect(popup.searchAnswer.value).toBeUndefined();
  });

  it('searches the database when no search is given', async () => {
    const feed = await aFeed(db);
    await store(db, feed, [aPost({ title: 'Mamba explained' }), aPost({ title: 'Other' })]);
    const popup = create();

    popup.search('mamba');

    await vi.waitFor(() => expect(popup.searchAnswer.value?.total).toBe(1));
    expect(popup.searchAnswer.value?.posts.map((post) => post.title)).toEqual(['Mamba explained']);
    expect(popup.searchAnswer.value?.tokens).toEqual(['mamba']);
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
    const popup = create();

    await popup.refresh();

    expect(popup.refreshing.value).toBe(false);
    expect(popup.message.value).toMatch(/^Could not check for new posts: /);
    expect(errors).toHaveLength(1);
    errors = [];
  });

  it('says so when the database cannot be read', async () => {
    vi.spyOn(db.feeds, 'orderBy').mockImplementation(() => {
      throw new Error('broken');
    });
    const popup = create();

    await vi.waitFor(() => expect(popup.loaded.value).toBe(true));
    expect(popup.readFailed.value).toBe(true);
    expect(popup.message.value).toBe('Could not read your posts: broken');
    expect(errors.length).toBeGreaterThan(0);
    errors = [];
  });

  it('says so when a page of rows cannot be read', async () => {
    const popup = create();
    vi.spyOn(db.posts, 'where').mockImplementation(() => {
      throw new Error('index gone');
    });

    popup.sectionRows('ssm').show(0, 10);

    await vi.waitFor(() =>
      expect(popup.message.value).toBe('Could not read your posts: index gone'),
    );
    expect(errors.length).toBeGreaterThan(0);
    errors = [];
  });

  it('opens the options page', async () => {
    const { tabs, opened } = fakeTabs();
    const popup = create({ tabs });

    await popup.openOptions();

    expect(opened).toEqual(['options']);
  });

  describe('with muted categories', () => {
    const mute = (modes: Record<string, string>) =>
      fakeBrowser.storage.local.set({ categoryModes: modes });

    /** One blog: SSM posts (3 + 5 min), one also in Transformer (4 min), Transformer (12 min). */
    async function arrange() {
      const feed = await aFeed(db, { title: 'Edge Notes' });
      const posts = await store(db, feed, [
        aPost({ title: 'Mamba', categories: ['SSM'], minutes: 3 }),
        aPost({ title: 'S4', categories: ['SSM'], minutes: 5 }),
        aPost({ title: 'Hybrid', categories: ['SSM', 'Transformer'], minutes: 4 }),
        aPost({ title: 'Attention', categories: ['Transformer'], minutes: 12 }),
      ]);
      return { feed, posts };
    }

    it('leaves muted sections out, and counts as the badge counts', async () => {
      await arrange();
      await mute({ ssm: 'mute', transformer: 'list' });

      const popup = create();

      await vi.waitFor(() => expect(popup.loaded.value).toBe(true));
      expect(popup.sections.value.map(({ name, unread }) => [name, unread])).toEqual([
        ['Transformer', 2],
      ]);
      expect(popup.unreadTotal.value).toBe(2);
      expect(popup.unreadMinutes.value).toBe(16);
      expect(await unreadVisible(db, { excludedSections: new Set(['ssm']) })).toEqual({
        unread: popup.unreadTotal.value,
        minutes: popup.unreadMinutes.value,
      });
      expect(await rowsOf(popup.sectionRows('transformer'), 0, 2)).toEqual(['Attention', 'Hybrid']);
    });

    it('follows the setting while open: a category muted, then unmuted', async () => {
      await arrange();
      const popup = create();
      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(4));

      await mute({ ssm: 'mute' });

      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));
      expect(popup.sections.value.map((section) => section.key)).toEqual(['transformer']);

      await mute({ ssm: 'notify' });

      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(4));
      expect(popup.sections.value.map((section) => section.key)).toEqual(['ssm', 'transformer']);
    });

    it('follows posts arriving in a muted category without counting them', async () => {
      const { feed } = await arrange();
      await mute({ ssm: 'mute' });
      const popup = create();
      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));

      await store(db, feed, [
        aPost({ title: 'Muted news', categories: ['SSM'] }),
        aPost({ title: 'Open news', categories: ['SSM', 'Other'], minutes: 1 }),
      ]);

      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(3));
      expect(popup.unreadMinutes.value).toBe(17);
    });

    it('starts from the first paint’s mutes, then reads them again', async () => {
      await arrange();
      await mute({ ssm: 'mute' });
      const initial = (await readFirstPaint({ name: db.name, muted: readMutedSections() }))!;
      // Changed after the first paint read it, before the live state was made: not missed.
      await mute({});

      const popup = create({ initial });

      expect(popup.unreadTotal.value).toBe(2);
      expect(popup.sections.value.map((section) => section.key)).toEqual(['transformer']);
      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(4));
      expect(popup.sections.value.map((section) => section.key)).toEqual(['ssm', 'transformer']);
    });

    it('leaves muted posts out of the budget, and follows a change of the setting', async () => {
      await arrange();
      await mute({ ssm: 'mute' });
      const budget = create().budget(5);

      await vi.waitFor(() => expect(budget.fits.value).toEqual({ count: 1, minutes: 4 }));
      expect(await rowsOf(budget.rows, 0, 1)).toEqual(['Hybrid']);

      await mute({});

      await vi.waitFor(() => expect(budget.fits.value).toEqual({ count: 3, minutes: 12 }));
      expect(await rowsOf(budget.rows, 0, 3)).toEqual(['Mamba', 'Hybrid', 'S4']);
      budget.dispose();
    });

    it('marks only what is shown read: muted posts stay unread, and Undo is exact', async () => {
      const { posts } = await arrange();
      await mute({ ssm: 'mute' });
      const popup = create();
      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));

      await popup.markAllRead();

      expect(popup.undo.current.value?.message).toBe('Marked 2 posts read.');
      const readAt = async () =>
        (await db.posts.bulkGet(posts.map((p) => p.id))).map((p) => p?.readAt);
      expect(await readAt()).toEqual([0, 0, NOW, NOW]);
      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(0));

      await popup.runUndo();

      expect(await readAt()).toEqual([0, 0, 0, 0]);
      await vi.waitFor(() => expect(popup.unreadTotal.value).toBe(2));
    });

    it('still finds muted posts when searching', async () => {
      await arrange();
      await mute({ ssm: 'mute' });
      const popup = create();

      popup.search('mamba');

      await vi.waitFor(() => expect(popup.searchAnswer.value?.total).toBe(1));
      expect(popup.searchAnswer.value?.posts.map((post) => post.title)).toEqual(['Mamba']);
    });

    it('reads a stored setting that is not valid as nothing muted, as the setting does', async () => {
      const cases: unknown[] = [
        undefined,
        null,
        [],
        'ssm',
        { ssm: 'mute', ai: 'list' },
        { ssm: 'mute', ai: 'silence' },
        { 'state space model': 'mute', uncategorized: 'mute', ai: 'notify' },
      ];
      expect(categoryModes.key).toBe(CATEGORY_MODES_KEY);
      for (const stored of cases) {
        await fakeBrowser.storage.local.set({ categoryModes: stored });
        if (stored === undefined) await fakeBrowser.storage.local.remove('categoryModes');

        const expected = mutedSections(await categoryModes.getValue());
        expect(mutesFrom(stored)).toEqual(expected);
        expect(await readMutedSections()).toEqual(expected);
      }
    });
  });

  describe('header alert', () => {
    const DAY = 86_400_000;

    it('flags a blog failing for a day, or gone, in popupAlert’s words; nothing otherwise', async () => {
      await aFeed(db, { title: 'Fine' });
      const failing = await aFeed(db, { title: 'Flaky', failingSince: NOW - 2 * DAY });
      const popup = create();
      await vi.waitFor(() => expect(popup.feeds.value).toHaveLength(2));

      expect(popup.alert.value).not.toBe('');
      expect(popup.alert.value).toBe(popupAlert(popup.feeds.value, NOW));

      await db.feeds.update(failing.id, { failingSince: undefined });
      await vi.waitFor(() => expect(popup.alert.value).toBe(''));

      await db.feeds.update(failing.id, { status: 'gone' });
      await vi.waitFor(() => expect(popup.alert.value).not.toBe(''));
      expect(popup.alert.value).toBe(popupAlert(popup.feeds.value, NOW));
    });
  });
});
