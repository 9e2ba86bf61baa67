/**
 * Reading, end to end: the popup's unread list by category, read state, opening posts, and the
 * reading list, in the built extension with a demo blog followed through the options page.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { addBlog } from '../../scripts/chromium.mjs';
import { loadDemoBlog, type PublishedPost } from '../../scripts/demo-blog/server.mjs';
import {
  eventually,
  nth,
  postArticle,
  titlesIn,
  useExtension,
  useFollowedDemoBlog,
} from './helpers';

const unreadPanel = async (popup: Page) => {
  await popup.getByRole('tab', { name: 'Unread' }).click();
  return popup.getByRole('tabpanel');
};

const readingPanel = async (popup: Page) => {
  await popup.getByRole('tab', { name: 'Reading list' }).click();
  return popup.getByRole('tabpanel');
};

const suite = useExtension();

describe('reading', () => {
  useFollowedDemoBlog(suite);
  /** Published posts, newest first, by category. */
  let ssm: PublishedPost[];
  let transformer: PublishedPost[];

  beforeEach(() => {
    ssm = suite.blog.posts.filter((post) => post.category === 'State Space Model');
    transformer = suite.blog.posts.filter((post) => post.category === 'Transformer');
  });

  it('lists the 9 unread posts by category, newest first, each "2 min read"', async () => {
    const popup = await suite.browser.openPopup();
    const panel = await unreadPanel(popup);
    await panel.getByRole('article').nth(8).waitFor();

    await eventually(() =>
      panel.getByRole('region').evaluateAll((sections) => sections.map((s) => s.ariaLabel)),
    ).toEqual(['State Space Model', 'Transformer']);
    const ssmSection = panel.getByRole('region', { name: 'State Space Model' });
    const transformerSection = panel.getByRole('region', { name: 'Transformer' });
    expect(await ssmSection.getByRole('heading', { level: 2 }).innerText()).toMatch(
      /State Space Model\s*3/,
    );
    expect(await transformerSection.getByRole('heading', { level: 2 }).innerText()).toMatch(
      /Transformer\s*6/,
    );
    expect(await titlesIn(ssmSection)).toEqual(ssm.map((post) => post.title));
    expect(await titlesIn(transformerSection)).toEqual(transformer.map((post) => post.title));
    const articles = await panel.getByRole('article').allInnerTexts();
    expect(articles).toHaveLength(9);
    for (const text of articles) expect(text).toContain('2 min read');
    await popup.getByText('9 unread').waitFor();
  });

  it('"Mark read" takes a post off the Unread list and the badge goes to 8', async () => {
    const popup = await suite.browser.openPopup();
    const newest = nth(ssm, 0);

    await postArticle(popup, newest).getByRole('button', { name: 'Mark read' }).click();

    await postArticle(popup, newest).waitFor({ state: 'detached' });
    await eventually(suite.badge).toBe('8');
    expect(await titlesIn(popup.getByRole('region', { name: 'State Space Model' }))).toEqual(
      ssm.slice(1).map((post) => post.title),
    );
  });

  it("opening a post's link opens the article in a new tab and marks the post read", async () => {
    const popup = await suite.browser.openPopup();
    const post = nth(transformer, 2);
    const link = postArticle(popup, post).getByRole('link', { name: post.title });

    const [tab] = await Promise.all([suite.browser.context.waitForEvent('page'), link.click()]);

    await tab.waitForURL(post.url);
    expect(await tab.getByRole('heading', { level: 1 }).innerText()).toBe(post.title);
    await eventually(suite.badge).toBe('8');
    const again = await suite.browser.openPopup();
    await again.getByRole('article').nth(7).waitFor();
    expect(await titlesIn(await unreadPanel(again))).not.toContain(post.title);
  });

  it('"Save" puts posts on the Reading list in the order saved; "Finished" and "Remove" work', async () => {
    const popup = await suite.browser.openPopup();
    const [first, second, third] = [nth(transformer, 4), nth(ssm, 0), nth(transformer, 0)];
    for (const post of [first, second, third]) {
      await postArticle(popup, post).getByRole('button', { name: 'Save', exact: true }).click();
      await postArticle(popup, post).getByRole('button', { name: 'Saved' }).waitFor();
    }
    expect(
      await postArticle(popup, first).getByRole('button', { name: 'Saved' }).isDisabled(),
    ).toBe(true);

    const panel = await readingPanel(popup);
    const list = panel.getByRole('list', { name: 'Reading list' });
    const item = (post: PublishedPost) =>
      panel.getByRole('listitem').filter({ hasText: post.title });
    await eventually(() => list.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining(first.title),
      expect.stringContaining(second.title),
      expect.stringContaining(third.title),
    ]);
    expect(await item(first).innerText()).toContain('2 min read');

    await item(first)
      .getByRole('button', { name: `Mark ${first.title} finished` })
      .click();

    // "Finished" is a heading whose button shows the finished items (collapsed at first).
    const finished = panel.getByRole('heading', { level: 2, name: /^Finished/ });
    await finished.getByRole('button', { name: /^Finished/, expanded: false }).click();
    const follows = async (earlier: Locator, later: Locator) =>
      earlier.evaluate(
        (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING),
        await later.elementHandle(),
      );
    await eventually(() => follows(finished, item(first))).toBe(true);
    expect(await follows(item(second), finished)).toBe(true);
    expect(await follows(item(third), finished)).toBe(true);

    await item(second)
      .getByRole('button', { name: `Remove ${second.title}` })
      .click();

    await item(second).waitFor({ state: 'detached' });
    expect(await list.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining(third.title),
    ]);
    await item(first).waitFor();
  });

  it('removing the blog on the options page asks first and keeps its reading-list entry', async () => {
    const popup = await suite.browser.openPopup();
    const post = nth(ssm, 1);
    await postArticle(popup, post).getByRole('button', { name: 'Save', exact: true }).click();
    await postArticle(popup, post).getByRole('button', { name: 'Saved' }).waitFor();
    const options = await suite.browser.openOptions();
    const dialogs: string[] = [];
    options.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });

    await options.getByRole('button', { name: 'Remove Research & Writing' }).click();

    await options.getByText('No blogs yet.').waitFor();
    expect(dialogs).toEqual(['confirm']);
    await eventually(suite.badge).toMatch(/^0?$/);
    const after = await suite.browser.openPopup();
    await after.getByText('No blogs yet.').waitFor();
    const list = (await readingPanel(after)).getByRole('list', { name: 'Reading list' });
    await eventually(() => list.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining(post.title),
    ]);
  });
});

describe('text from a feed', () => {
  it('shows a post title that contains markup as that text, and makes no element of it', async () => {
    const title = '<img src=x onerror=alert(1)>';
    const demo = loadDemoBlog();
    const blog = await suite.startBlog({
      posts: [{ ...nth(demo.posts, 0), slug: 'markup-in-title', title }],
    });
    await addBlog(await suite.browser.openOptions(), blog.url);
    const popup = await suite.browser.openPopup();
    const dialogs: string[] = [];
    popup.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    const article = postArticle(popup, { title });
    await article.waitFor();

    expect(await article.getByRole('link').innerText()).toBe(title);
    await article.getByRole('button', { name: 'Save', exact: true }).click();
    const list = (await readingPanel(popup)).getByRole('list', { name: 'Reading list' });
    await eventually(() => list.getByRole('link').allInnerTexts()).toEqual([title]);
    // By tag name on purpose: no <img> may exist at all, whatever its role or name.
    expect(await popup.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('loads no remote image in the popup, even one put there by a rendering bug', async () => {
    // HOSTILE-INPUTS 35: the pages' CSP allows images from the extension only, so a tracking
    // pixel in feed content could not report that the popup was opened.
    const blog = await suite.startBlog();
    const popup = await suite.browser.openPopup();
    const pixel = `${blog.url}pixel.gif?opened=popup`;

    const outcome = await popup.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const image = document.createElement('img');
          image.onload = () => resolve('loaded');
          image.onerror = () => resolve('blocked');
          image.src = src;
          document.body.append(image);
        }),
      pixel,
    );

    expect(outcome).toBe('blocked');
    expect(blog.requests.map((request) => request.path)).not.toContain('/pixel.gif?opened=popup');
  });
});
