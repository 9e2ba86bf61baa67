import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  createBackup,
  parseBackup,
  restoreBackup,
  serializeBackup,
  type ParsedBackup,
} from '@/utils/backup';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, listFeeds } from '@/utils/db/feeds';
import { savePollResult } from '@/utils/db/posts';
import type { Feed } from '@/utils/db/types';
import { deleteEverything } from '@/utils/db/wipe';
import { checkDrift, extractPosts, type ListingExtractor } from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { pollFeed } from '@/utils/poll/poll-feed';
import { aPost, dumpDb, freshDb } from '../helpers/db';
import { testPollDeps } from '../helpers/poll';
import { renderSeedListing } from './listing/seed';

const NOW = Date.UTC(2026, 10, 29, 12);
const PAGE = 'https://research.example/blog';

let db: DispatchDb;

beforeEach(() => {
  fakeBrowser.reset();
  db = freshDb();
});

function seedExtractor(): ListingExtractor {
  const learned = learnExtractor(renderSeedListing(), PAGE);
  if (!learned.ok) throw new Error(learned.reason);
  return learned.extractor;
}

/**
 * A blog followed through its listing page, drifting since a redesign (last count 9, found 0),
 * with a post whose card said "2 min read" and whose article Dispatch counted (3 min), beside a
 * feed.
 */
async function withListingBlog(target: DispatchDb) {
  const feed = await addFeed(target, { url: 'https://feed.example/rss', title: 'Feed' }, 100);
  const listing = await addFeed(target, { url: PAGE, title: 'Research blog' }, 200);
  await target.feeds.update(listing.id, {
    siteUrl: 'https://research.example/',
    tags: ['Research'],
    lastCheckedAt: 5_000,
    listing: {
      extractor: seedExtractor(),
      lastCount: 9,
      drift: { reason: 'No posts were found on the listing page.', since: 4_000, found: 0 },
    },
  });
  await savePollResult(target, listing.id, {
    posts: [aPost({ minutes: 3, siteMinutes: 2, articleCounted: true })],
    feed: {},
    now: 1_000,
  });
  return { feed, listing };
}

const parse = (text: string): ParsedBackup => parseBackup(text, NOW);

describe('a backup of a blog followed through its listing page', () => {
  it('holds its extractor, and neither its drift nor its last count', async () => {
    await withListingBlog(db);

    const backup = await createBackup(db, NOW);

    expect(backup.version).toBe(1);
    expect(backup.feeds[1]).toEqual({
      url: PAGE,
      aliases: [],
      siteUrl: 'https://research.example/',
      title: 'Research blog',
      addedAt: 200,
      status: 'active',
      tags: ['Research'],
      listing: { extractor: seedExtractor() },
    });
    expect(backup.feeds[0]).not.toHaveProperty('listing');
    const text = serializeBackup(backup);
    expect(text).not.toContain('drift');
    expect(text).not.toContain('lastCount');
  });

  it('keeps the reading time the site printed, and that Dispatch counted the article', async () => {
    await withListingBlog(db);

    const backup = await createBackup(db, NOW);

    expect(backup.posts[0]).toMatchObject({ minutes: 3, siteMinutes: 2, articleCounted: true });
  });

  it('reads back what createBackup wrote, unchanged', async () => {
    await withListingBlog(db);
    const backup = await createBackup(db, NOW);

    expect(parse(serializeBackup(backup))).toEqual({ ok: true, backup });
  });

  it('restores the blog following its page, due at once, judged afresh by its first poll', async () => {
    await withListingBlog(db);
    const backup = await createBackup(db, NOW);
    await deleteEverything(db);

    const summary = await restoreBackup(db, backup, NOW);

    expect(summary.message).toBe('Restored 2 blogs and 1 post.');
    const restored = (await listFeeds(db)).find((feed) => feed.url === PAGE)!;
    expect(restored).toMatchObject({
      title: 'Research blog',
      nextPollAt: NOW,
      lastCheckedAt: 0,
      listing: { extractor: seedExtractor(), lastCount: 9 },
    });
    expect(restored).not.toHaveProperty('kind');
    expect(restored.listing).not.toHaveProperty('drift');
    const [post] = await db.posts.where('feedId').equals(restored.id).toArray();
    expect(post).toMatchObject({ minutes: 3, siteMinutes: 2, articleCounted: true });
  });

  it('gives a restored blog what its poll reads the page with: the 9 posts, no drift', async () => {
    await withListingBlog(db);
    const backup = await createBackup(db, NOW);
    const other = freshDb();

    await restoreBackup(other, backup, NOW);

    const { listing } = (await listFeeds(other)).find((feed) => feed.url === PAGE) as Feed;
    const read = extractPosts(renderSeedListing(), PAGE, listing!.extractor);
    expect(read.posts).toHaveLength(9);
    expect(checkDrift(listing!.lastCount, read)).toBeUndefined();
  });

  it('takes the last count from the extractor: a backup learned on 12 cards', async () => {
    await withListingBlog(db);
    const backup = await createBackup(db, NOW);
    backup.feeds[1]!.listing!.extractor.count = 12;

    const other = freshDb();
    await restoreBackup(other, backup, NOW);

    const restored = (await listFeeds(other)).find((feed) => feed.url === PAGE)!;
    expect(restored.listing!.lastCount).toBe(12);
  });

  it('keeps a blog already followed as it is, extractor and drift included', async () => {
    await withListingBlog(db);
    const backup = await createBackup(db, NOW);
    backup.feeds[1]!.listing!.extractor.cards = 'main > article';
    const before = await dumpDb(db);

    const summary = await restoreBackup(db, backup, NOW);

    expect(summary.feeds).toBe(0);
    expect(await dumpDb(db)).toEqual(before);
  });
});

describe('parseBackup, of a listing blog', () => {
  const file = () => ({
    format: 'dispatch-backup',
    version: 1,
    feeds: [
      {
        url: PAGE,
        title: 'Research blog',
        addedAt: 1,
        listing: { extractor: JSON.parse(JSON.stringify(seedExtractor())) as unknown },
      },
    ],
  });
  const refusal = (change: (data: Record<string, any>) => void): string => {
    const data: Record<string, any> = file();
    change(data);
    const parsed = parse(JSON.stringify(data));
    return parsed.ok ? '' : parsed.message;
  };

  it('accepts the valid file', () => {
    expect(refusal(() => {})).toBe('');
  });

  it.each<[string, (data: Record<string, any>) => void, string]>([
    [
      'a listing that is no object',
      (data) => (data.feeds[0].listing = 'div.grid > a'),
      'The "listing" of blog 1 of this backup is damaged: it is not an object.',
    ],
    [
      'a listing without its extractor',
      (data) => (data.feeds[0].listing = { lastCount: 9 }),
      'Blog 1 of this backup is damaged: its "listing" cannot be read. The extractor is not an object.',
    ],
    [
      'an extractor without a title',
      (data) =>
        (data.feeds[0].listing.extractor.fields = data.feeds[0].listing.extractor.fields.filter(
          (field: { role: string }) => field.role !== 'title',
        )),
      'Blog 1 of this backup is damaged: its "listing" cannot be read. The extractor has no title field.',
    ],
    [
      'an extractor whose card path is CSS Dispatch does not write',
      (data) => (data.feeds[0].listing.extractor.cards = 'body *'),
      'Blog 1 of this backup is damaged: its "listing" cannot be read. The extractor’s card path, “body *”, is not one Dispatch can read.',
    ],
    [
      'an extractor of a newer version',
      (data) => (data.feeds[0].listing.extractor.version = 2),
      'Blog 1 of this backup is damaged: its "listing" cannot be read. The extractor is not of version 1, the only version this Dispatch reads.',
    ],
    [
      'a listing blog that also says it is a feed',
      (data) => (data.feeds[0].kind = 'rss'),
      'Blog 1 of this backup is damaged: it has both a feed "kind" and a "listing" page to follow.',
    ],
    [
      'a site reading time of 0 minutes',
      (data) =>
        (data.posts = [
          {
            feedUrl: PAGE,
            guid: `${PAGE}/a`,
            title: 'A',
            categories: [],
            publishedAt: NOW,
            firstSeenAt: NOW,
            words: 10,
            minutes: 1,
            minutesFromSummary: false,
            siteMinutes: 0,
            readAt: 0,
          },
        ]),
      'Post 1 of this backup is damaged: its "siteMinutes" is not a valid number.',
    ],
    [
      'an article count mark that is not true or false',
      (data) =>
        (data.posts = [
          {
            feedUrl: PAGE,
            guid: `${PAGE}/a`,
            title: 'A',
            categories: [],
            publishedAt: NOW,
            firstSeenAt: NOW,
            words: 10,
            minutes: 1,
            minutesFromSummary: false,
            siteMinutes: 1,
            articleCounted: 'yes',
            readAt: 0,
          },
        ]),
      'Post 1 of this backup is damaged: its "articleCounted" is not true or false.',
    ],
  ])('refuses %s, saying which blog and what is wrong', (_kind, change, message) => {
    expect(refusal(change)).toBe(message);
  });

  it('reads only the extractor: drift, last count and unknown keys in the file are dropped', () => {
    const parsed = parse(
      JSON.stringify(file()).replace(
        '"listing":{',
        '"listing":{"lastCount":99999,"drift":{"reason":"x","since":1,"found":0},"__proto__":{"polluted":true},',
      ),
    );

    expect(parsed.ok && parsed.backup.feeds[0]!.listing).toEqual({ extractor: seedExtractor() });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('changes nothing when a bad extractor refuses the file', async () => {
    await addFeed(db, { url: 'https://kept.example/feed', title: 'Kept' }, 1);
    const before = await dumpDb(db);
    const data: Record<string, any> = file();
    data.feeds[0].listing.extractor.count = -1;

    const parsed = parse(JSON.stringify(data));

    expect(parsed).toEqual({
      ok: false,
      message:
        'Blog 1 of this backup is damaged: its "listing" cannot be read. The extractor’s count is not a whole number of posts.',
    });
    expect(await dumpDb(db)).toEqual(before);
  });
});

describe('a backup written before listing blogs existed', () => {
  /** Version 1 as issue 5 wrote it: no `listing`, no `siteMinutes`. */
  const older = JSON.stringify({
    format: 'dispatch-backup',
    version: 1,
    exportedAt: '2026-06-01T08:00:00.000Z',
    app: 'Dispatch',
    feeds: [
      {
        url: 'https://edge.example/feed.xml',
        aliases: [],
        title: 'Edge Notes',
        kind: 'atom',
        addedAt: 100,
        status: 'active',
      },
    ],
    posts: [
      {
        feedUrl: 'https://edge.example/feed.xml',
        guid: 'g1',
        url: 'https://edge.example/1',
        title: 'One',
        categories: ['AI'],
        publishedAt: NOW - 1_000,
        firstSeenAt: NOW - 1_000,
        words: 400,
        minutes: 2,
        minutesFromSummary: false,
        readAt: 0,
      },
    ],
    readingList: [],
    settings: {},
  });

  it('still reads and restores, as a feed', async () => {
    const parsed = parse(older);
    if (!parsed.ok) throw new Error(parsed.message);

    const summary = await restoreBackup(db, parsed.backup, NOW);

    expect(summary.message).toBe('Restored 1 blog and 1 post.');
    const [feed] = await listFeeds(db);
    expect(feed).toMatchObject({ url: 'https://edge.example/feed.xml', kind: 'atom' });
    expect(feed).not.toHaveProperty('listing');
    const [post] = await db.posts.toArray();
    expect(post).not.toHaveProperty('siteMinutes');
    expect(post).not.toHaveProperty('articleCounted');
  });
});

describe('a restored listing blog, polled', () => {
  it('reads its page like before: the posts of its cards come in, unread', async () => {
    await withListingBlog(db);
    const backup = await createBackup(db, NOW);
    const other = freshDb();
    await restoreBackup(other, backup, NOW);
    const restored = (await listFeeds(other)).find((feed) => feed.url === PAGE)!;
    // The page, and no article pages (their reading time stays the card's).
    const fetchPage = async (input: RequestInfo | URL) =>
      String(input) === PAGE
        ? new Response(renderSeedListing(), { headers: { 'content-type': 'text/html' } })
        : new Response('Not found', { status: 404 });

    const outcome = await pollFeed(restored, {
      ...testPollDeps(other, () => NOW),
      fetch: fetchPage as typeof fetch,
    });

    expect(outcome.status).toBe('new-posts');
    const after = await other.feeds.get(restored.id);
    expect(after!.listing).toEqual({ extractor: seedExtractor(), lastCount: 9 });
    const posts = await other.posts.where('feedId').equals(restored.id).toArray();
    expect(posts.filter((post) => post.url?.startsWith('https://research.example/'))).toHaveLength(
      9,
    );
    expect(posts.filter((post) => post.readAt === 0)).toHaveLength(10);
  });
});
