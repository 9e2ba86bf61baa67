/**
 * Checking for new posts, end to end: a blog that publishes, a feed that has not changed
 * (conditional GET), and a feed that breaks, seen through the popup, the options page, the
 * badge and the notifications of the built extension.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addBlog,
  badgeText,
  clearNotifications,
  launchWithExtension,
  notifications,
  resetThroughUi,
  type ExtensionBrowser,
} from '../../scripts/chromium.mjs';
import {
  startBlogServer,
  type BlogServer,
  type PublishedPost,
} from '../../scripts/demo-blog/server.mjs';

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

const titlesIn = (popup: Page, category: string) =>
  popup
    .getByRole('region', { name: category, exact: true })
    .getByRole('article')
    .evaluateAll((articles) => articles.map((a) => a.ariaLabel));

/** The post at `index`, for readable arrange steps (the demo blog's content is fixed). */
const nth = (posts: PublishedPost[], index: number) => {
  const post = posts[index];
  if (!post) throw new Error(`The demo blog has no post #${index} here.`);
  return post;
};

const postArticle = (popup: Page, post: PublishedPost) =>
  popup.getByRole('article', { name: post.title, exact: true });

const refresh = (popup: Page) => popup.getByRole('button', { name: 'Refresh' }).click();

describe('checking for new posts', () => {
  let browser: ExtensionBrowser;
  let blog: BlogServer;
  let ssm: PublishedPost[];

  const badge = async () => badgeText(await browser.currentWorker());
  const feedRequests = () => blog.requests.filter((r) => r.path === new URL(blog.feedUrl).pathname);

  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  beforeEach(async () => {
    blog = await startBlogServer();
    ssm = blog.posts.filter((post) => post.category === 'State Space Model');
    await addBlog(await browser.openOptions(), blog.url);
  });
  afterEach(async () => {
    await resetThroughUi(browser);
    await blog.close();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a newly published post after Refresh, with one notification, and keeps read posts read', async () => {
    const popup = await browser.openPopup();
    const read = nth(ssm, 1);
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await eventually(badge).toBe('8');
    await clearNotifications(await browser.currentWorker());

    const published = blog.publish();
    await refresh(popup);

    await postArticle(popup, published).waitFor();
    expect(published.category).toBe('State Space Model');
    expect(await titlesIn(popup, 'State Space Model')).toEqual(
      [published, ...ssm].filter((post) => post !== read).map((post) => post.title),
    );
    await eventually(badge).toBe('9');
    await eventually(async () =>
      Object.keys(await notifications(await browser.currentWorker())),
    ).toHaveLength(1);
    await popup.getByText('9 unread').waitFor();
  });

  it('asks again with If-None-Match, gets 304 and changes nothing', async () => {
    const popup = await browser.openPopup();
    await popup.getByRole('article').nth(8).waitFor();
    expect(feedRequests()[0]?.status).toBe(200);
    const before = feedRequests().length;

    await refresh(popup);

    await eventually(() =>
      feedRequests()
        .slice(before)
        .some((r) => r.status === 304),
    ).toBe(true);
    const revalidation = feedRequests()
      .slice(before)
      .find((r) => r.status === 304);
    const etag = revalidation?.headers['if-none-match'];
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(await popup.getByRole('article').count()).toBe(9);
    await popup.getByText('9 unread').waitFor();
    expect(await badge()).toBe('9');
    // The validator the extension sent is the feed's current ETag.
    const check = await fetch(blog.feedUrl, { headers: { 'If-None-Match': String(etag) } });
    expect(check.status).toBe(304);
  });

  it('says "Last error:" with the 500 on the options page when the feed fails, and keeps everything', async () => {
    const popup = await browser.openPopup();
    const [read, saved] = [nth(ssm, 0), nth(ssm, 2)];
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Save', exact: true }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Saved' }).waitFor();
    await eventually(badge).toBe('8');

    blog.setMode('error-500');
    await refresh(popup);

    await eventually(() => feedRequests().some((r) => r.status === 500)).toBe(true);
    const options = await browser.openOptions();
    const entry = options
      .getByRole('list', { name: 'Blogs' })
      .getByRole('listitem')
      .filter({ hasText: blog.feedUrl });
    await eventually(() => entry.innerText()).toMatch(/Last error:[^\n]*\b500\b/);
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    const after = await browser.openPopup();
    await after.getByRole('article').nth(7).waitFor();
    expect(await after.getByRole('article').count()).toBe(8);
    expect(await postArticle(after, read).count()).toBe(0);
    expect(await badge()).toBe('8');
    await after.getByRole('tab', { name: 'Reading list' }).click();
    expect(
      await after.getByRole('list', { name: 'Reading list' }).getByRole('listitem').allInnerTexts(),
    ).toEqual([expect.stringContaining(saved.title)]);
  });
});
