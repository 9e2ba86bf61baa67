// @vitest-environment happy-dom
/**
 * HOSTILE-INPUTS.md, content and rendering (D33, D35, D37) and the popup's side of E48: feed
 * text reaches the pages as text only, in an element that takes its direction from itself;
 * the list view loads nothing from the feed's markup; an address shows no bidi controls; a
 * database that cannot be opened is said in words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { BlogItem } from '@/components/BlogItem';
import { Popup } from '@/components/Popup';
import { ReadingItem } from '@/components/ReadingItem';
import { createDb, type DispatchDb } from '@/utils/db/db';
import { STORAGE_UNAVAILABLE_MESSAGE } from '@/utils/db/errors';
import { savePollResult } from '@/utils/db/posts';
import { saveToReadingList } from '@/utils/db/reading-list';
import type { Feed, NewPost, ReadingListItem } from '@/utils/db/types';
import { createPopupState, type PopupState } from '@/utils/state/popup-state';
import { aFeed, aPost, freshDb, probeStorage, type StorageProbe } from '../helpers/db';
import { fakeTabs } from '../helpers/fakes';
// What the popup loads with import() on first use, loaded once here: the first transform of a
// module graph in Vitest takes longer than a test waits for a change.
import '@/components/ReadingTab';
import '@/utils/state/reading-state';

const NOW = new Date(2026, 2, 12, 12).getTime();
const root = resolve(__dirname, '../..');

/** Markup a feed may put in any text field (FreshRSS #8797, dokuwiki #2081, daily #116). */
const MARKUP = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<iframe src="https://evil.example/"></iframe>',
  '<style>body { display: none }</style>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '"><svg onload=alert(3)>',
  '<a href="javascript:alert(4)">click</a>',
];

/** Elements that feed text must never create, and what would load or run through them. */
const ACTIVE = 'script, iframe, frame, style, meta, link, base, img, svg, object, embed, form';
const LOADING = 'img, picture, source, video, audio, iframe, object, embed, image, use';

const RLO = '\u202e';
const RTL_TITLE = 'مرحبا بالعالم: ملاحظات';
const EMOJI_TITLE = 'Family 👨‍👩‍👧 and flags 🇯🇵 ✨';

/** Elements with an event-handler attribute (`onerror`, `onload`…). */
function withHandlers(scope: Element): Element[] {
  return [...scope.querySelectorAll('*')].filter((element) =>
    element.getAttributeNames().some((name) => name.toLowerCase().startsWith('on')),
  );
}

/**
 * Every element showing `text` as its own text must sit in a `dir` element holding that text
 * alone: an isolate whose direction comes from `text` and cannot spill onto its neighbours.
 */
function expectIsolated(scope: Element, text: string): void {
  const shown = within(scope as HTMLElement).getAllByText(text);
  for (const element of shown) {
    const isolate = element.closest('[dir]');
    expect(isolate?.getAttribute('dir'), text).toBe('auto');
    expect(isolate?.textContent, text).toBe(text);
  }
}

describe('popup with hostile feed text', () => {
  let db: DispatchDb;
  let probe: StorageProbe;
  let state: PopupState;

  async function show(feed: Partial<Feed>, posts: NewPost[], saved: string[] = []) {
    const stored = await aFeed(db, feed);
    const { added } = await savePollResult(db, stored.id, { posts, feed: {}, now: NOW });
    for (const post of added.filter((p) => saved.includes(p.title))) {
      await saveToReadingList(
        db,
        { url: post.url!, title: post.title, postId: post.id, source: stored.title },
        NOW,
      );
    }
    probe.clear();
    state = createPopupState({ db, now: () => NOW, tabs: fakeTabs().tabs });
    const view = render(<Popup state={state} />);
    // Sections load their rows each on its own: wait until every stored post is listed.
    await waitFor(() =>
      expect(screen.getAllByRole('article').length).toBeGreaterThanOrEqual(added.length),
    );
    return view;
  }

  beforeEach(() => {
    fakeBrowser.reset();
    db = freshDb();
    probe = probeStorage(db);
  });

  afterEach(() => {
    cleanup();
    state.dispose();
  });

  describe('case 33: markup in titles, blog names, categories and authors', () => {
    it.each(MARKUP)('shows %s as text and creates no element from it', async (markup) => {
      const { container } = await show({ title: `Blog ${markup}` }, [
        aPost({
          title: markup,
          author: markup,
          categories: [`Cat ${markup}`],
          summary: markup,
          content: `<p>${markup}</p>`,
        }),
      ]);

      const article = screen.getByRole('article', { name: markup });
      expect(within(article).getByRole('link', { name: markup }).textContent).toBe(markup);
      expect(within(article).getByText(`Blog ${markup}`)).toBeTruthy();
      expect(screen.getByRole('region', { name: `Cat ${markup}` })).toBeTruthy();
      expect(container.querySelector(ACTIVE)).toBeNull();
      expect(withHandlers(container)).toEqual([]);
    });

    it('keeps markup in reading-list titles and sources as text', async () => {
      const markup = MARKUP.join(' ');
      const { container } = await show({ title: markup }, [aPost({ title: markup })], [markup]);
      screen.getByRole('tab', { name: 'Reading list' }).click();

      const list = await screen.findByRole('list', { name: 'Reading list' });
      expect(within(list).getByRole('link', { name: markup })).toBeTruthy();
      // The title, and the blog name as its source.
      expect(within(list).getAllByText(markup)).toHaveLength(2);
      expect(container.querySelector(ACTIVE)).toBeNull();
      expect(withHandlers(container)).toEqual([]);
    });

    it('renders no HTML from strings anywhere in the components or entrypoints', () => {
      const sources = ['components', 'entrypoints'].flatMap((dir) => sourceFiles(join(root, dir)));
      expect(sources.length).toBeGreaterThan(10);
      const offenders = sources.filter((file) =>
        /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write/.test(
          readFileSync(file, 'utf8'),
        ),
      );
      expect(offenders).toEqual([]);
    });
  });

  describe('case 35: remote images and tracking pixels', () => {
    it('loads nothing from summaries or content in the list, and never reads article bodies', async () => {
      const pixel = '<img src="https://tracker.example/open.gif?u=42" width="1" height="1">';
      const { container } = await show({}, [
        aPost({
          title: 'With a pixel',
          summary: `Read this ${pixel}`,
          content: `<p>Body</p>${pixel}<picture><source srcset="https://cdn.example/a.avif"></picture><video src="https://cdn.example/v.mp4"></video>`,
        }),
      ]);

      expect(container.querySelector(LOADING)).toBeNull();
      const loaders = [...container.querySelectorAll('*')].filter(
        (element) =>
          ['src', 'srcset', 'poster', 'background', 'data'].some((name) =>
            element.hasAttribute(name),
          ) || /url\(/i.test(element.getAttribute('style') ?? ''),
      );
      expect(loaders).toEqual([]);
      expect(probe.reads).not.toContain('postContents');
    });
  });

  describe('case 37: right-to-left text, emoji and bidi overrides', () => {
    it('gives every title, blog name and category a direction of its own', async () => {
      const spoof = `Invoice ${RLO}fdp.exe`;
      const { container } = await show({ title: RTL_TITLE }, [
        aPost({ title: RTL_TITLE, categories: [RTL_TITLE] }),
        aPost({ title: EMOJI_TITLE, categories: ['Emoji ✨'] }),
        aPost({ title: spoof, categories: [`${RLO}Override`] }),
      ]);

      for (const text of [RTL_TITLE, EMOJI_TITLE, spoof, 'Emoji ✨', `${RLO}Override`]) {
        expectIsolated(container, text);
      }
      // The blog name is isolated from the date and reading time that follow it.
      const row = screen.getByRole('article', { name: EMOJI_TITLE });
      const blog = within(row).getByText(RTL_TITLE);
      expect(blog.closest('[dir]')?.parentElement?.textContent).toMatch(
        new RegExp(`^${RTL_TITLE} · \\d+ \\w+ ago · \\d+ min read$`),
      );
    });

    it('isolates reading-list titles and sources', async () => {
      const title = `${RTL_TITLE} ${RLO}gnp.exe`;
      const { container } = await show({ title: RTL_TITLE }, [aPost({ title })], [title]);
      screen.getByRole('tab', { name: 'Reading list' }).click();
      await screen.findByRole('list', { name: 'Reading list' });

      expectIsolated(container, title);
      expectIsolated(container, RTL_TITLE);
    });
  });
});

describe('reading-list item without a title', () => {
  it('shows its address without bidi controls, left to right inside its isolate', () => {
    const item: ReadingListItem = {
      id: 1,
      url: `https://example.com/${RLO}fdp.exe`,
      title: '  ',
      addedAt: NOW,
      position: 1,
      doneAt: 0,
    };
    const noop = async () => undefined;
    render(
      <ol>
        <ReadingItem
          item={item}
          actions={{
            openItem: noop,
            finishItem: noop,
            unfinishItem: noop,
            removeItem: noop,
            saveNote: noop,
          }}
        />
      </ol>,
    );

    const link = screen.getByRole('link');
    expect(link.textContent).toBe('https://example.com/fdp.exe');
    cleanup();
  });
});

describe('blog list with hostile feed text', () => {
  const noop = async () => undefined;

  function showBlog(feed: Partial<Feed>) {
    const entry = {
      feed: {
        id: 1,
        url: 'https://blog.example/feed.xml',
        aliases: [],
        title: 'Edge Notes',
        addedAt: NOW,
        lastCheckedAt: NOW,
        lastNewPostAt: 0,
        nextPollAt: NOW,
        failures: 0,
        status: 'active',
        ...feed,
      } as Feed,
      posts: 3,
    };
    return render(
      <ul>
        <BlogItem
          entry={entry}
          now={NOW}
          checking={false}
          actions={{ checkNow: noop, removeBlog: noop }}
        />
      </ul>,
    );
  }

  afterEach(() => cleanup());

  describe('case 33: markup in the blog name and the last error', () => {
    it.each(MARKUP)('shows %s as text', (markup) => {
      const { container } = showBlog({
        title: markup,
        lastError: { code: 'http', message: `The server said ${markup}`, at: NOW },
      });

      expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(markup);
      expect(screen.getByRole('button', { name: `Check now: ${markup}` })).toBeTruthy();
      expect(screen.getByText(`Last error: The server said ${markup}`)).toBeTruthy();
      expect(container.querySelector(ACTIVE)).toBeNull();
      expect(withHandlers(container)).toEqual([]);
    });
  });

  describe('case 37: direction of names and addresses', () => {
    it('isolates the blog name and shows the address left to right without bidi controls', () => {
      const { container } = showBlog({
        title: RTL_TITLE,
        url: `https://blog.example/${RLO}lmx.deef`,
        lastError: {
          code: 'network',
          message: `Could not reach https://blog.example/${RLO}lmx.deef`,
          at: NOW,
        },
      });

      expectIsolated(container, RTL_TITLE);
      const address = screen.getByText('https://blog.example/lmx.deef');
      expect(address.getAttribute('dir')).toBe('ltr');
      expect(container.textContent).not.toContain(RLO);
    });
  });
});

describe('case 48: the popup when the database cannot be opened', () => {
  let state: PopupState;

  afterEach(() => {
    cleanup();
    state.dispose();
  });

  it('says so in words, and shows no list that would pass for an empty one', async () => {
    fakeBrowser.reset();
    const broken = createDb(`no-idb-${crypto.randomUUID()}`, { indexedDB: undefined });
    state = createPopupState({
      db: broken,
      now: () => NOW,
      tabs: fakeTabs().tabs,
      onError: () => undefined,
    });

    render(<Popup state={state} />);

    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `Could not read your posts: ${STORAGE_UNAVAILABLE_MESSAGE}`,
      ),
    );
    expect(screen.queryAllByRole('article')).toEqual([]);
    // Nothing that would read as a fact about the user's blogs: the error stands alone.
    expect(screen.queryByText('No blogs yet.')).toBeNull();
    expect(screen.queryByText('All caught up.')).toBeNull();
    expect(screen.queryByRole('tablist')).toBeNull();
  });
});

/** `.ts` and `.tsx` files under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}
