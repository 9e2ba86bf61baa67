/**
 * Accessibility, end to end: axe-core finds no serious or critical violation in any page of
 * the built extension — the popup (with posts, with nothing followed, its Reading list and All
 * tabs), the options page and the full-page reading list (`reading.html`), and a blog without
 * a feed: the "Follow this page" preview (its "What Dispatch reads" parts open) and, once the
 * page is redesigned, the drift alert in the blog's entry and in the popup — in the light and
 * the dark colour scheme. A failure lists each violation with the elements concerned.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { blockingViolationsInBothSchemes } from './axe';
import {
  blogEntry,
  followOffered,
  nth,
  offerToFollow,
  postArticle,
  readingPageUrl,
  refresh,
  useExtension,
  useFollowedDemoBlog,
  workerIdle,
} from './helpers';

const suite = useExtension();

/** Opens an extension page in a new tab. */
async function openPage(url: string): Promise<Page> {
  const page = await suite.browser.context.newPage();
  await page.goto(url);
  return page;
}

describe('with nothing followed or saved', () => {
  it('the empty popup, options page and reading page have no serious or critical violation', async () => {
    const found: string[] = [];

    const popup = await suite.browser.openPopup();
    await popup.getByText('No blogs yet.').waitFor();
    found.push(...(await blockingViolationsInBothSchemes(popup, 'popup, no blogs')));

    const options = await suite.browser.openOptions();
    await options.getByText('No blogs yet.').waitFor();
    found.push(...(await blockingViolationsInBothSchemes(options, 'options, no blogs')));

    const reading = await openPage(readingPageUrl(suite.browser));
    await reading.getByText('Nothing saved yet.').waitFor();
    found.push(...(await blockingViolationsInBothSchemes(reading, 'reading.html, empty')));

    expect(found).toEqual([]);
  });
});

describe('with the demo blog followed and two posts saved', () => {
  useFollowedDemoBlog(suite);

  it('the popup, its tabs, the options page and the reading page have no serious or critical violation', async () => {
    const found: string[] = [];
    const popup = await suite.browser.openPopup();
    for (const post of [nth(suite.blog.posts, 0), nth(suite.blog.posts, 4)]) {
      await postArticle(popup, post).getByRole('button', { name: 'Save', exact: true }).click();
      await postArticle(popup, post).getByRole('button', { name: 'Saved' }).waitFor();
    }
    found.push(...(await blockingViolationsInBothSchemes(popup, 'popup, Unread tab')));

    await popup.getByRole('tab', { name: 'Reading list' }).click();
    await popup.getByRole('tabpanel').getByRole('list', { name: 'Reading list' }).waitFor();
    found.push(...(await blockingViolationsInBothSchemes(popup, 'popup, Reading list tab')));

    await popup.getByRole('tab', { name: 'All' }).click();
    await popup.getByRole('searchbox').fill('state space');
    await popup.getByRole('tabpanel').getByRole('article').first().waitFor();
    found.push(...(await blockingViolationsInBothSchemes(popup, 'popup, All tab with results')));

    await popup.getByRole('tab', { name: 'Unread' }).click();
    await popup.keyboard.press('?');
    await popup.getByRole('dialog').waitFor();
    found.push(...(await blockingViolationsInBothSchemes(popup, 'popup, keyboard help')));

    const options = await suite.browser.openOptions();
    await options.getByRole('list', { name: 'Blogs' }).getByRole('listitem').first().waitFor();
    found.push(...(await blockingViolationsInBothSchemes(options, 'options, one blog')));

    const reading = await openPage(readingPageUrl(suite.browser));
    await reading
      .getByRole('list', { name: 'Reading list' })
      .getByRole('listitem')
      .nth(1)
      .waitFor();
    found.push(...(await blockingViolationsInBothSchemes(reading, 'reading.html, two items')));

    expect(found).toEqual([]);
  });
});

describe('with a blog followed through its page (no feed)', () => {
  it('the "Follow this page" preview and the drift alert have no serious or critical violation', async () => {
    const found: string[] = [];
    const blog = await suite.startBlog({ feed: false });
    const options = await suite.browser.openOptions();
    const offer = await offerToFollow(options, blog.url);
    await offer.getByText('What Dispatch reads').click();
    await offer.getByRole('combobox', { name: 'Role of “State Space Model”' }).waitFor();
    found.push(
      ...(await blockingViolationsInBothSchemes(options, 'options, "Follow this page" open')),
    );

    await followOffered(options, offer);
    await workerIdle(suite.browser);
    blog.setLayout('redesign');
    const popup = await suite.browser.openPopup();
    await refresh(popup);
    await popup.getByText(/the page layout changed — re-learn\?/).waitFor();
    found.push(...(await blockingViolationsInBothSchemes(popup, 'popup, page layout changed')));

    const later = await suite.browser.openOptions();
    await blogEntry(later, blog).getByRole('alert').waitFor();
    found.push(
      ...(await blockingViolationsInBothSchemes(later, 'options, page layout changed alert')),
    );

    expect(found).toEqual([]);
  });
});
