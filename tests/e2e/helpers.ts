/**
 * What the end-to-end suites share: one Chromium per file with the built extension, reset
 * through the UI after every test; demo blogs started per test and closed after it; and the
 * locators and waits the tests read the pages with (docs/ui-contract.md).
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import {
  addBlog,
  badgeText,
  launchWithExtension,
  resetThroughUi,
  type ExtensionBrowser,
} from '../../scripts/chromium.mjs';
import {
  startBlogServer,
  type BlogServer,
  type BlogServerOptions,
  type PublishedPost,
  type RecordedRequest,
} from '../../scripts/demo-blog/server.mjs';

/** Polls `read` until the matcher that follows passes (15 s unless `timeout` says otherwise). */
export const eventually = <T>(read: () => Promise<T> | T, timeout = 15_000) =>
  expect.poll(read, { timeout });

/** Post titles of the articles in `scope`, in document order (an article is named by its title). */
export const titlesIn = (scope: Locator) =>
  scope.getByRole('article').evaluateAll((articles) => articles.map((a) => a.ariaLabel));

/** The post at `index`, for readable arrange steps (the demo blog's content is fixed). */
export const nth = <T>(posts: T[], index: number): T => {
  const post = posts[index];
  if (!post) throw new Error(`The demo blog has no post #${index} here.`);
  return post;
};

/** A post's `<article>` in the popup, found by its title. */
export const postArticle = (popup: Page, post: Pick<PublishedPost, 'title'>) =>
  popup.getByRole('article', { name: post.title, exact: true });

/** What has keyboard focus in `page`, as a person hears it: its label, else its text ('' for none). */
export const focusedName = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return '';
    return element.getAttribute('aria-label') ?? (element as HTMLElement).innerText.trim();
  });

/** The full-page reading list (`reading.html`) of the extension in `browser`. */
export const readingPageUrl = (browser: ExtensionBrowser) =>
  `chrome-extension://${browser.extensionId}/reading.html`;

/** Presses the popup's "Refresh". */
export const refresh = (popup: Page) => popup.getByRole('button', { name: 'Refresh' }).click();

/** The blog's entry on the options page, found by its feed address. */
export const blogEntry = (options: Page, blog: BlogServer) =>
  options
    .getByRole('list', { name: 'Blogs' })
    .getByRole('listitem')
    .filter({ hasText: blog.feedUrl });

/** The requests `blog` received for its feed, oldest first. */
export const feedRequests = (blog: BlogServer): RecordedRequest[] =>
  blog.requests.filter((r) => r.path === new URL(blog.feedUrl).pathname);

/**
 * Stops the extension's service worker as Chrome does when it ends an idle or overrunning
 * worker: everything in it dies at once (requests in flight, open transactions, timers).
 * Done through the DevTools protocol (`ServiceWorker.stopAllWorkers`) on a session attached
 * to an extension page, whose storage partition holds the extension's worker; resolves once
 * the worker reports `stopped`. The worker starts again on its next event (the alarm, a
 * message), and Playwright's handle to it (`currentWorker()`) then runs in the new one.
 */
export async function stopServiceWorker(browser: ExtensionBrowser): Promise<void> {
  const page = await browser.openOptions();
  const session = await browser.context.newCDPSession(page);
  const ours = `chrome-extension://${browser.extensionId}/`;
  try {
    let status = '';
    let onStatus = () => {};
    session.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const version = versions.find((candidate) => candidate.scriptURL.startsWith(ours));
      if (!version) return;
      status = version.runningStatus;
      onStatus();
    });
    await session.send('ServiceWorker.enable');
    await session.send('ServiceWorker.stopAllWorkers');
    await new Promise<void>((resolve) => {
      onStatus = () => void (status === 'stopped' && resolve());
      onStatus();
    });
  } finally {
    await session.detach().catch(() => undefined);
    await page.close();
  }
}

/** What the tests use of the service worker's `chrome` global (this process has no such types). */
interface WorkerGlobals {
  chrome: {
    storage: {
      local: { set(items: object): Promise<void>; remove(keys: string[]): Promise<void> };
    };
  };
}

export interface ExtensionSuite {
  /** The browser this file launched. */
  readonly browser: ExtensionBrowser;
  /** The first blog started in the current test: under {@link useFollowedDemoBlog}, the followed one. */
  readonly blog: BlogServer;
  /** Starts a blog on 127.0.0.1 (not followed), closed after the test. */
  startBlog(options?: BlogServerOptions): Promise<BlogServer>;
  /** The toolbar badge's text now. */
  badge(): Promise<string>;
  /**
   * Sets the check interval the way the extension stores it (the `pollIntervalMinutes`
   * setting in `browser.storage.local`); it goes back to the default after the test.
   */
  setPollInterval(minutes: number): Promise<void>;
  /**
   * Sets any setting the way the extension stores it (its key in `browser.storage.local`,
   * utils/settings.ts); it goes back to its default after the test.
   */
  setSetting(key: string, value: unknown): Promise<void>;
}

/**
 * Launches Chromium with the extension once for the file, and after every test brings it back
 * to its default setting, to nothing followed or saved (through the UI), and closes the
 * blogs the test started. Call at the top level of a test file.
 */
export function useExtension(): ExtensionSuite {
  let browser: ExtensionBrowser | undefined;
  let blogs: BlogServer[] = [];
  /** Settings a test changed: removed (back to their defaults) after it. */
  let changedSettings: string[] = [];

  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterEach(async () => {
    const live = suite.browser;
    if (changedSettings.length > 0) {
      const keys = changedSettings;
      changedSettings = [];
      const worker = await live.currentWorker();
      await worker.evaluate(
        (names) => (globalThis as unknown as WorkerGlobals).chrome.storage.local.remove(names),
        keys,
      );
    }
    await resetThroughUi(live);
    const started = blogs;
    blogs = [];
    await Promise.all(started.map((blog) => blog.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  const suite: ExtensionSuite = {
    get browser() {
      if (!browser) throw new Error('The browser is launched in beforeAll; use it in a test.');
      return browser;
    },
    get blog() {
      const [first] = blogs;
      if (!first) throw new Error('No blog started in this test; call startBlog() first.');
      return first;
    },
    async startBlog(options) {
      const blog = await startBlogServer(options);
      blogs.push(blog);
      return blog;
    },
    async badge() {
      return badgeText(await suite.browser.currentWorker());
    },
    setPollInterval(minutes) {
      return suite.setSetting('pollIntervalMinutes', minutes);
    },
    async setSetting(key, value) {
      if (!changedSettings.includes(key)) changedSettings.push(key);
      const worker = await suite.browser.currentWorker();
      await worker.evaluate(
        ([name, setting]) =>
          (globalThis as unknown as WorkerGlobals).chrome.storage.local.set({ [name]: setting }),
        [key, value] as const,
      );
    },
  };
  return suite;
}

/**
 * Before each test (of the file or `describe` it is called in): starts the demo blog and
 * follows it from its site address on the options page, as a user would.
 */
export function useFollowedDemoBlog(suite: ExtensionSuite): void {
  beforeEach(async () => {
    const blog = await suite.startBlog();
    await addBlog(await suite.browser.openOptions(), blog.url);
  });
}

/**
 * For tests of the schedule: sets the check interval to the e2e alarm's period (the e2e build
 * ticks every 0.05 min, so a checked feed is due again on the next tick), follows a demo blog
 * from its site address, and opens the popup once its 9 posts are listed.
 */
export async function followOnFastSchedule(
  suite: ExtensionSuite,
): Promise<{ blog: BlogServer; popup: Page }> {
  await suite.setPollInterval(0.05);
  // The demo blog posts every few days: left to learn, polling would back off toward that
  // rhythm (up to the user's longest interval). The test's "maximum" keeps it at 3 s.
  await suite.setSetting('maxPollIntervalMinutes', 0.05);
  const blog = await suite.startBlog();
  await addBlog(await suite.browser.openOptions(), blog.url);
  const popup = await suite.browser.openPopup();
  await popup.getByText('9 unread').waitFor();
  return { blog, popup };
}

/** The options page's "Add a blog" form (its status line says what adding did). */
export const addBlogForm = (options: Page) => options.getByRole('form', { name: 'Add a blog' });

/** Following a page without a feed through the options page, as the demo does it too. */
export { FOLLOWING_PAGE, followOffered, offerToFollow } from '../../scripts/chromium.mjs';

/** The requests `blog` received for `path` (default its listing page), oldest first. */
export const pageRequests = (blog: BlogServer, path = '/'): RecordedRequest[] =>
  blog.requests.filter((r) => r.path === path);

/** The test hook the e2e build's worker has for work it does after answering (utils/test-hooks.ts). */
interface WorkerTestHooks {
  __dispatch: { idle(): Promise<void> };
}

/**
 * Waits until the work the worker does after answering has run: a listing blog's article
 * measuring and its backfill of older pages, queued by following or polling it.
 */
export async function workerIdle(browser: ExtensionBrowser): Promise<void> {
  const worker = await browser.currentWorker();
  await worker.evaluate(() => (globalThis as unknown as WorkerTestHooks).__dispatch.idle());
}
