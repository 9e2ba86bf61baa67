import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { refreshBadge } from '@/utils/badge';
import type { PermissionsAdapter } from '@/utils/browser/permissions';
import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import type { Protocol, SubscribeResult } from '@/utils/messaging';
import { SETTINGS } from '@/utils/settings';
import type { DataState } from '@/utils/state/data-state';
import {
  createOptionsState,
  describeSubscribe,
  parseBlogAddress,
  type OptionsState,
  type OptionsStateOptions,
} from '@/utils/state/options-state';
import { aFeed, aPost, freshDb } from '../../helpers/db';
import { anExtractor, aPreview, LISTING_URL } from '../../helpers/listing-preview';

const NOW = Date.UTC(2026, 2, 12, 12);

/** Grants what `grant` says; records every request in order. */
function fakePermissions(grant: (origin: string) => boolean = () => true) {
  const requested: string[][] = [];
  const permissions: PermissionsAdapter = {
    requestOrigins: (origins) => {
      requested.push(origins);
      return Promise.resolve(origins.every(grant));
    },
    hasOrigins: () => Promise.resolve(true),
  };
  return { permissions, requested };
}

/** The fake service worker: answers each message type with the next queued answer. */
function fakeWorker(answers: {
  [K in keyof Protocol]?: Protocol[K]['response'][];
}) {
  const received: { dispatch: keyof Protocol; data: unknown }[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const envelope = message as { dispatch: keyof Protocol; data: unknown };
    received.push(envelope);
    return Promise.resolve({ ok: answers[envelope.dispatch]?.shift() });
  });
  return received;
}

describe('parseBlogAddress', () => {
  it.each([
    ['https://blog.example/x', 'https://blog.example/x'],
    ['  http://blog.example  ', 'http://blog.example/'],
    ['blog.example', 'https://blog.example/'],
    ['blog.example/feed.xml', 'https://blog.example/feed.xml'],
    ['localhost:8080/feed', 'https://localhost:8080/feed'],
    ['HTTPS://Blog.Example/A', 'https://blog.example/A'],
    ['feed://blog.example/rss', 'https://blog.example/rss'],
    ['feed:https://blog.example/rss', 'https://blog.example/rss'],
    ['FEED:http://blog.example/rss', 'http://blog.example/rss'],
  ])('reads %j as %s', (input, url) => {
    expect(parseBlogAddress(input)).toEqual({ ok: true, url });
  });

  it.each([
    ['', "Paste a blog's address."],
    ['   ', "Paste a blog's address."],
    ['ftp://blog.example/', 'Only http and https addresses can be followed.'],
    ['javascript:alert(1)', 'Only http and https addresses can be followed.'],
    ['file:///etc/passwd', 'Only http and https addresses can be followed.'],
    ['not a url', '“not a url” is not a web address.'],
  ])('refuses %j: %s', (input, message) => {
    expect(parseBlogAddress(input)).toEqual({ ok: false, message });
  });
});

describe('describeSubscribe', () => {
  it.each<[SubscribeResult, string]>([
    [{ ok: true, feedId: 1, title: 'Edge Notes', added: 9 }, 'Following Edge Notes (9 posts).'],
    [{ ok: true, feedId: 1, title: 'Edge Notes', added: 1 }, 'Following Edge Notes (1 post).'],
    [
      { ok: false, code: 'not-found', message: 'No feed found at x: tried y' },
      'No feed found at x: tried y',
    ],
    [{ ok: false, code: 'fetch-failed', message: '' }, 'Could not load https://blog.example/.'],
    [
      { ok: false, code: 'listing', message: '' },
      'No feed found at https://blog.example/, but the page lists posts: Dispatch can follow the page itself.',
    ],
  ])('says %o as "%s"', (result, words) => {
    expect(describeSubscribe(result, 'https://blog.example/')).toBe(words);
  });
});

describe('createOptionsState', () => {
  let db: DispatchDb;
  let state: OptionsState | undefined;

  function create(options: OptionsStateOptions = {}): OptionsState {
    state = createOptionsState({
      db,
      now: () => NOW,
      permissions: fakePermissions().permissions,
      confirm: () => true,
      ...options,
    });
    return state;
  }

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
  });

  afterEach(() => {
    state?.dispose();
    state = undefined;
  });

  it('lists the blogs with how many posts each has', async () => {
    const first = await aFeed(db, { title: 'Edge Notes' });
    await aFeed(db, { title: 'Quiet Blog' });
    await savePollResult(db, first.id, { posts: [aPost(), aPost()], feed: {}, now: NOW });

    const options = create();

    await vi.waitFor(() => expect(options.blogs.value).toHaveLength(2));
    expect(options.blogs.value.map(({ feed, posts }) => [feed.title, posts])).toEqual([
      ['Edge Notes', 2],
      ['Quiet Blog', 0],
    ]);
  });

  it('says so when the blog list cannot be read', async () => {
    vi.spyOn(db.feeds, 'orderBy').mockImplementation(() => {
      throw new Error('broken');
    });
    const errors: unknown[] = [];
    const options = create({ onError: (error) => errors.push(error) });

    await vi.waitFor(() => expect(options.loaded.value).toBe(true));
    expect(options.status.value).toBe('Could not read your blogs: broken');
    expect(errors).toHaveLength(1);
  });

  it('says what is wrong with the address, without asking for access', async () => {
    const { permissions, requested } = fakePermissions();
    const received = fakeWorker({});
    const options = create({ permissions });

    expect(await options.addBlog('')).toBe(false);
    expect(options.status.value).toBe("Paste a blog's address.");
    expect(await options.addBlog('ftp://blog.example')).toBe(false);
    expect(options.status.value).toBe('Only http and https addresses can be followed.');
    expect(requested).toEqual([]);
    expect(received).toEqual([]);
  });

  it('follows a pasted feed: link, asking for the site it points to', async () => {
    const { permissions, requested } = fakePermissions();
    const received = fakeWorker({
      subscribe: [{ ok: true, feedId: 1, title: 'Edge Notes', added: 9 }],
    });
    const options = create({ permissions });

    expect(await options.addBlog('feed://blog.example/rss')).toBe(true);

    expect(requested).toEqual([['https://blog.example/*', 'https://www.blog.example/*']]);
    expect(received).toEqual([
      { dispatch: 'subscribe', data: { url: 'https://blog.example/rss' } },
    ]);
  });

  it('asks for access synchronously, inside the click, then subscribes', async () => {
    const { permissions, requested } = fakePermissions();
    const received = fakeWorker({
      subscribe: [{ ok: true, feedId: 1, title: 'Edge Notes', added: 9 }],
    });
    const options = create({ permissions });

    const adding = options.addBlog('blog.example/x');
    expect(requested).toEqual([['https://blog.example/*', 'https://www.blog.example/*']]);
    expect(await adding).toBe(true);

    expect(received).toEqual([{ dispatch: 'subscribe', data: { url: 'https://blog.example/x' } }]);
    expect(options.status.value).toBe('Following Edge Notes (9 posts).');
    expect(options.adding.value).toBe(false);
  });

  it('stops when access is refused', async () => {
    const received = fakeWorker({});
    const options = create({ permissions: fakePermissions(() => false).permissions });

    expect(await options.addBlog('https://blog.example/')).toBe(false);

    expect(options.status.value).toBe('Access to blog.example was not granted.');
    expect(received).toEqual([]);
  });

  it('treats a failing permission request as a refusal', async () => {
    const errors: unknown[] = [];
    const options = create({
      permissions: {
        requestOrigins: () => Promise.reject(new Error('must be called during a user gesture')),
        hasOrigins: () => Promise.resolve(false),
      },
      onError: (error) => errors.push(error),
    });

    expect(await options.addBlog('https://blog.example/')).toBe(false);

    expect(options.status.value).toBe('Access to blog.example was not granted.');
    expect(errors).toHaveLength(1);
  });

  it('offers access to the feed’s own site when the worker needs it, then retries', async () => {
    const { permissions, requested } = fakePermissions();
    const received = fakeWorker({
      subscribe: [
        {
          ok: false,
          code: 'needs-permission',
          message: 'The feed is on feeds.example: allow access to follow it.',
          origin: 'https://feeds.example/*',
        },
        { ok: true, feedId: 1, title: 'Edge Notes', added: 3 },
      ],
    });
    const options = create({ permissions });

    expect(await options.addBlog('https://blog.example/')).toBe(false);
    expect(options.status.value).toBe('The feed is on feeds.example: allow access to follow it.');
    expect(options.pendingPermission.value).toEqual({
      origin: 'https://feeds.example/*',
      host: 'feeds.example',
      url: 'https://blog.example/',
    });

    const retrying = options.allowPending();
    expect(requested.at(-1)).toEqual(['https://feeds.example/*']);
    expect(await retrying).toBe(true);

    expect(received).toHaveLength(2);
    expect(options.pendingPermission.value).toBeUndefined();
    expect(options.status.value).toBe('Following Edge Notes (3 posts).');
  });

  it('shows the worker’s words when no feed is found', async () => {
    fakeWorker({
      subscribe: [
        {
          ok: false,
          code: 'not-found',
          message: 'No feed found at https://blog.example/: tried /feed, /rss.xml',
        },
      ],
    });
    const options = create();

    await options.addBlog('blog.example');

    expect(options.status.value).toBe(
      'No feed found at https://blog.example/: tried /feed, /rss.xml',
    );
  });

  it('says so when the service worker cannot be reached', async () => {
    const errors: unknown[] = [];
    const options = create({ onError: (error) => errors.push(error) });

    expect(await options.addBlog('blog.example')).toBe(false);

    expect(options.status.value).toMatch(/^Could not follow https:\/\/blog\.example\/: /);
    expect(errors).toHaveLength(1);
  });

  it('checks one blog now and says what it found', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const received = fakeWorker({ pollNow: [{ checked: 1, newPosts: 2, failed: 0 }] });
    const options = create();

    const checking = options.checkNow(feed);
    expect(options.checking.value.has(feed.id)).toBe(true);
    await checking;

    expect(received).toEqual([{ dispatch: 'pollNow', data: { feedId: feed.id } }]);
    expect(options.checking.value.has(feed.id)).toBe(false);
    expect(options.status.value).toBe('Edge Notes: 2 new posts.');
  });

  it('removes a blog after asking, keeps the reading list and updates the badge', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const { added } = await savePollResult(db, feed.id, {
      posts: [aPost({ url: 'https://blog.example/a' })],
      feed: {},
      now: NOW,
    });
    await saveToReadingList(
      db,
      { url: 'https://blog.example/a', title: 'A', postId: added[0]!.id },
      NOW,
    );
    await refreshBadge(db);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    const questions: string[] = [];
    let answer = false;
    const options = create({ confirm: (question) => (questions.push(question), answer) });

    await options.removeBlog(feed);
    expect(await db.feeds.count()).toBe(1);

    answer = true;
    await options.removeBlog(feed);

    expect(questions[0]).toMatch(/^Stop following Edge Notes\?/);
    expect(await db.feeds.count()).toBe(0);
    expect(await db.posts.count()).toBe(0);
    expect(await db.readingList.count()).toBe(1);
    expect(options.status.value).toBe('Removed Edge Notes.');
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    await vi.waitFor(() => expect(options.blogs.value).toEqual([]));
  });

  it('follows with a sync when sync is on', async () => {
    await SETTINGS.syncEnabled.setValue(true);
    const received = fakeWorker({
      subscribe: [{ ok: true, feedId: 1, title: 'Edge Notes', added: 9 }],
    });
    const options = create();

    await options.addBlog('blog.example');

    await vi.waitFor(() =>
      expect(received.map((message) => message.dispatch)).toEqual(['subscribe', 'syncNow']),
    );
  });

  it('removes a blog with a sync when sync is on, and without one when off', async () => {
    const received = fakeWorker({});
    const options = create();
    await options.removeBlog(await aFeed(db, { title: 'A' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual([]);

    await SETTINGS.syncEnabled.setValue(true);
    await options.removeBlog(await aFeed(db, { title: 'B' }));
    await vi.waitFor(() => expect(received).toEqual([{ dispatch: 'syncNow', data: {} }]));
  });

  it('sets a blog’s notifications and interval, and says so', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const options = create();

    await options.setBlogNotify(feed, false);
    expect(options.status.value).toBe('Edge Notes: notifications off.');
    expect((await db.feeds.get(feed.id))?.notify).toBe(false);

    await options.setBlogInterval(feed, 24 * 60);
    expect(options.status.value).toBe('Edge Notes: checked every 1 day.');
    expect((await db.feeds.get(feed.id))?.intervalMinutes).toBe(24 * 60);

    await options.setBlogInterval(feed, undefined);
    expect(options.status.value).toBe('Edge Notes: checked at the default interval.');
    expect(await db.feeds.get(feed.id)).not.toHaveProperty('intervalMinutes');
  });

  it('says so when a blog’s settings cannot be changed', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    await db.feeds.delete(feed.id);
    const options = create({ onError: () => {} });

    await options.setBlogNotify(feed, true);

    expect(options.status.value).toBe(
      'Could not change Edge Notes: This blog is no longer followed.',
    );
  });

  it('works out a blog’s health at the clock’s time; a failure is reported once', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const errors: unknown[] = [];
    let fails = true;
    const options = create({
      health: (_feed, now) => {
        if (fails) throw new Error('not implemented');
        return {
          lastChecked: `at ${now}`,
          lastNewPost: '',
          nextCheck: '',
          requests: '',
        };
      },
      onError: (error) => errors.push(error),
    });

    expect(options.healthOf(feed)).toBeUndefined();
    expect(options.healthOf(feed)).toBeUndefined();
    expect(errors).toHaveLength(1);
    fails = false;
    expect(options.healthOf(feed)?.lastChecked).toBe(`at ${NOW}`);
  });

  it('loads the Data section’s state once, with the page’s dependencies', async () => {
    const made: unknown[] = [];
    const data = { dispose: () => {} } as DataState;
    const options = create({
      createData: async (dependencies) => (made.push(dependencies), data),
    });

    await Promise.all([options.loadData(), options.loadData()]);

    expect(made).toHaveLength(1);
    expect((made[0] as { db: DispatchDb }).db).toBe(db);
    expect(options.data.value).toBe(data);
  });

  describe('a page without a feed', () => {
    const offer: SubscribeResult = {
      ok: false,
      code: 'listing',
      message:
        'No feed found at https://blog.example/, but the page lists posts: Dispatch can follow the page itself.',
      listing: aPreview(),
    };

    /** A state showing the preview of `offer`. */
    async function offered(options: OptionsStateOptions = {}) {
      const state = create(options);
      expect(await state.addBlog('blog.example')).toBe(false);
      return state;
    }

    it('shows the worker’s words and the preview of the posts it found', async () => {
      fakeWorker({ subscribe: [offer] });
      const options = await offered();

      expect(options.status.value).toBe(offer.message);
      expect(options.listingPreview.value).toEqual(aPreview());
    });

    it('drops the preview when another address is added', async () => {
      fakeWorker({ subscribe: [offer, { ok: false, code: 'not-found', message: 'No feed.' }] });
      const options = await offered();

      await options.addBlog('other.example');

      expect(options.listingPreview.value).toBeUndefined();
      expect(options.status.value).toBe('No feed.');
    });

    it('reads the page again with a corrected extractor and shows what it gives', async () => {
      const corrected = anExtractor({ fields: anExtractor().fields.slice(1) });
      const reread = aPreview({ extractor: corrected, summary: '9 posts' });
      const received = fakeWorker({
        subscribe: [offer],
        previewListing: [{ ok: true, preview: reread }],
      });
      const options = await offered();

      await options.previewWith(corrected);

      expect(received.at(-1)).toEqual({
        dispatch: 'previewListing',
        data: { url: LISTING_URL, extractor: corrected },
      });
      expect(options.listingPreview.value).toEqual(reread);
      expect(options.listingBusy.value).toBe(false);
    });

    it('keeps the preview and says why when the correction reads nothing', async () => {
      fakeWorker({
        subscribe: [offer],
        previewListing: [{ ok: false, message: 'With this change no card has a title.' }],
      });
      const options = await offered();

      await options.previewWith(anExtractor({ fields: [] }));

      expect(options.status.value).toBe('With this change no card has a title.');
      expect(options.listingPreview.value).toEqual(aPreview());
    });

    it('shows the answer to the latest correction, whatever order the answers come in', async () => {
      fakeWorker({ subscribe: [offer] });
      const options = await offered();
      const pending: ((answer: unknown) => void)[] = [];
      fakeBrowser.runtime.onMessage.removeAllListeners();
      fakeBrowser.runtime.onMessage.addListener(
        () => new Promise((resolve) => pending.push(resolve)),
      );
      const first = aPreview({ summary: 'first' });
      const second = aPreview({ summary: 'second' });

      const earlier = options.previewWith(first.extractor);
      const later = options.previewWith(second.extractor);
      await vi.waitFor(() => expect(pending).toHaveLength(2));
      expect(options.listingBusy.value).toBe(true);
      pending[1]!({ ok: { ok: true, preview: second } });
      await later;
      pending[0]!({ ok: { ok: true, preview: first } });
      await earlier;

      expect(options.listingPreview.value?.summary).toBe('second');
      expect(options.listingBusy.value).toBe(false);
    });

    it('follows the page with the extractor shown, says so like a feed, and closes the preview', async () => {
      await SETTINGS.syncEnabled.setValue(true);
      const received = fakeWorker({
        subscribe: [offer],
        followListing: [{ ok: true, feedId: 3, title: 'Edge Notes', added: 9 }],
      });
      const options = await offered();

      expect(await options.followListing()).toBe(true);

      expect(received[1]).toEqual({
        dispatch: 'followListing',
        data: { url: LISTING_URL, extractor: anExtractor() },
      });
      expect(options.status.value).toBe('Following Edge Notes (9 posts).');
      expect(options.listingPreview.value).toBeUndefined();
      await vi.waitFor(() => expect(received.at(-1)?.dispatch).toBe('syncNow'));
    });

    it('keeps the preview when following fails, with the reason', async () => {
      fakeWorker({
        subscribe: [offer],
        followListing: [{ ok: false, code: 'fetch-failed', message: 'Could not load the page.' }],
      });
      const options = await offered();

      expect(await options.followListing()).toBe(false);

      expect(options.status.value).toBe('Could not load the page.');
      expect(options.listingPreview.value).toEqual(aPreview());
      expect(options.adding.value).toBe(false);
    });

    it('cancels: the preview and its offer go', async () => {
      fakeWorker({ subscribe: [offer] });
      const options = await offered();

      options.cancelListing();

      expect(options.listingPreview.value).toBeUndefined();
      expect(options.status.value).toBe('');
    });

    describe('a followed listing blog', () => {
      async function listingBlog() {
        return aFeed(db, {
          title: 'Edge Notes',
          url: LISTING_URL,
          listing: {
            extractor: anExtractor(),
            lastCount: 9,
            drift: { reason: 'No posts were found.', since: NOW - 60_000, found: 0 },
          },
        });
      }

      it('re-learns its page from a click, asking for its site first', async () => {
        const feed = await listingBlog();
        const { permissions, requested } = fakePermissions();
        const received = fakeWorker({
          relearnListing: [{ ok: true, description: 'Cards: …', count: 9, added: 0 }],
        });
        const options = create({ permissions });
        await vi.waitFor(() => expect(options.blogs.value).toHaveLength(1));

        const relearning = options.relearn(feed.id);
        expect(requested).toEqual([['https://blog.example/*']]);
        expect(options.relearning.value.has(feed.id)).toBe(true);
        await relearning;

        expect(received).toEqual([{ dispatch: 'relearnListing', data: { feedId: feed.id } }]);
        expect(options.status.value).toBe('Re-learned: 9 posts found.');
        expect(options.relearning.value.has(feed.id)).toBe(false);
      });

      it('says why the page could not be learned again', async () => {
        const feed = await listingBlog();
        fakeWorker({
          relearnListing: [{ ok: false, message: 'No list of posts was found on this page.' }],
        });
        const options = create();

        await options.relearn(feed.id);

        expect(options.status.value).toBe('No list of posts was found on this page.');
      });

      it('opens the editor with the page as its extractor reads it now', async () => {
        const feed = await listingBlog();
        const { permissions, requested } = fakePermissions();
        const now = aPreview({ summary: 'now' });
        const received = fakeWorker({ previewListing: [{ ok: true, preview: now }] });
        const options = create({ permissions });

        const opening = options.editListing(feed);
        expect(requested).toEqual([['https://blog.example/*']]);
        await opening;

        expect(received).toEqual([
          { dispatch: 'previewListing', data: { url: LISTING_URL, extractor: anExtractor() } },
        ]);
        expect(options.listingEditor.value).toEqual({ feedId: feed.id, preview: now });
        expect(options.listingPreview.value).toBeUndefined();
      });

      it('says why the editor cannot open', async () => {
        const feed = await listingBlog();
        fakeWorker({ previewListing: [{ ok: false, message: 'Could not load the page.' }] });
        const options = create();

        await options.editListing(feed);

        expect(options.listingEditor.value).toBeUndefined();
        expect(options.status.value).toBe('Could not load the page.');
      });

      it('re-previews a correction in the editor, saves it and closes', async () => {
        const feed = await listingBlog();
        const corrected = anExtractor({ fields: anExtractor().fields.slice(1) });
        const reread = aPreview({ extractor: corrected, summary: 'corrected' });
        const received = fakeWorker({
          previewListing: [
            { ok: true, preview: aPreview() },
            { ok: true, preview: reread },
          ],
          setListingExtractor: [{ ok: true, description: 'Cards: …', count: 8, added: 1 }],
        });
        const options = create();
        await vi.waitFor(() => expect(options.blogs.value).toHaveLength(1));
        await options.editListing(feed);

        await options.previewWith(corrected, feed.id);
        expect(options.listingEditor.value).toEqual({ feedId: feed.id, preview: reread });
        await options.saveListing(feed.id, corrected);

        expect(received.slice(1)).toEqual([
          { dispatch: 'previewListing', data: { url: LISTING_URL, extractor: corrected } },
          { dispatch: 'setListingExtractor', data: { feedId: feed.id, extractor: corrected } },
        ]);
        expect(options.status.value).toBe(
          'Saved what Dispatch reads on Edge Notes: 8 posts found.',
        );
        expect(options.listingEditor.value).toBeUndefined();
      });

      it('keeps the editor open when the worker refuses the correction', async () => {
        const feed = await listingBlog();
        fakeWorker({
          previewListing: [{ ok: true, preview: aPreview() }],
          setListingExtractor: [{ ok: false, message: 'With it the page gives no posts.' }],
        });
        const options = create();
        await options.editListing(feed);

        await options.saveListing(feed.id, anExtractor({ fields: [] }));

        expect(options.status.value).toBe('With it the page gives no posts.');
        expect(options.listingEditor.value?.feedId).toBe(feed.id);

        options.cancelListing(feed.id);
        expect(options.listingEditor.value).toBeUndefined();
      });
    });
  });
});
