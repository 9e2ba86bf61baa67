/**
 * Following a blog, end to end: the built extension in Chromium, a demo blog on 127.0.0.1, and
 * only what a user sees (docs/ui-contract.md).
 */
import { describe, expect, it } from 'vitest';
import { addBlog, badgeText } from '../../scripts/chromium.mjs';
import { blogEntry, eventually, useExtension } from './helpers';

const suite = useExtension();

describe('following a blog', () => {
  it('shows "No blogs yet." and an "Add a blog" link to the options page in an empty popup', async () => {
    const popup = await suite.browser.openPopup();

    await popup.getByText('No blogs yet.').waitFor();
    await popup.getByRole('link', { name: 'Add a blog' }).click();

    await eventually(() =>
      suite.browser.context.pages().some((page) => page.url().startsWith(suite.browser.optionsUrl)),
    ).toBe(true);
  });

  it('follows a blog from its site address by finding the advertised feed', async () => {
    const blog = await suite.startBlog();
    const options = await suite.browser.openOptions();

    const status = await addBlog(options, blog.url);

    expect(status).toContain('Research & Writing');
    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: 'Research & Writing' }).waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    await eventually(() => badgeText(suite.browser.worker)).toBe('9');
  });

  it('follows a blog from its feed address', async () => {
    const blog = await suite.startBlog();
    const options = await suite.browser.openOptions();

    await addBlog(options, blog.feedUrl);

    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: 'Research & Writing' }).waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
  });

  it('finds /feed.xml at a common address when the site advertises no feed', async () => {
    const blog = await suite.startBlog({ advertiseFeed: false });
    const options = await suite.browser.openOptions();

    await addBlog(options, blog.url);

    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: 'Research & Writing' }).waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    expect(blog.requests.some((r) => r.path === '/feed.xml' && r.status === 200)).toBe(true);
  });
});
