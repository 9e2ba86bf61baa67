/**
 * Checking for new posts, end to end: a blog that publishes, a feed that has not changed
 * (conditional GET), feeds that break in the ways real ones do, and checks on the schedule
 * with no click, seen through the popup, the options page, the badge and the notifications of
 * the built extension.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearNotifications, notifications } from '../../scripts/chromium.mjs';
import type { FeedMode, PublishedPost } from '../../scripts/demo-blog/server.mjs';
import {
  blogEntry,
  eventually,
  feedRequests,
  nth,
  postArticle,
  refresh,
  titlesIn,
  useExtension,
  useFollowedDemoBlog,
  followOnFastSchedule,
} from './helpers';

const suite = useExtension();

/** What a test changed before the feed broke, to see that it survives. */
interface Kept {
  read: PublishedPost;
  saved: PublishedPost;
}

/** Marks `read` read and saves `saved` in the popup, then waits for the badge to say 8. */
async function readAndSave(popup: Page, { read, saved }: Kept): Promise<void> {
  await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
  await postArticle(popup, saved).getByRole('button', { name: 'Save', exact: true }).click();
  await postArticle(popup, saved).getByRole('button', { name: 'Saved' }).waitFor();
  await eventually(suite.badge).toBe('8');
}

/**
 * Makes the followed blog's feed answer in `mode`, presses Refresh, and waits until the feed
 * was asked and answered with `status`. Returns the blog's entry on a new options page.
 */
async function breakFeedAndRefresh(popup: Page, mode: FeedMode, status: number) {
  const before = feedRequests(suite.blog).length;
  suite.blog.setMode(mode);
  await refresh(popup);
  await eventually(() =>
    feedRequests(suite.blog)
      .slice(before)
      .some((r) => r.status === status),
  ).toBe(true);
  return blogEntry(await suite.browser.openOptions(), suite.blog);
}

/**
 * After a failed check: the blog still has its 9 posts, the read post stays read, the badge
 * still says 8, and the saved post is still on the reading list.
 */
async function expectNothingLost(entry: ReturnType<typeof blogEntry>, { read, saved }: Kept) {
  await eventually(() => entry.innerText()).toMatch(/· 9 posts/);
  const after = await suite.browser.openPopup();
  await after.getByRole('article').nth(7).waitFor();
  expect(await after.getByRole('article').count()).toBe(8);
  expect(await postArticle(after, read).count()).toBe(0);
  expect(await suite.badge()).toBe('8');
  await after.getByRole('tab', { name: 'Reading list' }).click();
  expect(
    await after.getByRole('list', { name: 'Reading list' }).getByRole('listitem').allInnerTexts(),
  ).toEqual([expect.stringContaining(saved.title)]);
}

/** Ways a feed breaks: how the demo blog answers, and what the options page then says. */
const BROKEN_FEEDS: { mode: FeedMode; status: number; answer: string; lastError: RegExp }[] = [
  {
    mode: 'error-500',
    status: 500,
    answer: '500 Internal Server Error',
    lastError: /Last error:[^\n]*\b500\b/,
  },
  {
    mode: 'html',
    status: 200,
    answer: 'a sign-in page (200)',
    lastError: /Last error:[^\n]*web page, not a feed/,
  },
  { mode: 'gone', status: 410, answer: '410 Gone', lastError: /Last error:[^\n]*\bgone\b/ },
];

describe('checking for new posts', () => {
  useFollowedDemoBlog(suite);
  let ssm: PublishedPost[];

  beforeEach(() => {
    ssm = suite.blog.posts.filter((post) => post.category === 'State Space Model');
  });

  it('shows a newly published post after Refresh, with one notification, and keeps read posts read', async () => {
    const popup = await suite.browser.openPopup();
    const read = nth(ssm, 1);
    await postArticle(popup, read).getByRole('button', { name: 'Mark read' }).click();
    await eventually(suite.badge).toBe('8');
    await clearNotifications(await suite.browser.currentWorker());
    await suite.setSetting('notificationsEnabled', true);

    const published = suite.blog.publish();
    await refresh(popup);

    await postArticle(popup, published).waitFor();
    expect(published.category).toBe('State Space Model');
    expect(
      await titlesIn(popup.getByRole('region', { name: 'State Space Model', exact: true })),
    ).toEqual([published, ...ssm].filter((post) => post !== read).map((post) => post.title));
    await eventually(suite.badge).toBe('9');
    await eventually(async () =>
      Object.keys(await notifications(await suite.browser.currentWorker())),
    ).toHaveLength(1);
    await popup.getByText('9 unread').waitFor();
  });

  it('asks again with If-None-Match, gets 304 and changes nothing', async () => {
    const popup = await suite.browser.openPopup();
    await popup.getByRole('article').nth(8).waitFor();
    expect(feedRequests(suite.blog)[0]?.status).toBe(200);
    const before = feedRequests(suite.blog).length;

    await refresh(popup);

    await eventually(() =>
      feedRequests(suite.blog)
        .slice(before)
        .some((r) => r.status === 304),
    ).toBe(true);
    const revalidation = feedRequests(suite.blog)
      .slice(before)
      .find((r) => r.status === 304);
    const etag = revalidation?.headers['if-none-match'];
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(await popup.getByRole('article').count()).toBe(9);
    await popup.getByText('9 unread').waitFor();
    expect(await suite.badge()).toBe('9');
    // The validator the extension sent is the feed's current ETag.
    const check = await fetch(suite.blog.feedUrl, { headers: { 'If-None-Match': String(etag) } });
    expect(check.status).toBe(304);
  });

  it('says when the blogs were last checked, in the popup header and in the blog list', async () => {
    const popup = await suite.browser.openPopup();

    await popup.getByText(/^checked (just now|\d+ min ago)$/).waitFor();
    expect(await popup.getByText('not checked yet').count()).toBe(0);
    const entry = blogEntry(await suite.browser.openOptions(), suite.blog);
    await eventually(() => entry.innerText()).toMatch(/checked (just now|\d+ min ago) · 9 posts/);
  });

  it.each(BROKEN_FEEDS)(
    'says "Last error:" in words when the feed answers $answer, and keeps everything',
    async ({ mode, status, lastError }) => {
      const popup = await suite.browser.openPopup();
      const kept = { read: nth(ssm, 0), saved: nth(ssm, 2) };
      await readAndSave(popup, kept);

      const entry = await breakFeedAndRefresh(popup, mode, status);

      await eventually(() => entry.innerText()).toMatch(lastError);
      await expectNothingLost(entry, kept);
    },
  );

  it('does not ask for a feed that answered 410 Gone again on Refresh', async () => {
    const popup = await suite.browser.openPopup();
    const entry = await breakFeedAndRefresh(popup, 'gone', 410);
    await eventually(() => entry.innerText()).toMatch(/Last error:[^\n]*\bgone\b/);
    const asked = feedRequests(suite.blog).length;

    const later = await suite.browser.openPopup();
    await later.getByText('9 unread').waitFor();
    await refresh(later);

    await later
      .getByRole('status')
      .filter({ hasText: /gone \(HTTP 410\): Research & Writing/ })
      .waitFor();
    expect(feedRequests(suite.blog)).toHaveLength(asked);
    expect(await later.getByRole('article').count()).toBe(9);
    expect(await suite.badge()).toBe('9');
  });
});

describe('checks on the schedule', () => {
  it('finds a newly published post with no click: the badge goes from 9 to 10 and the open popup lists it', async () => {
    const { blog, popup } = await followOnFastSchedule(suite);
    await suite.setSetting('notificationsEnabled', true);
    await eventually(suite.badge).toBe('9');
    const subscribed = feedRequests(blog).length;

    // The unchanged feed is checked when due, conditionally: 304, and nothing changes.
    await eventually(
      () =>
        feedRequests(blog)
          .slice(subscribed)
          .some((r) => r.status === 304 && r.headers['if-none-match'] !== undefined),
      30_000,
    ).toBe(true);
    expect(await suite.badge()).toBe('9');
    const published = blog.publish();

    await postArticle(popup, published).waitFor({ timeout: 30_000 });
    await eventually(suite.badge).toBe('10');
    await popup.getByText('10 unread').waitFor();
    const fetched = feedRequests(blog)
      .slice(subscribed)
      .find((r) => r.status === 200);
    expect(fetched?.headers['if-none-match']).toMatch(/^"[^"]+"$/);
    await eventually(async () =>
      Object.keys(await notifications(await suite.browser.currentWorker())),
    ).toHaveLength(1);
  });
});
