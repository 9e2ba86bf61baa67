/**
 * HOSTILE-INPUTS.md E47, end to end: Chrome stops the service worker in the middle of a poll
 * (the feed half-downloaded), and the next poll, in a new worker, leaves every post listed
 * once, loses nothing, and keeps read state, the reading list and the badge right — seen
 * through the popup, the options page and the badge of the built extension.
 */
import { describe, expect, it } from 'vitest';
import type { PublishedPost } from '../../scripts/demo-blog/server.mjs';
import {
  blogEntry,
  eventually,
  feedRequests,
  nth,
  postArticle,
  refresh,
  stopServiceWorker,
  titlesIn,
  useExtension,
  useFollowedDemoBlog,
  followOnFastSchedule,
} from './helpers';

const suite = useExtension();

/** A mark the worker keeps in memory: gone once the worker has been stopped and restarted. */
const MARK = '__dispatchTerminationTest';

describe('case 47: the service worker stopped in the middle of a poll', () => {
  useFollowedDemoBlog(suite);

  it('lists each post once after the next poll, and keeps read state, the reading list and the badge', async () => {
    const popup = await suite.browser.openPopup();
    await popup.getByText('9 unread').waitFor();
    const read = nth(suite.blog.posts, 1);
    const saved = nth(suite.blog.posts, 3);
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Save', exact: true }).click();
    await postArticle(popup, saved).getByRole('button', { name: 'Saved' }).waitFor();
    await eventually(suite.badge).toBe('8');

    const published: PublishedPost[] = [suite.blog.publish(), suite.blog.publish()];
    const hold = suite.blog.holdFeed();
    const worker = await suite.browser.currentWorker();
    await worker.evaluate((mark) => Object.assign(globalThis, { [mark]: true }), MARK);

    // The poll starts; the feed answers half of its body and waits. Chrome stops the worker.
    await refresh(popup);
    const cut = await hold.reached;
    await stopServiceWorker(suite.browser);

    await eventually(() => cut.aborted).toBe(true);
    await popup
      .getByRole('status')
      .filter({ hasText: /^Could not check for new posts/ })
      .waitFor();
    expect(await popup.getByRole('article').count()).toBe(8);
    hold.release();

    // A new worker (started by the alarm or the next message) polls again on Refresh.
    const asked = feedRequests(suite.blog).length;
    await refresh(popup);
    await popup.getByRole('status').filter({ hasText: 'Checked 1 blog: 2 new posts.' }).waitFor();
    expect(await worker.evaluate((mark) => mark in globalThis, MARK)).toBe(false);
    expect(
      feedRequests(suite.blog)
        .slice(asked)
        .map((r) => [r.status, r.held]),
    ).toEqual([[200, undefined]]);

    // What a user sees in a fresh popup: every post once, the read one gone, the badge right.
    const after = await suite.browser.openPopup();
    await after.getByText('10 unread').waitFor();
    const listed = await titlesIn(after.getByRole('tabpanel'));
    const expected = suite.blog.posts.map((post) => post.title).filter((t) => t !== read.title);
    expect([...listed].sort()).toEqual([...expected].sort());
    expect(listed).toHaveLength(10);
    expect(published.every((post) => listed.includes(post.title))).toBe(true);
    expect(await suite.badge()).toBe('10');
    await after.getByRole('tab', { name: 'Reading list' }).click();
    expect(
      await after.getByRole('list', { name: 'Reading list' }).getByRole('listitem').allInnerTexts(),
    ).toEqual([expect.stringContaining(saved.title)]);

    const entry = blogEntry(await suite.browser.openOptions(), suite.blog);
    await eventually(() => entry.innerText()).toMatch(/· 11 posts/);
    expect(await entry.innerText()).not.toMatch(/Last error/);
  });
});

describe('case 47: the worker stopped in the middle of a scheduled poll', () => {
  it('polls again on the next tick with no click, and stores the new posts once', async () => {
    const { blog, popup } = await followOnFastSchedule(suite);
    const read = nth(blog.posts, 0);
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await eventually(suite.badge).toBe('8');

    const published = [blog.publish(), blog.publish()];
    const hold = blog.holdFeed();
    const cut = await hold.reached;
    await stopServiceWorker(suite.browser);
    await eventually(() => cut.aborted).toBe(true);
    hold.release();

    for (const post of published) await postArticle(popup, post).waitFor({ timeout: 20_000 });
    await popup.getByText('10 unread').waitFor();
    await eventually(suite.badge).toBe('10');
    const listed = await titlesIn(popup.getByRole('tabpanel'));
    expect([...listed].sort()).toEqual(
      blog.posts
        .map((post) => post.title)
        .filter((title) => title !== read.title)
        .sort(),
    );
    // The poll cut off left the validators as they were: the next one downloaded the feed.
    const afterCut = feedRequests(blog).slice(feedRequests(blog).indexOf(cut) + 1);
    expect(afterCut[0]?.status).toBe(200);
  });
});
