/**
 * Following a blog, end to end: the built extension in Chromium, a demo blog on 127.0.0.1, and
 * only what a user sees (docs/ui-contract.md).
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addBlog,
  badgeText,
  launchWithExtension,
  resetThroughUi,
  type ExtensionBrowser,
} from '../../scripts/chromium.mjs';
import { startBlogServer, type BlogServer } from '../../scripts/demo-blog/server.mjs';

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

/** The blog's entry on the options page, found by its feed address. */
const blogEntry = (options: Page, blog: BlogServer) =>
  options
    .getByRole('list', { name: 'Blogs' })
    .getByRole('listitem')
    .filter({ hasText: blog.feedUrl });

describe('following a blog', () => {
  let browser: ExtensionBrowser;
  let blog: BlogServer | undefined;

  beforeAll(async () => {
    browser = await launchWithExtension();
  });
  afterEach(async () => {
    await resetThroughUi(browser);
    await blog?.close();
    blog = undefined;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows "No blogs yet." and an "Add a blog" link to the options page in an empty popup', async () => {
    const popup = await browser.openPopup();

    await popup.getByText('No blogs yet.').waitFor();
    await popup.getByRole('link', { name: 'Add a blog' }).click();

    await eventually(() =>
      browser.context.pages().some((page) => page.url().startsWith(browser.optionsUrl)),
    ).toBe(true);
  });

  it('follows a blog from its site address by finding the advertised feed', async () => {
    blog = await startBlogServer();
    const options = await browser.openOptions();

    const status = await addBlog(options, blog.url);

    expect(status).toContain('Research & Writing');
    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: 'Research & Writing' }).waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    await eventually(() => badgeText(browser.worker)).toBe('9');
  });

  it('follows a blog from its feed address', async () => {
    blog = await startBlogServer();
    const options = await browser.openOptions();

    await addBlog(options, blog.feedUrl);

    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: 'Research & Writing' }).waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
  });

  it('finds /feed.xml at a common address when the site advertises no feed', async () => {
    blog = await startBlogServer({ advertiseFeed: false });
    const options = await browser.openOptions();

    await addBlog(options, blog.url);

    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: 'Research & Writing' }).waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    expect(blog.requests.some((r) => r.path === '/feed.xml' && r.status === 200)).toBe(true);
  });
});
