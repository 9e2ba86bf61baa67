/**
 * The popup, end to end, as a person uses it: with the keyboard alone (j/k and the arrows move
 * between posts, s saves, m marks read, o opens, Shift+A marks a section read, ? shows the
 * keys, / searches), "Mark all read" and its
 * Undo, search as you type with the words found highlighted, and the popup at 200% zoom. The
 * built extension in Chromium, with the demo blog followed through the options page.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PublishedPost } from '../../scripts/demo-blog/server.mjs';
import {
  eventually,
  focusedName,
  nth,
  postArticle,
  titlesIn,
  useExtension,
  useFollowedDemoBlog,
} from './helpers';

const suite = useExtension();

/** Whether the focused element shows it: a focus ring (outline or shadow) is drawn. */
const focusIsVisible = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return element.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
  });

describe('popup', () => {
  useFollowedDemoBlog(suite);
  /** Published posts, newest first, by category (sections come in this order). */
  let ssm: PublishedPost[];
  let transformer: PublishedPost[];

  beforeEach(() => {
    ssm = suite.blog.posts.filter((post) => post.category === 'State Space Model');
    transformer = suite.blog.posts.filter((post) => post.category === 'Transformer');
  });

  it('is usable with the keyboard alone: j/k move, s saves, m marks read, o opens, Shift+A marks a section read, ? shows the keys, / searches', async () => {
    const popup = await suite.browser.openPopup();
    const [first, second, third] = [nth(ssm, 0), nth(ssm, 1), nth(ssm, 2)];
    await postArticle(popup, first).waitFor();

    await popup.keyboard.press('j');
    await eventually(() => focusedName(popup)).toBe(first.title);
    expect(await focusIsVisible(popup)).toBe(true);
    await popup.keyboard.press('j');
    await eventually(() => focusedName(popup)).toBe(second.title);
    await popup.keyboard.press('k');
    await eventually(() => focusedName(popup)).toBe(first.title);
    await popup.keyboard.press('ArrowDown');
    await eventually(() => focusedName(popup)).toBe(second.title);

    await popup.keyboard.press('s');
    await postArticle(popup, second).getByRole('button', { name: 'Saved' }).waitFor();

    await popup.keyboard.press('m');
    await postArticle(popup, second).waitFor({ state: 'detached' });
    await eventually(suite.badge).toBe('8');
    // The post that took its place has the focus, so the next key acts on it.
    await eventually(() => focusedName(popup)).toBe(third.title);
    expect(await focusIsVisible(popup)).toBe(true);

    const [tab] = await Promise.all([
      suite.browser.context.waitForEvent('page'),
      popup.keyboard.press('o'),
    ]);
    await tab.waitForURL(third.url);
    await eventually(suite.badge).toBe('7');
    await postArticle(popup, third).waitFor({ state: 'detached' });
    await popup.bringToFront();

    // Focus is on the section's last post, the only one left: Shift+A marks it all read.
    await eventually(() => focusedName(popup)).toBe(first.title);
    await popup.keyboard.press('Shift+A');
    await popup.getByRole('region', { name: 'State Space Model' }).waitFor({ state: 'detached' });
    await eventually(suite.badge).toBe('6');
    await popup.getByText('Marked 1 post in State Space Model read.').waitFor();

    await eventually(() => focusedName(popup)).not.toBe('');
    const focusedBeforeHelp = await focusedName(popup);
    await popup.keyboard.press('?');
    const help = popup.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const does of ['Next post', 'Previous post', 'Mark read / unread', 'Search']) {
      expect(await help.innerText()).toContain(does);
    }
    await popup.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await eventually(() => focusedName(popup)).toBe(focusedBeforeHelp);

    await popup.keyboard.press('/');
    const box = popup.getByRole('searchbox', { name: 'Search posts' });
    await eventually(() => box.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await popup.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    const whisper = transformer.find((post) => post.title.startsWith('Whisper'))!;
    await popup.keyboard.type('whisper');
    await eventually(() => titlesIn(popup.getByRole('tabpanel'))).toEqual([whisper.title]);
  });

  it('"Mark all read" empties the Unread list, and Undo brings every post back', async () => {
    const popup = await suite.browser.openPopup();
    await popup.getByRole('article').nth(8).waitFor();

    await popup.getByRole('button', { name: 'Mark all read', exact: true }).click();

    await popup.getByText('All caught up.').waitFor();
    await popup.getByText('Marked 9 posts read.').waitFor();
    await eventually(suite.badge).toMatch(/^0?$/);

    await popup.getByRole('button', { name: 'Undo' }).click();

    await popup.getByRole('article').nth(8).waitFor();
    await eventually(suite.badge).toBe('9');
    expect(await titlesIn(popup.getByRole('region', { name: 'State Space Model' }))).toEqual(
      ssm.map((post) => post.title),
    );
    await popup.getByText('9 unread').waitFor();
  });

  it('searches as you type in All and highlights the words found', async () => {
    const popup = await suite.browser.openPopup();
    await popup.getByRole('tab', { name: 'All' }).click();
    const box = popup.getByRole('searchbox', { name: 'Search posts' });
    const results = popup.getByRole('tabpanel');

    await box.fill('architecture');

    await results.getByText('9 results').waitFor();
    expect((await titlesIn(results)).sort()).toEqual(suite.blog.posts.map((p) => p.title).sort());
    for (const article of await results.getByRole('article').all()) {
      // By tag name: <mark> is how the page highlights, and what a reader sees as highlighted.
      const marked = await article.locator('mark').allInnerTexts();
      expect(marked.length).toBeGreaterThan(0);
      for (const text of marked) expect(text.toLowerCase()).toBe('architecture');
    }

    const mamba = ssm.find((post) => post.title.startsWith('Mamba'))!;
    await box.fill('mamb');

    await results.getByText('1 result', { exact: true }).waitFor();
    expect(await titlesIn(results)).toEqual([mamba.title]);
    const marked = await postArticle(popup, mamba).locator('mark').allInnerTexts();
    expect(marked).toContain('Mamb');
  });

  it('is readable at 200% zoom: nothing is cut off or sticks out sideways', async () => {
    const popup = await suite.browser.context.newPage();
    // A popup is at most 800 × 600 screen pixels; at 200% zoom that is 400 × 300 CSS pixels,
    // drawn at two screen pixels each, which is what this emulates.
    const session = await suite.browser.context.newCDPSession(popup);
    await session.send('Emulation.setDeviceMetricsOverride', {
      width: 400,
      height: 300,
      deviceScaleFactor: 2,
      mobile: false,
    });
    await popup.goto(suite.browser.popupUrl);
    await popup.getByRole('article').first().waitFor();

    for (const tab of ['Unread', 'Reading list', 'All']) {
      await popup.getByRole('tab', { name: tab }).click();
      await popup.getByRole('tabpanel').waitFor();
      if (tab === 'All') {
        await popup.getByRole('searchbox', { name: 'Search posts' }).fill('architecture');
        await popup.getByRole('tabpanel').getByRole('article').first().waitFor();
      }
      const problems = await popup.evaluate(() => {
        const found: string[] = [];
        const root = document.documentElement;
        if (root.scrollWidth > root.clientWidth) {
          found.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth} px)`);
        }
        const describe = (element: Element) =>
          `${element.tagName.toLowerCase()} "${(element as HTMLElement).innerText.trim().slice(0, 40)}"`;
        for (const element of document.querySelectorAll<HTMLElement>(
          'button, a, h1, h2, label, input, p, time, [role="tab"]',
        )) {
          const box = element.getBoundingClientRect();
          if (box.width === 0 || element.closest('[aria-hidden="true"], [hidden]')) continue;
          if (box.right > root.clientWidth + 0.5 || box.left < -0.5) {
            found.push(`${describe(element)} sticks out (${box.left}–${box.right} px)`);
          }
          // Post titles are clamped to two lines by design (the full title is the row's name).
          if (element.closest('h3')) continue;
          if (element.scrollWidth > element.clientWidth + 1) {
            const overflow = getComputedStyle(element).overflowX;
            if (overflow !== 'visible') {
              found.push(
                `${describe(element)} is cut off (${element.scrollWidth} > ${element.clientWidth} px)`,
              );
            }
          }
        }
        return found;
      });
      expect(problems, `at 200% zoom, ${tab} tab`).toEqual([]);
    }
  });
});
