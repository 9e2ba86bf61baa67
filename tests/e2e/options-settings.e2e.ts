/**
 * The options page's Settings and Categories, end to end: the built extension in Chromium, the
 * demo blog on 127.0.0.1 (9 posts of 2 min: 3 "State Space Model", 6 "Transformer"), and only
 * what a user sees (docs/ui-contract.md). The badge is read from the toolbar action itself.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, useExtension, useFollowedDemoBlog } from './helpers';

const suite = useExtension();

/** The settings these tests change, by `storage.local` key: put back after each test. */
const CHANGED = ['badgeMode', 'categoryModes', 'notificationsEnabled', 'wordsPerMinute'];

afterEach(async () => {
  const worker = await suite.browser.currentWorker();
  await worker.evaluate(
    (keys) =>
      (
        globalThis as unknown as {
          chrome: { storage: { local: { remove(keys: string[]): Promise<void> } } };
        }
      ).chrome.storage.local.remove(keys),
    CHANGED,
  );
});

/** The options page's Settings section. */
const settingsOf = (options: Page) => options.getByRole('region', { name: 'Settings' });

/** Picks a badge mode in "Toolbar badge shows" and waits for "Saved.". */
async function chooseBadgeMode(options: Page, mode: string) {
  const settings = settingsOf(options);
  await settings.getByRole('radio', { name: mode, exact: true }).check();
  await settings.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

/** Sets a category's mode in the Categories section and waits for "Saved.". */
async function setCategoryMode(options: Page, category: string, mode: string) {
  const categories = options.getByRole('region', { name: 'Categories' });
  await categories.getByRole('combobox', { name: category, exact: true }).selectOption(mode);
  await categories.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
}

describe('badge modes', () => {
  useFollowedDemoBlog(suite);

  it('counts unread posts, unread minutes, or nothing, as chosen on the options page', async () => {
    await eventually(suite.badge).toBe('9');
    const options = await suite.browser.openOptions();
    expect(await settingsOf(options).getByRole('radio', { name: 'Unread posts' }).isChecked()).toBe(
      true,
    );

    await chooseBadgeMode(options, 'Unread minutes');
    await eventually(suite.badge).toBe('18m');

    await chooseBadgeMode(options, 'Off');
    await eventually(suite.badge).toBe('');

    await chooseBadgeMode(options, 'Unread posts');
    await eventually(suite.badge).toBe('9');

    // The choice is stored: a new page shows it.
    await options.reload();
    expect(await settingsOf(options).getByRole('radio', { name: 'Unread posts' }).isChecked()).toBe(
      true,
    );
  });

  it('leaves a muted category out of the badge, and counts only notifying ones when asked', async () => {
    await eventually(suite.badge).toBe('9');
    const options = await suite.browser.openOptions();

    await setCategoryMode(options, 'Transformer', 'Mute');
    await eventually(suite.badge).toBe('3');

    await chooseBadgeMode(options, 'Unread minutes');
    await eventually(suite.badge).toBe('6m');

    await setCategoryMode(options, 'Transformer', 'List only');
    await chooseBadgeMode(options, 'Only notifying categories');
    await eventually(suite.badge).toBe('3');

    await setCategoryMode(options, 'State Space Model', 'List only');
    await eventually(suite.badge).toBe('');

    await setCategoryMode(options, 'Transformer', 'Notify');
    await eventually(suite.badge).toBe('6');
  });
});

describe('settings', () => {
  it('explains a reading speed it cannot use and keeps the one saved', async () => {
    const options = await suite.browser.openOptions();
    const speed = settingsOf(options).getByLabel('Reading speed (words per minute)');

    await speed.fill('5');
    await speed.press('Enter');
    await speed.blur();

    await settingsOf(options)
      .getByRole('status')
      .filter({ hasText: 'Enter a reading speed from 50 to 2000; not saved.' })
      .waitFor();
    await options.reload();
    expect(
      await settingsOf(options).getByLabel('Reading speed (words per minute)').inputValue(),
    ).toBe('230');

    await settingsOf(options).getByLabel('Reading speed (words per minute)').fill('300');
    await settingsOf(options).getByLabel('Reading speed (words per minute)').blur();
    await settingsOf(options).getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await options.reload();
    expect(
      await settingsOf(options).getByLabel('Reading speed (words per minute)').inputValue(),
    ).toBe('300');
  });

  it('turns notifications on from the checkbox (the permission asked for in the click)', async () => {
    const options = await suite.browser.openOptions();
    const box = settingsOf(options).getByRole('checkbox', {
      name: 'Show a notification when new posts arrive',
    });
    expect(await box.isChecked()).toBe(false);

    await box.check();

    await settingsOf(options).getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await options.reload();
    expect(
      await settingsOf(options)
        .getByRole('checkbox', { name: 'Show a notification when new posts arrive' })
        .isChecked(),
    ).toBe(true);
  });
});
