// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '@/components/Options';
import type { PermissionsAdapter } from '@/utils/browser/permissions';
import type { DispatchDb } from '@/utils/db/db';
import { savePollResult } from '@/utils/db/posts';
import type { Protocol, SubscribeResult } from '@/utils/messaging';
import type { FeedHealth } from '@/utils/health';
import type { Feed } from '@/utils/db/types';
import { withFieldRole } from '@/utils/listing/extract';
import { createOptionsState, type OptionsState } from '@/utils/state/options-state';
import { createSettingsState, type SettingsState } from '@/utils/state/settings-state';
import { aFeed, aPost, freshDb } from '../helpers/db';
import { anExtractor, aPreview, LISTING_URL } from '../helpers/listing-preview';

const NOW = Date.UTC(2026, 2, 12, 12);
const MINUTE = 60_000;

describe('Options', () => {
  let db: DispatchDb;
  let state: OptionsState;
  let settings: SettingsState;
  let requested: string[][];
  let confirmAnswer: boolean;
  /** The fake utils/health.ts: a blog's health as the test says (the old lines when it throws). */
  let health: (feed: Feed, now: number) => FeedHealth;

  function show() {
    const permissions: PermissionsAdapter = {
      requestOrigins: (origins) => (requested.push(origins), Promise.resolve(true)),
      hasOrigins: () => Promise.resolve(true),
    };
    const onError = () => {};
    state = createOptionsState({
      db,
      now: () => NOW,
      permissions,
      confirm: () => confirmAnswer,
      health: (feed, now) => health(feed, now),
      badge: () => Promise.resolve(),
      onError,
    });
    settings = createSettingsState({
      db,
      lastSync: () => Promise.resolve(undefined),
      onError,
    });
    return render(<Options state={state} settings={settings} />);
  }

  /** The "Add a blog" form's status line. */
  const formStatus = () =>
    within(screen.getByRole('form', { name: 'Add a blog' })).getByRole('status');

  function answerSubscribe(...answers: SubscribeResult[]) {
    fakeBrowser.runtime.onMessage.addListener(() => Promise.resolve({ ok: answers.shift() }));
  }

  function submit(address: string) {
    fireEvent.input(screen.getByLabelText('Blog or feed URL'), { target: { value: address } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
  }

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    requested = [];
    confirmAnswer = true;
    health = () => {
      throw new Error('describeHealth: not implemented');
    };
  });

  afterEach(() => {
    cleanup();
    state.dispose();
    settings.dispose();
  });

  it('has a titled page, a named form and a labelled address field', async () => {
    show();

    expect(screen.getByRole('heading', { level: 1, name: 'Dispatch settings' })).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Add a blog' });
    const input = within(form).getByLabelText('Blog or feed URL');
    expect(input.getAttribute('type')).toBe('url');
    expect(within(form).getByRole('status')).toBeTruthy();
    expect(await screen.findByText("No blogs yet. Paste a blog's address above.")).toBeTruthy();
  });

  it.each([
    ['', "Paste a blog's address."],
    ['ftp://blog.example/', 'Only http and https addresses can be followed.'],
  ])('refuses %j with "%s"', async (address, message) => {
    show();

    submit(address);

    await waitFor(() => expect(formStatus().textContent).toBe(message));
    expect(requested).toEqual([]);
  });

  it('asks for access, follows the blog and clears the field', async () => {
    answerSubscribe({ ok: true, feedId: 1, title: 'Edge Notes', added: 9 });
    show();

    submit('blog.example');

    expect(requested).toEqual([['https://blog.example/*', 'https://www.blog.example/*']]);
    await waitFor(() => expect(formStatus().textContent).toBe('Following Edge Notes (9 posts).'));
    expect((screen.getByLabelText('Blog or feed URL') as HTMLInputElement).value).toBe('');
  });

  it('offers "Allow access to <host>" when the feed lives on another site', async () => {
    answerSubscribe(
      {
        ok: false,
        code: 'needs-permission',
        message: 'The feed is on feeds.example.',
        origin: 'https://feeds.example/*',
      },
      { ok: true, feedId: 1, title: 'Edge Notes', added: 2 },
    );
    show();
    submit('https://blog.example/');

    fireEvent.click(await screen.findByRole('button', { name: 'Allow access to feeds.example' }));

    expect(requested.at(-1)).toEqual(['https://feeds.example/*']);
    await waitFor(() => expect(formStatus().textContent).toBe('Following Edge Notes (2 posts).'));
    expect(screen.queryByRole('button', { name: /^Allow access/ })).toBeNull();
  });

  it('lists the feeds a page advertises and follows the one picked', async () => {
    const sent: unknown[] = [];
    const answers: SubscribeResult[] = [
      {
        ok: false,
        code: 'choose',
        message: 'blog.example offers 2 feeds: choose the one to follow.',
        choices: [
          { url: 'https://blog.example/feed/', title: 'Posts', type: 'rss' },
          { url: 'https://blog.example/comments/feed/', title: 'Comments', type: 'atom' },
        ],
      },
      { ok: true, feedId: 1, title: 'Edge Notes', added: 9 },
    ];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      sent.push(message);
      return Promise.resolve({ ok: answers.shift() });
    });
    show();
    submit('https://blog.example/');

    const list = await screen.findByRole('list', { name: 'Feeds on this site' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['Follow Posts (RSS)', 'Follow Comments (Atom)']);
    expect(formStatus().textContent).toBe('blog.example offers 2 feeds: choose the one to follow.');

    fireEvent.click(within(list).getByRole('button', { name: 'Follow Posts (RSS)' }));

    await waitFor(() => expect(formStatus().textContent).toBe('Following Edge Notes (9 posts).'));
    expect(sent.at(-1)).toMatchObject({ data: { url: 'https://blog.example/feed/' } });
    expect(requested.at(-1)).toEqual(['https://blog.example/*']);
    expect(screen.queryByRole('list', { name: 'Feeds on this site' })).toBeNull();
    expect((screen.getByLabelText('Blog or feed URL') as HTMLInputElement).value).toBe('');
  });

  it('lists each blog with its status, post count and last error', async () => {
    const fine = await aFeed(db, { title: 'Edge Notes', lastCheckedAt: NOW - MINUTE });
    await savePollResult(db, fine.id, {
      posts: Array.from({ length: 9 }, () => aPost()),
      feed: {},
      now: NOW,
    });
    await aFeed(db, {
      title: 'Broken Blog',
      url: 'https://broken.example/feed.xml',
      lastCheckedAt: NOW - 3 * 60 * MINUTE,
      lastError: {
        code: 'http',
        message: 'The server answered 500 Internal Server Error',
        at: NOW,
      },
    });
    await aFeed(db, { title: 'New Blog' });
    show();

    const list = await screen.findByRole('list', { name: 'Blogs' });
    const [edge, broken, fresh] = within(list).getAllByRole('listitem');
    expect(within(edge!).getByRole('heading', { level: 3, name: 'Edge Notes' })).toBeTruthy();
    expect(within(edge!).getByText('checked 1 min ago · 9 posts')).toBeTruthy();
    expect(within(edge!).queryByText(/^Last error:/)).toBeNull();
    expect(within(broken!).getByText('https://broken.example/feed.xml')).toBeTruthy();
    expect(within(broken!).getByText('checked 3 h ago · 0 posts')).toBeTruthy();
    expect(
      within(broken!).getByText('Last error: The server answered 500 Internal Server Error'),
    ).toBeTruthy();
    expect(within(fresh!).getByText('not checked yet · 0 posts')).toBeTruthy();
    expect(within(edge!).getByRole('button', { name: 'Check now: Edge Notes' })).toBeTruthy();
    expect(within(edge!).getByRole('button', { name: 'Remove Edge Notes' })).toBeTruthy();
  });

  it('checks a blog now', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    const received: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      received.push(message);
      return Promise.resolve({ ok: { checked: 1, newPosts: 0, failed: 0 } });
    });
    show();

    fireEvent.click(await screen.findByRole('button', { name: 'Check now: Edge Notes' }));

    await waitFor(() => expect(formStatus().textContent).toBe('Edge Notes: no new posts.'));
    expect(received).toEqual([{ dispatch: 'pollNow', data: { feedId: feed.id } }]);
  });

  it('removes a blog only when the user confirms', async () => {
    await aFeed(db, { title: 'Edge Notes' });
    show();
    const remove = await screen.findByRole('button', { name: 'Remove Edge Notes' });

    confirmAnswer = false;
    fireEvent.click(remove);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.getByRole('heading', { name: 'Edge Notes' })).toBeTruthy();

    confirmAnswer = true;
    fireEvent.click(remove);
    expect(await screen.findByText("No blogs yet. Paste a blog's address above.")).toBeTruthy();
    await waitFor(() => expect(formStatus().textContent).toBe('Removed Edge Notes.'));
  });

  it('has a section with a heading for Blogs, Settings, Categories and Data', async () => {
    show();

    for (const name of ['Blogs', 'Settings', 'Categories', 'Data']) {
      expect(screen.getByRole('heading', { level: 2, name })).toBeTruthy();
    }
    // The Data section's code comes with import(); its controls then appear.
    expect(await screen.findByRole('button', { name: 'Back up' })).toBeTruthy();
  });

  it("shows each blog's health, its problem and silence highlighted, and its tags", async () => {
    await aFeed(db, {
      title: 'Edge Notes',
      lastCheckedAt: NOW - MINUTE,
      tags: ['Research', 'ML'],
      lastError: { code: 'http', message: 'The server answered 503', at: NOW },
    });
    const seen: number[] = [];
    health = (_feed, now) => {
      seen.push(now);
      return {
        lastChecked: 'Checked 1 min ago',
        lastNewPost: 'Last new post 3 weeks ago',
        nextCheck: 'Next check in 29 min',
        requests: '12 requests in the last 7 days, 10 answered 304 (not modified)',
        problem: 'Failing since yesterday (4 checks): The server answered 503',
        quiet: 'Quiet for 3 weeks; usually posts every 5 days',
      };
    };
    show();

    const [entry] = within(await screen.findByRole('list', { name: 'Blogs' })).getAllByRole(
      'listitem',
    );
    const blog = within(entry!);
    expect(blog.getByText('checked 1 min ago · 0 posts')).toBeTruthy();
    expect(blog.getByText('Last new post 3 weeks ago')).toBeTruthy();
    expect(blog.getByText('Next check in 29 min')).toBeTruthy();
    expect(
      blog.getByText('12 requests in the last 7 days, 10 answered 304 (not modified)'),
    ).toBeTruthy();
    const problem = blog.getByText(
      'Last error: Failing since yesterday (4 checks): The server answered 503',
    );
    expect(problem.classList.contains('error')).toBe(true);
    expect(blog.getByText('Quiet for 3 weeks; usually posts every 5 days').className).toBe('quiet');
    expect(blog.getByText('Tags: Research, ML')).toBeTruthy();
    expect(seen).toContain(NOW);
  });

  it('turns a blog’s notifications off and gives it its own check interval', async () => {
    const feed = await aFeed(db, { title: 'Edge Notes' });
    await fakeBrowser.storage.local.set({ pollIntervalMinutes: 45 });
    show();

    const notifications = (await screen.findByRole('checkbox', {
      name: 'Notifications: Edge Notes',
    })) as HTMLInputElement;
    expect(notifications.checked).toBe(true);
    fireEvent.click(notifications);
    await waitFor(() => expect(formStatus().textContent).toBe('Edge Notes: notifications off.'));
    expect((await db.feeds.get(feed.id))?.notify).toBe(false);

    const interval = screen.getByRole('combobox', {
      name: 'Check every: Edge Notes',
    }) as HTMLSelectElement;
    await waitFor(() => expect(interval.options[0]!.textContent).toBe('Default (45 min)'));
    expect([...interval.options].map((option) => option.textContent)).toEqual([
      'Default (45 min)',
      '15 min',
      '30 min',
      '1 h',
      '3 h',
      '6 h',
      '12 h',
      '1 day',
    ]);
    fireEvent.change(interval, { target: { value: '360' } });
    await waitFor(() => expect(formStatus().textContent).toBe('Edge Notes: checked every 6 h.'));
    expect((await db.feeds.get(feed.id))?.intervalMinutes).toBe(360);
    await waitFor(() => expect(interval.value).toBe('360'));

    fireEvent.change(interval, { target: { value: '' } });
    await waitFor(() =>
      expect(formStatus().textContent).toBe('Edge Notes: checked at the default interval.'),
    );
    expect(await db.feeds.get(feed.id)).not.toHaveProperty('intervalMinutes');
  });

  describe('a page without a feed', () => {
    type Answers = { [K in keyof Protocol]?: Protocol[K]['response'][] };

    /** The fake worker: each message type's next queued answer; records what was sent. */
    function answer(answers: Answers) {
      const sent: { dispatch: keyof Protocol; data: unknown }[] = [];
      fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
        const envelope = message as { dispatch: keyof Protocol; data: unknown };
        sent.push(envelope);
        return Promise.resolve({ ok: answers[envelope.dispatch]?.shift() });
      });
      return sent;
    }

    const offer: SubscribeResult = {
      ok: false,
      code: 'listing',
      message:
        'No feed found at https://blog.example/, but the page lists posts: Dispatch can follow the page itself.',
      listing: aPreview(),
    };

    it('previews the posts, re-reads the page with a corrected role, and follows it', async () => {
      const corrected = withFieldRole(anExtractor(), 'div.meta > span:nth-of-type(1)', 'summary');
      const sent = answer({
        subscribe: [offer],
        previewListing: [
          { ok: true, preview: aPreview({ extractor: corrected, summary: '9 posts' }) },
        ],
        followListing: [{ ok: true, feedId: 1, title: 'Edge Notes', added: 9 }],
      });
      show();
      submit('blog.example');

      const section = await screen.findByRole('region', { name: 'Follow this page' });
      expect(formStatus().textContent).toBe(offer.message);
      expect(
        within(section).getByText('9 posts in 2 categories: State Space Model, Transformer'),
      ).toBeTruthy();
      expect(
        within(within(section).getByRole('list', { name: 'Posts found' })).getAllByRole('listitem'),
      ).toHaveLength(2);

      fireEvent.change(within(section).getByRole('combobox', { name: 'Role of “Transformer”' }), {
        target: { value: 'summary' },
      });
      await waitFor(() => expect(within(section).getByText('9 posts')).toBeTruthy());
      expect(sent[1]).toEqual({
        dispatch: 'previewListing',
        data: { url: LISTING_URL, extractor: corrected },
      });

      fireEvent.click(within(section).getByRole('button', { name: 'Follow this page' }));

      await waitFor(() => expect(formStatus().textContent).toBe('Following Edge Notes (9 posts).'));
      expect(sent[2]).toEqual({
        dispatch: 'followListing',
        data: { url: LISTING_URL, extractor: corrected },
      });
      expect(screen.queryByRole('region', { name: 'Follow this page' })).toBeNull();
      await waitFor(() =>
        expect((screen.getByLabelText('Blog or feed URL') as HTMLInputElement).value).toBe(''),
      );
    });

    it('closes the preview on Cancel', async () => {
      answer({ subscribe: [offer] });
      show();
      submit('blog.example');

      const section = await screen.findByRole('region', { name: 'Follow this page' });
      fireEvent.click(within(section).getByRole('button', { name: 'Cancel' }));

      await waitFor(() =>
        expect(screen.queryByRole('region', { name: 'Follow this page' })).toBeNull(),
      );
      expect(formStatus().textContent).toBe('');
    });

    /** A blog followed through its listing page, drifting when `drift` says so. */
    function listingBlog(drift: boolean) {
      return aFeed(db, {
        title: 'Edge Notes',
        url: LISTING_URL,
        listing: {
          extractor: anExtractor(),
          lastCount: 9,
          ...(drift && {
            drift: {
              reason: 'No posts were found on the listing page: the page layout may have changed.',
              since: NOW - MINUTE,
              found: 0,
            },
          }),
        },
      });
    }

    it('says a blog follows its page, and what Dispatch reads there', async () => {
      await listingBlog(false);
      show();

      const [entry] = within(await screen.findByRole('list', { name: 'Blogs' })).getAllByRole(
        'listitem',
      );
      const blog = within(entry!);
      expect(blog.getByText('Follows its page (no feed).')).toBeTruthy();
      expect(await blog.findByText(/^Cards: article\.card in main \(9 found\)\./)).toBeTruthy();
      expect(blog.queryByRole('alert')).toBeNull();
      expect(blog.queryByRole('button', { name: 'Re-learn' })).toBeNull();
      expect(blog.getByRole('button', { name: 'Change what Dispatch reads' })).toBeTruthy();
    });

    it('raises the drift alarm with its reason and re-learns in one click', async () => {
      const feed = await listingBlog(true);
      const sent = answer({
        relearnListing: [{ ok: true, description: 'Cards: …', count: 9, added: 2 }],
      });
      show();

      const [entry] = within(await screen.findByRole('list', { name: 'Blogs' })).getAllByRole(
        'listitem',
      );
      const blog = within(entry!);
      expect(blog.getByRole('alert').textContent).toBe(
        'The page layout changed — re-learn? No posts were found on the listing page: the page layout may have changed.',
      );

      fireEvent.click(blog.getByRole('button', { name: 'Re-learn' }));

      await waitFor(() => expect(formStatus().textContent).toBe('Re-learned: 9 posts found.'));
      expect(sent).toEqual([{ dispatch: 'relearnListing', data: { feedId: feed.id } }]);
      expect(requested.at(-1)).toEqual(['https://blog.example/*']);
    });

    it('changes what Dispatch reads on a followed blog and saves it', async () => {
      const feed = await listingBlog(false);
      const corrected = withFieldRole(anExtractor(), 'span.more', 'date');
      const sent = answer({
        previewListing: [
          { ok: true, preview: aPreview() },
          { ok: true, preview: aPreview({ extractor: corrected, summary: 'with dates' }) },
        ],
        setListingExtractor: [{ ok: true, description: 'Cards: …', count: 9, added: 0 }],
      });
      show();

      const open = await screen.findByRole('button', { name: 'Change what Dispatch reads' });
      expect(open.getAttribute('aria-expanded')).toBe('false');
      fireEvent.click(open);
      const editor = await screen.findByRole('region', { name: 'Change what Dispatch reads' });
      expect(open.getAttribute('aria-expanded')).toBe('true');
      expect(editor.closest('li')?.querySelector('h3')?.textContent).toBe('Edge Notes');

      fireEvent.change(within(editor).getByRole('combobox', { name: 'Role of “Read more”' }), {
        target: { value: 'date' },
      });
      await waitFor(() => expect(within(editor).getByText('with dates')).toBeTruthy());
      fireEvent.click(within(editor).getByRole('button', { name: 'Save' }));

      await waitFor(() =>
        expect(formStatus().textContent).toBe(
          'Saved what Dispatch reads on Edge Notes: 9 posts found.',
        ),
      );
      expect(sent).toEqual([
        { dispatch: 'previewListing', data: { url: LISTING_URL, extractor: anExtractor() } },
        { dispatch: 'previewListing', data: { url: LISTING_URL, extractor: corrected } },
        { dispatch: 'setListingExtractor', data: { feedId: feed.id, extractor: corrected } },
      ]);
      expect(screen.queryByRole('region', { name: 'Change what Dispatch reads' })).toBeNull();
    });

    it('closes the editor on Cancel without saving', async () => {
      const sent = answer({ previewListing: [{ ok: true, preview: aPreview() }] });
      await listingBlog(false);
      show();

      fireEvent.click(await screen.findByRole('button', { name: 'Change what Dispatch reads' }));
      const editor = await screen.findByRole('region', { name: 'Change what Dispatch reads' });
      fireEvent.click(within(editor).getByRole('button', { name: 'Cancel' }));

      await waitFor(() =>
        expect(screen.queryByRole('region', { name: 'Change what Dispatch reads' })).toBeNull(),
      );
      expect(sent.map((message) => message.dispatch)).toEqual(['previewListing']);
    });
  });
});
