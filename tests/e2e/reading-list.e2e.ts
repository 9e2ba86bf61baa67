/**
 * The reading list, end to end: reordering with the Move buttons and with Alt+Arrow keys,
 * finishing (under a collapsed "Finished" with the date), removing with Undo, exporting as
 * JSON, Markdown and bookmarks files that hold every item, and the full-page view
 * (`reading.html`) showing the same list as the popup and following its changes. The built
 * extension in Chromium, with the demo blog followed and posts saved from the popup.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PublishedPost } from '../../scripts/demo-blog/server.mjs';
import {
  eventually,
  focusedName,
  nth,
  postArticle,
  readingPageUrl,
  useExtension,
  useFollowedDemoBlog,
} from './helpers';

const suite = useExtension();

/** Saves `posts` from the popup's Unread tab, in this order, with their Save buttons. */
async function savePosts(popup: Page, posts: PublishedPost[]): Promise<void> {
  for (const post of posts) {
    await postArticle(popup, post).getByRole('button', { name: 'Save', exact: true }).click();
    await postArticle(popup, post).getByRole('button', { name: 'Saved' }).waitFor();
  }
}

/** The popup's Reading list tab, opened. */
async function readingTab(popup: Page): Promise<Locator> {
  await popup.getByRole('tab', { name: 'Reading list' }).click();
  return popup.getByRole('tabpanel');
}

/** The titles in a list of the reading list (each item's link), in order. */
const titlesOf = (list: Locator) => list.getByRole('link').allInnerTexts();

describe('reading list', () => {
  useFollowedDemoBlog(suite);

  it('reorders with the Move buttons and with Alt+Arrow keys, keeping focus, and remembers the order', async () => {
    const popup = await suite.browser.openPopup();
    const [a, b, c] = [
      nth(suite.blog.posts, 0),
      nth(suite.blog.posts, 1),
      nth(suite.blog.posts, 2),
    ];
    await savePosts(popup, [a, b, c]);
    const panel = await readingTab(popup);
    const list = panel.getByRole('list', { name: 'Reading list' });
    await eventually(() => titlesOf(list)).toEqual([a.title, b.title, c.title]);
    expect(
      await list.getByRole('button', { name: `Move ${a.title} up` }).getAttribute('aria-disabled'),
    ).toBe('true');

    const down = list.getByRole('button', { name: `Move ${a.title} down` });
    await down.click();

    await eventually(() => titlesOf(list)).toEqual([b.title, a.title, c.title]);
    await panel.getByRole('status').getByText(`Moved “${a.title}” to position 2 of 3.`).waitFor();
    expect(await focusedName(popup)).toBe(`Move ${a.title} down`);

    await list.getByRole('link', { name: c.title }).focus();
    await popup.keyboard.press('Alt+ArrowUp');
    await eventually(() => titlesOf(list)).toEqual([b.title, c.title, a.title]);
    await popup.keyboard.press('Alt+ArrowUp');
    await eventually(() => titlesOf(list)).toEqual([c.title, b.title, a.title]);
    expect(await focusedName(popup)).toBe(c.title);

    const again = await readingTab(await suite.browser.openPopup());
    await eventually(() => titlesOf(again.getByRole('list', { name: 'Reading list' }))).toEqual([
      c.title,
      b.title,
      a.title,
    ]);
  });

  it('"Finished" moves an item under a collapsed "Finished" with the date; a removed item comes back with Undo', async () => {
    const popup = await suite.browser.openPopup();
    const [a, b, c] = [
      nth(suite.blog.posts, 3),
      nth(suite.blog.posts, 4),
      nth(suite.blog.posts, 5),
    ];
    await savePosts(popup, [a, b, c]);
    const panel = await readingTab(popup);
    const list = panel.getByRole('list', { name: 'Reading list' });
    await eventually(() => titlesOf(list)).toEqual([a.title, b.title, c.title]);

    await list.getByRole('button', { name: `Mark ${a.title} finished` }).click();

    await eventually(() => titlesOf(list)).toEqual([b.title, c.title]);
    const disclosure = panel
      .getByRole('heading', { level: 2 })
      .getByRole('button', { name: /^Finished\s*1$/ });
    expect(await disclosure.getAttribute('aria-expanded')).toBe('false');
    await disclosure.click();
    const finished = panel.getByRole('list', { name: 'Finished' });
    await eventually(() => titlesOf(finished)).toEqual([a.title]);
    const today = await popup.evaluate(() => {
      const now = new Date();
      const months = [
        'Jan',
        'Feb',
        'Mar',
        'Apr',
        'May',
        'Jun',
        'Jul',
        'Aug',
        'Sep',
        'Oct',
        'Nov',
        'Dec',
      ];
      return `${now.getDate()} ${months[now.getMonth()]} ${now.getFullYear()}`;
    });
    expect(await finished.getByRole('listitem').innerText()).toContain(`finished ${today}`);

    await list.getByRole('button', { name: `Remove ${b.title}` }).click();

    await eventually(() => titlesOf(list)).toEqual([c.title]);
    await popup.getByText(`Removed “${b.title}”.`).waitFor();
    await popup.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => titlesOf(list)).toEqual([b.title, c.title]);
    await eventually(() => titlesOf(finished)).toEqual([a.title]);
  });

  it('exports JSON, Markdown and bookmarks files from the full page that hold every item', async () => {
    const popup = await suite.browser.openPopup();
    const [a, b] = [nth(suite.blog.posts, 6), nth(suite.blog.posts, 7)];
    await savePosts(popup, [a, b]);
    const panel = await readingTab(popup);
    const list = panel.getByRole('list', { name: 'Reading list' });
    await list.getByRole('button', { name: `Add note to ${a.title}` }).click();
    await panel.getByRole('textbox', { name: 'Note' }).fill('Read before the meeting');
    await popup.keyboard.press('Enter');
    await list.getByText('Read before the meeting').waitFor();
    await list.getByRole('button', { name: `Mark ${b.title} finished` }).click();
    await eventually(() => titlesOf(list)).toEqual([a.title]);

    const page = await suite.browser.context.newPage();
    await page.goto(readingPageUrl(suite.browser));
    await page.getByRole('list', { name: 'Reading list' }).getByRole('link').first().waitFor();
    const exported = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: button }).click(),
      ]);
      const name = download.suggestedFilename();
      return { name, text: await readFile(await download.path(), 'utf8') };
    };

    const json = await exported('Export JSON');
    expect(json.name).toMatch(/^dispatch-reading-list-\d{4}-\d{2}-\d{2}\.json$/);
    await page.getByRole('status').getByText(`Exported 2 items to ${json.name}.`).waitFor();
    const everything = JSON.stringify(JSON.parse(json.text));
    for (const text of [a.title, a.url, 'Read before the meeting', b.title, b.url]) {
      expect(everything).toContain(JSON.stringify(text).slice(1, -1));
    }

    const markdown = await exported('Export Markdown');
    expect(markdown.name).toMatch(/\.md$/);
    for (const text of [a.url, b.url, 'Read before the meeting'])
      expect(markdown.text).toContain(text);
    for (const post of [a, b]) {
      // A title's Markdown punctuation may be escaped; its words are all there.
      for (const word of post.title.split(/\W+/).filter(Boolean))
        expect(markdown.text).toContain(word);
    }

    const bookmarks = await exported('Export bookmarks (HTML)');
    expect(bookmarks.name).toMatch(/\.html?$/);
    expect(bookmarks.text).toMatch(/^<!DOCTYPE NETSCAPE-Bookmark-file-1>/i);
    for (const post of [a, b]) {
      expect(bookmarks.text).toMatch(
        new RegExp(`HREF="${post.url.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')}"`, 'i'),
      );
      expect(bookmarks.text).toContain(post.title.replaceAll('&', '&amp;'));
    }
  });

  it('the full page shows the same list as the popup, in the same order, and follows its changes', async () => {
    const popup = await suite.browser.openPopup();
    const [a, b, c] = [
      nth(suite.blog.posts, 2),
      nth(suite.blog.posts, 8),
      nth(suite.blog.posts, 5),
    ];
    await savePosts(popup, [a, b, c]);
    const panel = await readingTab(popup);
    const popupList = panel.getByRole('list', { name: 'Reading list' });
    await popupList.getByRole('button', { name: `Move ${c.title} up` }).click();
    await eventually(() => titlesOf(popupList)).toEqual([a.title, c.title, b.title]);

    const [page] = await Promise.all([
      suite.browser.context.waitForEvent('page'),
      panel.getByRole('link', { name: 'Open full page' }).click(),
    ]);
    await page.waitForURL(readingPageUrl(suite.browser));
    await page.getByRole('heading', { level: 1, name: 'Reading list' }).waitFor();
    const pageList = page.getByRole('list', { name: 'Reading list' });
    await eventually(() => titlesOf(pageList)).toEqual([a.title, c.title, b.title]);
    expect(await page.getByText('3 to read · 6 min').count()).toBe(1);

    await pageList.getByRole('button', { name: `Mark ${a.title} finished` }).click();

    await eventually(() => titlesOf(popupList)).toEqual([c.title, b.title]);
    await popupList.getByRole('button', { name: `Move ${b.title} up` }).click();
    await eventually(() => titlesOf(pageList)).toEqual([b.title, c.title]);
  });
});
