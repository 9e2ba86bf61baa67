/**
 * Following a blog that has no feed, end to end (issue 6): the built extension learns the
 * demo blog's listing page, follows it from the options page, lists its posts by category in
 * the popup, finds a newly published card, flags a redesign without losing anything, and
 * re-learns in one click. Only what a user sees (docs/ui-contract.md).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addBlog } from '../../scripts/chromium.mjs';
import type { BlogServer, PublishedPost } from '../../scripts/demo-blog/server.mjs';
import {
  addBlogForm,
  blogEntry,
  eventually,
  followOffered,
  nth,
  offerToFollow,
  pageRequests,
  postArticle,
  refresh,
  titlesIn,
  useExtension,
  workerIdle,
} from './helpers';

const suite = useExtension();

const SUMMARY = '9 posts in 2 categories: State Space Model, Transformer';
const CATEGORIES = ['State Space Model', 'Transformer'];
const LAYOUT_CHANGED = 'The page layout changed — re-learn?';

/** Titles of `posts`, sorted: the page gives no dates, so the order is not compared. */
const sortedTitles = (posts: Pick<PublishedPost, 'title'>[]) =>
  posts.map((post) => post.title).sort();

/** The posts in a category of the popup's Unread list, by title, sorted. */
const titlesInSection = async (popup: Page, category: string) =>
  (await titlesIn(popup.getByRole('region', { name: category, exact: true }))).sort();

/** The titles listed in the popup's Unread tab, each once per category it is in. */
const unreadTitles = async (popup: Page) =>
  (await titlesIn(popup.getByRole('tabpanel'))).filter((title): title is string => !!title);

/** `blog`'s posts in `category`. */
const inCategory = (posts: PublishedPost[], category: string) =>
  posts.filter((post) => post.category === category);

/** What the offer to follow a page lists under "Posts found", one text per post. */
const postsFound = (offer: Locator) =>
  offer.getByRole('list', { name: 'Posts found' }).getByRole('listitem').allInnerTexts();

/** Presses Refresh and waits until the listing page was asked again and answered. */
async function refreshAndWaitForPage(popup: Page, blog: BlogServer): Promise<void> {
  const before = pageRequests(blog).length;
  await refresh(popup);
  await eventually(() => pageRequests(blog).length > before).toBe(true);
}

describe('following a blog without a feed', () => {
  it('follows the page, lists new cards, flags a redesign with nothing lost, and re-learns', async () => {
    const blog = await suite.startBlog({ feed: false });
    const options = await suite.browser.openOptions();

    // Add: no feed, but the page lists posts.
    const offer = await offerToFollow(options, blog.url);
    await eventually(() => addBlogForm(options).getByRole('status').innerText()).toMatch(
      /^No feed found at .+, but the page lists posts: Dispatch can follow the page itself\.$/,
    );
    await offer.getByText(SUMMARY, { exact: true }).waitFor();
    const found = await postsFound(offer);
    expect(found).toHaveLength(9);
    for (const [index, post] of blog.posts.entries()) {
      expect(found[index]).toContain(post.title);
      expect(found[index]?.replace(post.title, '')).toContain(post.category);
      expect(found[index]).toContain('2 min read');
    }

    // Follow this page.
    const { title, count } = await followOffered(options, offer);
    expect(count).toBe(9);
    await offer.waitFor({ state: 'detached' });
    const entry = blogEntry(options, blog);
    await entry.getByRole('heading', { level: 3, name: title, exact: true }).waitFor();
    await entry.getByText('Follows its page (no feed).').waitFor();
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    await workerIdle(suite.browser);

    // The popup: both categories, the 9 titles, "2 min read", the site's label kept.
    const popup = await suite.browser.openPopup();
    await popup.getByText('9 unread').waitFor();
    for (const category of CATEGORIES) {
      expect(await titlesInSection(popup, category)).toEqual(
        sortedTitles(inCategory(blog.posts, category)),
      );
    }
    for (const article of await popup.getByRole('tabpanel').getByRole('article').all()) {
      expect(await article.innerText()).toMatch(/\b2 min read\b/);
    }
    await postArticle(popup, nth(blog.posts, 0))
      .getByTitle('2 min by Dispatch’s count; the site says 2 min')
      .waitFor();
    await eventually(suite.badge).toBe('9');

    // A new card on the page arrives unread in its category.
    const published = blog.publish();
    await refresh(popup);
    await postArticle(popup, published).waitFor();
    expect(await titlesInSection(popup, published.category)).toEqual(
      sortedTitles(inCategory(blog.posts, published.category)),
    );
    await eventually(suite.badge).toBe('10');
    await popup.getByText('10 unread').waitFor();

    // Read one, save another: what the redesign must not undo.
    const read = nth(inCategory(blog.posts, 'Transformer'), 0);
    const saved = nth(inCategory(blog.posts, 'Transformer'), 1);
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Save', exact: true }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Saved' }).waitFor();
    await eventually(suite.badge).toBe('9');

    // The redesign: the learned cards are gone from the page.
    blog.setLayout('redesign');
    await refreshAndWaitForPage(popup, blog);

    await popup.getByText(`${title}: the page layout changed — re-learn?`).waitFor();
    const later = await suite.browser.openOptions();
    const drifting = blogEntry(later, blog);
    const alert = drifting.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(LAYOUT_CHANGED);
    expect(await alert.innerText()).toMatch(/No posts were found on the listing page/);

    // Nothing lost: 10 posts, the read one read, the saved one saved.
    await eventually(() => drifting.innerText()).toMatch(/· 10 posts/);
    const after = await suite.browser.openPopup();
    await after.getByText('9 unread').waitFor();
    expect((await unreadTitles(after)).sort()).toEqual(
      sortedTitles(blog.posts.filter((post) => post.title !== read.title)),
    );
    expect(await suite.badge()).toBe('9');
    await after.getByRole('tab', { name: 'Reading list' }).click();
    expect(
      await after.getByRole('list', { name: 'Reading list' }).getByRole('listitem').allInnerTexts(),
    ).toEqual([expect.stringContaining(saved.title)]);

    // Re-learn, in one click: the alarm goes, no post is doubled.
    await drifting.getByRole('button', { name: 'Re-learn' }).click();
    await later.getByText('Re-learned: 10 posts found.').waitFor();
    await alert.waitFor({ state: 'detached' });
    await refreshAndWaitForPage(popup, blog);
    await eventually(() => drifting.innerText()).toMatch(/· 10 posts/);
    const relearned = await suite.browser.openPopup();
    await relearned.getByText('9 unread').waitFor();
    expect(await relearned.getByText(/the page layout changed/).count()).toBe(0);
    expect((await unreadTitles(relearned)).sort()).toEqual(
      sortedTitles(blog.posts.filter((post) => post.title !== read.title)),
    );
    expect(await suite.badge()).toBe('9');
  });

  it('lists the posts in the page’s order, newest at the top, and a new card above them', async () => {
    const blog = await suite.startBlog({ feed: false });
    const options = await suite.browser.openOptions();
    await followOffered(options, await offerToFollow(options, blog.url));
    const popup = await suite.browser.openPopup();
    await popup.getByText('9 unread').waitFor();
    const section = (category: string) =>
      titlesIn(popup.getByRole('region', { name: category, exact: true }));
    const pageOrder = (category: string) =>
      inCategory(blog.posts, category).map((post) => post.title);

    for (const category of CATEGORIES) {
      expect(await section(category)).toEqual(pageOrder(category));
    }

    const published = blog.publish();
    await refresh(popup);
    await postArticle(popup, published).waitFor();
    expect(await section(published.category)).toEqual(pageOrder(published.category));
    expect(pageOrder(published.category)[0]).toBe(published.title);
  });

  it('counts each new post’s article itself, and keeps the card’s label as what the site says', async () => {
    const blog = await suite.startBlog({ feed: false, listedMinutes: 5 });
    const options = await suite.browser.openOptions();
    const offer = await offerToFollow(options, blog.url);
    expect(await postsFound(offer)).toEqual(
      blog.posts.map(() => expect.stringContaining('5 min read')),
    );

    await followOffered(options, offer);
    await workerIdle(suite.browser);

    const popup = await suite.browser.openPopup();
    await popup.getByText('9 unread').waitFor();
    const articles = popup.getByRole('tabpanel').getByRole('article');
    const shown = async () =>
      (await articles.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    await eventually(shown).toEqual(
      blog.posts.map(() => expect.stringMatching(/\b2 min read \(the site says 5 min\)/)),
    );
    await postArticle(popup, nth(blog.posts, 0))
      .getByTitle('2 min by Dispatch’s count; the site says 5 min')
      .waitFor();
    // The header's unread minutes follow: 9 × 2, not 9 × 5.
    expect(await popup.getByRole('banner').innerText()).toMatch(/\b18 min\b/);
    // Each article was fetched once.
    const articleRequests = blog.requests
      .map((request) => request.path)
      .filter((path) => path.startsWith('/posts/'));
    expect(articleRequests.sort()).toEqual(blog.posts.map((post) => `/posts/${post.slug}/`).sort());
  });

  it('previews again when a part of the cards is given another role', async () => {
    const blog = await suite.startBlog({ feed: false });
    const options = await suite.browser.openOptions();
    const offer = await offerToFollow(options, blog.url);
    await offer.getByText(SUMMARY, { exact: true }).waitFor();
    const description = offer.getByText(/^Cards: /);
    expect(await description.innerText()).toMatch(/Category: .*\('State Space Model'\)/);

    await offer.getByText('What Dispatch reads').click();
    const category = offer.getByRole('combobox', { name: 'Role of “State Space Model”' });
    expect(await category.locator('option:checked').innerText()).toBe('Category');
    await category.selectOption({ label: 'Nothing' });

    await offer.getByText('9 posts, without categories', { exact: true }).waitFor();
    expect(await description.innerText()).not.toMatch(/Category:/);
    const found = await postsFound(offer);
    expect(found).toHaveLength(9);
    for (const [index, post] of blog.posts.entries()) {
      const besideTitle = found[index]?.replace(post.title, '');
      expect(besideTitle).toContain('2 min read');
      expect(besideTitle).not.toContain(post.category);
    }

    const { count } = await followOffered(options, offer);
    expect(count).toBe(9);
    const popup = await suite.browser.openPopup();
    await popup.getByText('9 unread').waitFor();
    expect(await titlesInSection(popup, 'Uncategorized')).toEqual(sortedTitles(blog.posts));
    for (const name of CATEGORIES) {
      expect(await popup.getByRole('region', { name, exact: true }).count()).toBe(0);
    }
  });
});

describe('older posts (backfill)', () => {
  it('follows the first page unread and fills in the older pages as read', async () => {
    const blog = await suite.startBlog({ feed: false, pageSize: 5 });
    const newest = blog.posts.slice(0, 5);
    const older = blog.posts.slice(5);
    const options = await suite.browser.openOptions();

    const offer = await offerToFollow(options, blog.url);
    await offer.getByText('5 posts in 2 categories: State Space Model, Transformer').waitFor();
    const { count } = await followOffered(options, offer);
    expect(count).toBe(5);
    await workerIdle(suite.browser);

    const entry = blogEntry(options, blog);
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    expect(pageRequests(blog, '/page/2/').some((r) => r.status === 200)).toBe(true);
    const popup = await suite.browser.openPopup();
    await popup.getByText('5 unread').waitFor();
    expect((await unreadTitles(popup)).sort()).toEqual(sortedTitles(newest));
    expect(await suite.badge()).toBe('5');
    await popup.getByRole('button', { name: 'Show read' }).click();
    const recentlyRead = popup.getByRole('region', { name: 'Recently read' });
    await recentlyRead.getByRole('article').first().waitFor();
    expect((await titlesIn(recentlyRead)).sort()).toEqual(sortedTitles(older));
  });

  it('fills in what a short feed leaves out, as read, from the site’s pages', async () => {
    const blog = await suite.startBlog({ feedSize: 3, pageSize: 5 });
    const options = await suite.browser.openOptions();

    const status = await addBlog(options, blog.url);

    expect(status).toContain('Research & Writing (3 posts)');
    await workerIdle(suite.browser);
    const entry = blogEntry(options, blog);
    await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
    const popup = await suite.browser.openPopup();
    await popup.getByText('3 unread').waitFor();
    expect((await unreadTitles(popup)).sort()).toEqual(sortedTitles(blog.posts.slice(0, 3)));
    expect(await suite.badge()).toBe('3');
  });
});
