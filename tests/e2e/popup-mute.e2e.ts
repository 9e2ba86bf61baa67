/**
 * Muted categories in the popup, end to end: the demo blog (3 posts in State Space Model, 6 in
 * Transformer) followed through the options page, Transformer muted through the setting the
 * options page writes (`categoryModes` in `storage.local`, keyed by section key). The popup
 * leaves the muted section and its posts out of Unread, its header and "Mark all read", still
 * finds them in All, and follows the setting while it is open. And the header's alert: a blog
 * that is gone (410) is flagged there, readable in both colour schemes, with a way to the
 * settings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { blockingViolationsInBothSchemes } from './axe';
import { eventually, refresh, titlesIn, useExtension, useFollowedDemoBlog } from './helpers';

const suite = useExtension();

/** What the tests use of the service worker's `chrome` global (this process has no such types). */
interface WorkerGlobals {
  chrome: {
    storage: {
      local: { set(items: object): Promise<void>; remove(key: string): Promise<void> };
    };
  };
}

/** Sets the category modes where the extension keeps them (a section key → a mode). */
async function setCategoryModes(modes: Record<string, string>): Promise<void> {
  const worker = await suite.browser.currentWorker();
  await worker.evaluate(
    (value) =>
      (globalThis as unknown as WorkerGlobals).chrome.storage.local.set({ categoryModes: value }),
    modes,
  );
}

describe('popup with a muted category', () => {
  useFollowedDemoBlog(suite);

  afterEach(async () => {
    const worker = await suite.browser.currentWorker();
    await worker.evaluate(() =>
      (globalThis as unknown as WorkerGlobals).chrome.storage.local.remove('categoryModes'),
    );
  });

  it('leaves the muted section out of Unread and the header, and still finds its posts in All', async () => {
    const ssm = suite.blog.posts.filter((post) => post.category === 'State Space Model');
    const whisper = suite.blog.posts.find((post) => post.title.startsWith('Whisper'))!;
    const opened = await suite.browser.openPopup();
    await opened.getByText('9 unread').waitFor();
    await opened.close();

    await setCategoryModes({ transformer: 'mute' });
    const popup = await suite.browser.openPopup();

    const section = popup.getByRole('region', { name: 'State Space Model' });
    await eventually(() => titlesIn(section)).toEqual(ssm.map((post) => post.title));
    await popup.getByText('3 unread').waitFor();
    expect(await popup.getByRole('region', { name: 'Transformer' }).count()).toBe(0);
    expect(await popup.getByRole('article', { name: whisper.title }).count()).toBe(0);

    await popup.getByRole('tab', { name: 'All' }).click();
    await popup.getByRole('searchbox', { name: 'Search posts' }).fill('whisper');
    await eventually(() => titlesIn(popup.getByRole('tabpanel'))).toEqual([whisper.title]);
  });

  it('marks only what is shown read, and brings the section back when unmuted while open', async () => {
    await setCategoryModes({ transformer: 'mute' });
    const popup = await suite.browser.openPopup();
    await popup.getByText('3 unread').waitFor();

    await popup.getByRole('button', { name: 'Mark all read', exact: true }).click();

    await popup.getByText('Marked 3 posts read.').waitFor();
    await popup.getByText('All caught up.').waitFor();
    await popup.getByText('0 unread').waitFor();

    await setCategoryModes({ transformer: 'list' });

    const transformer = popup.getByRole('region', { name: 'Transformer' });
    await transformer.waitFor();
    await popup.getByText('6 unread').waitFor();
    await eventually(() => titlesIn(transformer)).toHaveLength(6);
    expect(await popup.getByRole('region', { name: 'State Space Model' }).count()).toBe(0);
  });
});

describe('popup header alert', () => {
  useFollowedDemoBlog(suite);

  it('flags a blog that is gone, in both colour schemes, with a link to the settings', async () => {
    const popup = await suite.browser.openPopup();
    await popup.getByText('9 unread').waitFor();
    const header = popup.getByRole('banner');
    expect(await header.getByRole('link', { name: 'Open settings' }).count()).toBe(0);

    suite.blog.setMode('gone');
    await refresh(popup);

    const link = header.getByRole('link', { name: 'Open settings' });
    await link.waitFor();
    expect(await header.innerText()).toContain('Research & Writing');
    // The first rows are still on the first screen.
    await popup.getByRole('article').first().waitFor();
    expect(await blockingViolationsInBothSchemes(popup, 'popup, header alert')).toEqual([]);

    // Chrome brings an open options page forward instead of opening another: close it first.
    for (const page of suite.browser.context.pages()) {
      if (page.url().includes('/options.html')) await page.close();
    }
    const [options] = await Promise.all([suite.browser.context.waitForEvent('page'), link.click()]);
    await options.waitForURL(/options\.html/);
  });
});
