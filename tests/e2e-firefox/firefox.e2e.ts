/**
 * Firefox smoke test: the Firefox MV3 test build in Debian's Firefox ESR, through WebDriver
 * BiDi (scripts/firefox.mjs). One user path end to end: follow the demo blog from the options
 * page, read its posts in the popup, see them counted on the toolbar badge; and new posts
 * announced with a notification (Firefox refuses some of Chrome's options); and a blog without
 * a feed followed through its page, whose new card arrives on Refresh. The thorough
 * end-to-end suites run in Chromium (tests/e2e); this one checks that the same code works in
 * Firefox's background page and extension pages.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlogServer, type BlogServer } from '../../scripts/demo-blog/server.mjs';
import { launchFirefoxWithExtension, type FirefoxExtension } from '../../scripts/firefox.mjs';

/**
 * What the tests use of an extension page's `browser` global (this process has no such types).
 * Functions passed to `page.evaluate` are serialized and run in the page, so they name it there.
 */
interface PageGlobals {
  browser: {
    action: { getBadgeText(details: object): Promise<string> };
    permissions: { getAll(): Promise<{ permissions?: string[]; origins?: string[] }> };
    runtime: { sendMessage(message: object): Promise<unknown> };
    storage: { local: { set(items: object): Promise<void> } };
    notifications: {
      onShown: { addListener(listener: (id: string) => void): void };
      onClosed: { addListener(listener: (id: string) => void): void };
    };
  };
  /** Set by the notification test: the notification events the page saw, `onShown:<id>`… */
  notificationEvents?: string[];
}

/** Polls `read` until the matcher that follows passes (15 s). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** Post titles of the articles in the page (an article is named by its title), sorted. */
const articleTitles = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('article')].map((article) => article.ariaLabel ?? '').sort(),
  );

/** The text of the page's status lines (`role="status"`), joined. */
const statusText = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[role="status"]')]
      .map((status) => status.textContent?.trim() ?? '')
      .join(' | '),
  );

/** The toolbar badge's text, read in an extension page. */
const badgeText = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).browser.action.getBadgeText({}));

/**
 * Reloads an extension page from inside it and waits for the new document. BiDi refuses to
 * navigate to `moz-extension://` addresses, and `page.reload()` there never completes (it
 * times out after 30 s).
 */
async function reloadFromInside(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.assign(window, { beforeReload: true });
    location.reload();
  });
  await eventually(() =>
    page
      .evaluate(() => ('beforeReload' in window ? 'old document' : document.readyState))
      .catch(() => 'navigating'),
  ).toBe('complete');
}

/**
 * Opens the options page with the popup's "Add a blog" link and returns its tab. Clicks again
 * if no options tab appeared within 5 s: once, in a run with the machine fully loaded, the
 * click opened nothing (not reproduced since), and this smoke test is about Firefox, not that.
 */
async function openOptionsFrom(popup: Page, firefox: FirefoxExtension): Promise<Page> {
  const link = popup.locator('::-p-aria([name="Add a blog"][role="link"])');
  await link.click();
  try {
    return await firefox.findPage('options.html', 5_000);
  } catch {
    console.warn('No options tab 5 s after clicking "Add a blog"; clicking again.');
    await link.click();
    return firefox.findPage('options.html');
  }
}

describe('Dispatch in Firefox', () => {
  let firefox: FirefoxExtension | undefined;
  let blog: BlogServer | undefined;

  beforeAll(async () => {
    blog = await startBlogServer();
    firefox = await launchFirefoxWithExtension();
  });
  afterAll(async () => {
    await firefox?.close();
    await blog?.close();
  });

  const started = () => {
    if (!firefox || !blog) throw new Error('Firefox and the blog start in beforeAll.');
    return { firefox, blog };
  };

  it('installs with loopback host access and notifications granted (the test build)', async () => {
    const popup = await started().firefox.findPage('popup.html');

    const granted = await popup.evaluate(() =>
      (globalThis as unknown as PageGlobals).browser.permissions.getAll(),
    );

    expect(granted.origins).toEqual(expect.arrayContaining(['http://127.0.0.1/*']));
    expect(granted.permissions).toEqual(expect.arrayContaining(['notifications', 'alarms']));
  });

  it('follows a blog from the options page, lists its posts in the popup and counts them on the badge', async () => {
    const { firefox, blog } = started();
    const titles = blog.posts.map((post) => post.title).sort();
    const popup = await firefox.findPage('popup.html');
    popup.setDefaultTimeout(15_000);

    const options = await openOptionsFrom(popup, firefox);
    options.setDefaultTimeout(15_000);
    await options.locator('::-p-aria([name="Blog or feed URL"][role="textbox"])').fill(blog.url);
    await options.locator('::-p-aria([name="Add"][role="button"])').click();

    await eventually(() => statusText(options)).toContain(
      `Following ${blog.blog.title} (${titles.length} posts).`,
    );
    expect(blog.requests.map((request) => request.path)).toContain(new URL(blog.feedUrl).pathname);
    await eventually(() => articleTitles(popup)).toEqual(titles);
    await reloadFromInside(popup);
    await eventually(() => articleTitles(popup)).toEqual(titles);
    await eventually(() =>
      popup.evaluate(() => (globalThis as unknown as PageGlobals).browser.action.getBadgeText({})),
    ).toBe(String(titles.length));
  });

  it('announces new posts with a notification when notifications are on', async () => {
    const other = await startBlogServer();
    try {
      const popup = await started().firefox.findPage('popup.html');
      popup.setDefaultTimeout(15_000);
      // Headless Firefox closes a notification as soon as it is created (`onClosed`, no
      // `onShown`), and `getAll()` lists none: either event proves `notifications.create`
      // accepted what the worker passed.
      await popup.evaluate(async (url) => {
        const page = globalThis as unknown as PageGlobals;
        const events: string[] = [];
        page.notificationEvents = events;
        page.browser.notifications.onShown.addListener((id) => events.push(`onShown:${id}`));
        page.browser.notifications.onClosed.addListener((id) => events.push(`onClosed:${id}`));
        // What the options page stores once the permission is granted (the test build holds it).
        await page.browser.storage.local.set({ notificationsEnabled: true });
        await page.browser.runtime.sendMessage({ dispatch: 'subscribe', data: { url } });
      }, other.url);
      other.publish();

      await popup.locator('::-p-aria([name="Refresh"][role="button"])').click();

      await eventually(() =>
        popup.evaluate(() => (globalThis as unknown as PageGlobals).notificationEvents ?? []),
      ).toContainEqual(expect.stringMatching(/^on(Shown|Closed):dispatch-new-posts:/));
    } finally {
      await other.close();
    }
  });

  it('follows a blog without a feed through its page, and a new card arrives on Refresh', async () => {
    const { firefox } = started();
    const page = await startBlogServer({ feed: false });
    try {
      const popup = await firefox.findPage('popup.html');
      popup.setDefaultTimeout(15_000);
      const options = await firefox
        .findPage('options.html', 2_000)
        .catch(() => openOptionsFrom(popup, firefox));
      options.setDefaultTimeout(15_000);
      // The popup's list is virtual (only the rows in view exist), so the badge counts.
      const before = Number(await badgeText(popup));

      await options.locator('::-p-aria([name="Blog or feed URL"][role="textbox"])').fill(page.url);
      await options.locator('::-p-aria([name="Add"][role="button"])').click();
      await eventually(() =>
        options.evaluate(() => document.querySelector('.listing-summary')?.textContent ?? ''),
      ).toBe('9 posts in 2 categories: State Space Model, Transformer');
      await options.locator('::-p-aria([name="Follow this page"][role="button"])').click();

      await eventually(() => statusText(options)).toMatch(/Following .+ \(9 posts\)\./);
      await eventually(() => badgeText(popup)).toBe(String(before + 9));
      page.publish();
      await popup.locator('::-p-aria([name="Refresh"][role="button"])').click();
      await eventually(() => badgeText(popup)).toBe(String(before + 10));
    } finally {
      await page.close();
    }
  });
});
