import { describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed } from '@/utils/db/feeds';
import { savePollResult } from '@/utils/db/posts';
import type { NewPost, Post } from '@/utils/db/types';
import { measureArticles, MEASURED_PER_RUN } from '@/utils/listing/measure';
import { estimateReadingTime, minutesFor } from '@/utils/reading-time';
import { aPost, expectCountersToAgree } from '../../helpers/db';
import type { FeedServer } from '../../helpers/feeds';
import { T0, testPollDeps, useFeedTestBed } from '../../helpers/poll';
import { articlePage, HTML } from './site';

let db: DispatchDb;
let server: FeedServer;

useFeedTestBed((bed) => ({ db, server } = bed));

/** A listing blog on the test server with these card posts stored unread. */
async function stored(posts: NewPost[]): Promise<Post[]> {
  const feed = await addFeed(db, { url: `${server.baseUrl}/blog`, title: 'Blog' }, T0);
  const { added } = await savePollResult(db, feed.id, { posts, feed: {}, now: T0 });
  return added;
}

const card = (path: string): NewPost =>
  aPost({ url: `${server.baseUrl}${path}`, words: 20, minutes: 2, siteMinutes: 2 });

describe('measureArticles', () => {
  it("writes the article's words and minutes, keeping the site's figure", async () => {
    server.route('/blog/a', { body: articlePage('A', 690, 2), headers: HTML });
    const posts = await stored([card('/blog/a')]);

    const result = await measureArticles(posts, `${server.baseUrl}/blog`, testPollDeps(db));

    // 690 words at 230 a minute: 3 min, and 12 s + 11 s for the images: 4 min.
    expect(await db.posts.get(posts[0]!.id)).toMatchObject({
      words: 690,
      minutes: 4,
      minutesFromSummary: false,
      siteMinutes: 2,
      articleCounted: true,
    });
    expect(result.requests).toBe(1);
    expect([...result.measured.keys()]).toEqual([posts[0]!.id]);
    await expectCountersToAgree(db);
  });

  it('changes nothing for an article that fails or shows no article, and goes on', async () => {
    server.route('/blog/login', {
      body: '<!doctype html><html><body><form><input name="user"></form></body></html>',
      headers: HTML,
    });
    server.route('/blog/ok', { body: articlePage('OK', 230), headers: HTML });
    const posts = await stored([card('/blog/missing'), card('/blog/login'), card('/blog/ok')]);
    const before = await db.posts.bulkGet(posts.map((post) => post.id));

    const result = await measureArticles(posts, `${server.baseUrl}/blog`, testPollDeps(db));

    const after = await db.posts.bulkGet(posts.map((post) => post.id));
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(after.slice(0, 2).map((post) => post?.articleCounted)).toEqual([undefined, undefined]);
    expect(after[2]).toMatchObject({ words: 230, minutes: 1, articleCounted: true });
    expect(result.requests).toBe(3);
  });

  it('fetches only articles on the listing\u2019s own origin, at most 10', async () => {
    const posts = await stored([
      aPost({ url: 'https://elsewhere.example/post' }),
      ...Array.from({ length: 12 }, (_, n) => card(`/blog/${n}`)),
    ]);

    const result = await measureArticles(posts, `${server.baseUrl}/blog`, testPollDeps(db));

    expect(server.requests.map((request) => request.url)).toEqual(
      Array.from({ length: MEASURED_PER_RUN }, (_, n) => `/blog/${n}`),
    );
    expect(result.requests).toBe(MEASURED_PER_RUN);
  });

  it('stops when the host asks to wait, or access is missing', async () => {
    server.route('/blog/a', { status: 429, body: '', headers: { 'retry-after': '60' } });
    const posts = await stored([card('/blog/a'), card('/blog/b')]);

    await measureArticles(posts, `${server.baseUrl}/blog`, testPollDeps(db));
    const withoutAccess = await measureArticles(posts, `${server.baseUrl}/blog`, {
      ...testPollDeps(db),
      hasOrigin: async () => false,
    });

    expect(server.requests.map((request) => request.url)).toEqual(['/blog/a']);
    expect(withoutAccess.requests).toBe(0);
  });
});

describe('minutesFor (the rule measured articles use)', () => {
  it.each([
    [{ words: 0, images: 0 }, 1],
    [{ words: 230, images: 0 }, 1],
    [{ words: 231, images: 0 }, 2],
    [{ words: 1150, images: 0 }, 5],
    [{ words: 690, images: 2 }, 4],
    [{ words: 0, images: 20 }, 2],
  ])('gives %o %i min at 230 words a minute', (article, minutes) => {
    expect(minutesFor(article, 230)).toBe(minutes);
  });

  it.each([
    [120, 0],
    [700, 3],
    [2_000, 14],
  ])("agrees with a feed post's estimate for %i words and %i images", (words, images) => {
    const html = `<p>${Array(words).fill('word').join(' ')}</p>${'<img src="x.png">'.repeat(images)}`;

    expect(minutesFor({ words, images }, 230)).toBe(
      estimateReadingTime({ contentHtml: html }, 230).minutes,
    );
  });
});
