/**
 * The options page's Data section, end to end: real downloads from the built extension in
 * Chromium, "Delete everything", and the same files brought back — the OPML export re-follows
 * the blog, the backup brings back what was read and the reading list (docs/ui-contract.md).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addBlog } from '../../scripts/chromium.mjs';
import { blogEntry, eventually, nth, postArticle, useExtension } from './helpers';

const suite = useExtension();

/** A file as the page's file input takes it. */
interface FilePayload {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** The options page's Data section. */
const dataOf = (options: Page) => options.getByRole('region', { name: 'Data' });

/** Clicks `button` in the Data section and returns the file the browser downloaded. */
async function download(options: Page, button: string): Promise<FilePayload> {
  const [file] = await Promise.all([
    options.waitForEvent('download'),
    dataOf(options).getByRole('button', { name: button, exact: true }).click(),
  ]);
  const path = await file.path();
  return {
    name: file.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: await readFile(path),
  };
}

/** The Data section's status line once it says `words`. */
const dataStatus = (options: Page, words: string | RegExp) =>
  dataOf(options).getByRole('status').filter({ hasText: words });

/** "Delete everything", confirmed, and the page saying it is done. */
async function deleteEverything(options: Page) {
  const questions: string[] = [];
  options.once('dialog', (dialog) => {
    questions.push(dialog.message());
    void dialog.accept();
  });
  await dataOf(options).getByRole('button', { name: 'Delete everything' }).click();
  await dataStatus(options, 'Deleted all blogs, posts, your reading list and settings.').waitFor();
  expect(questions).toEqual([
    'Delete all blogs, posts, your reading list and settings from this browser? This cannot be undone.',
  ]);
  await options.getByText("No blogs yet. Paste a blog's address above.").waitFor();
  await eventually(suite.badge).toBe('');
}

describe('OPML', () => {
  it('exports the blogs, and after "Delete everything" the same file follows them again', async () => {
    const blog = await suite.startBlog();
    const options = await suite.browser.openOptions();
    await addBlog(options, blog.url);
    await eventually(suite.badge).toBe('9');

    const opml = await download(options, 'Export OPML');
    expect(opml.name).toMatch(/^dispatch-blogs-\d{4}-\d\d-\d\d\.opml$/);
    expect(opml.buffer.toString('utf8')).toContain(blog.feedUrl);
    await dataStatus(options, /^Exported 1 blog to dispatch-blogs-/).waitFor();

    await deleteEverything(options);

    await dataOf(options).getByLabel('Import OPML…').setInputFiles(opml);
    await dataOf(options).getByText('1 blog found: 1 new.').first().waitFor();
    await dataOf(options).getByRole('button', { name: 'Follow 1 blog' }).click();

    await dataStatus(options, 'Followed 1 new blog: 9 new posts.').waitFor();
    await blogEntry(options, blog).waitFor();
    await eventually(() => blogEntry(options, blog).innerText()).toMatch(/· 9 posts/);
    await eventually(suite.badge).toBe('9');

    // The same file again: nothing new to follow.
    await dataOf(options).getByLabel('Import OPML…').setInputFiles(opml);
    await dataOf(options).getByText('1 blog found: 0 new, 1 already followed.').first().waitFor();
    expect(
      await dataOf(options)
        .getByRole('button', { name: /^Follow/ })
        .count(),
    ).toBe(0);
  });
});

describe('backup', () => {
  it('brings back the blogs, what was read and the reading list after "Delete everything"', async () => {
    const blog = await suite.startBlog();
    const options = await suite.browser.openOptions();
    await addBlog(options, blog.url);
    const [read, saved] = [nth(blog.posts, 0), nth(blog.posts, 4)];
    const popup = await suite.browser.openPopup();
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await postArticle(popup, read).waitFor({ state: 'detached' });
    await postArticle(popup, saved).getByRole('button', { name: 'Save', exact: true }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Saved' }).waitFor();
    await eventually(suite.badge).toBe('8');

    await options.bringToFront();
    const backup = await download(options, 'Back up');
    expect(backup.name).toMatch(/^dispatch-backup-\d{4}-\d\d-\d\d\.json$/);
    await dataStatus(
      options,
      /^Saved 1 blog, 9 posts, 1 reading-list item and your settings/,
    ).waitFor();

    await deleteEverything(options);
    await popup.reload();
    await popup.getByText('No blogs yet.').waitFor();

    const questions: string[] = [];
    options.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await dataOf(options).getByLabel('Restore from backup…').setInputFiles(backup);
    await dataStatus(options, /^Restored/).waitFor();
    expect(questions).toEqual([
      expect.stringMatching(
        /^Restore the backup of .+\? It holds 1 blog, 9 posts, 1 reading-list item and your settings/,
      ),
    ]);

    await blogEntry(options, blog).waitFor();
    await eventually(suite.badge).toBe('8');
    await popup.reload();
    await popup.getByText('8 unread').waitFor();
    expect(await postArticle(popup, read).count()).toBe(0);
    await popup.getByRole('tab', { name: 'Reading list' }).click();
    await popup
      .getByRole('list', { name: 'Reading list' })
      .getByRole('link', { name: saved.title })
      .waitFor();
  });

  it('refuses a file that is not a backup, in words, and changes nothing', async () => {
    const blog = await suite.startBlog();
    const options = await suite.browser.openOptions();
    await addBlog(options, blog.url);
    let asked = false;
    options.once('dialog', (dialog) => {
      asked = true;
      void dialog.dismiss();
    });

    await dataOf(options)
      .getByLabel('Restore from backup…')
      .setInputFiles({
        name: 'notes.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"hello": "world"}'),
      });

    await dataStatus(options, /Nothing was changed\.$/).waitFor();
    expect(asked).toBe(false);
    await blogEntry(options, blog).waitFor();
    await eventually(suite.badge).toBe('9');
  });
});
