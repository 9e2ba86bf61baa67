import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DispatchDb } from '@/utils/db/db';
import { removeFeed } from '@/utils/db/feeds';
import { markRead, savePollResult } from '@/utils/db/posts';
import { DEFAULT_TUNING, searchPosts, type SearchTuning } from '@/utils/db/search';
import type { NewPost, Post } from '@/utils/db/types';
import { queryTokens } from '@/utils/search';
import { aFeed, aPost, expectIndexFieldsToAgree, freshDb, probeStorage } from '../../helpers/db';

const NOW = Date.UTC(2026, 2, 10);
const HOUR = 3_600_000;

const titles = (posts: Post[]) => posts.map((post) => post.title);

async function stored(db: DispatchDb, posts: NewPost[]): Promise<Post[]> {
  const feed = await aFeed(db);
  return (await savePollResult(db, feed.id, { posts, feed: {}, now: NOW })).added;
}

describe('searchPosts', () => {
  let db: DispatchDb;
  beforeEach(async () => {
    db = freshDb();
    await stored(db, [
      aPost({
        title: 'Mamba, explained',
        summary: 'Selective state spaces in plain words.',
        categories: ['State Space Model'],
        publishedAt: NOW - 5 * HOUR,
      }),
      aPost({
        title: 'Attention is a lookup',
        summary: 'Keys, queries and values.',
        categories: ['Transformer'],
        publishedAt: NOW - HOUR,
      }),
      aPost({
        title: 'Le café des chercheurs',
        summary: 'Une discussion sur les modèles.',
        categories: ['Français'],
        publishedAt: NOW - 2 * HOUR,
      }),
      aPost({
        title: 'Заметки о моделях',
        summary: 'Короткие заметки.',
        categories: ['Обзор'],
        publishedAt: NOW - 3 * HOUR,
      }),
      aPost({
        title: '東京大学の研究ノート',
        categories: ['日本語'],
        publishedAt: NOW - 4 * HOUR,
      }),
      aPost({
        title: 'State of the art in state space models',
        summary: 'A survey.',
        categories: ['State Space Model'],
        publishedAt: NOW,
      }),
    ]);
  });

  it.each([
    ['mamba', ['Mamba, explained']],
    ['MAM', ['Mamba, explained']],
    ['state', ['State of the art in state space models', 'Mamba, explained']],
    ['state selective', ['Mamba, explained']],
    ['selective state', ['Mamba, explained']],
    ['space mod', ['State of the art in state space models', 'Mamba, explained']],
    ['transformer', ['Attention is a lookup']],
    ['cafe', ['Le café des chercheurs']],
    ['CAFÉ', ['Le café des chercheurs']],
    ['modeles', ['Le café des chercheurs']],
    ['заметки', ['Заметки о моделях']],
    ['обз', ['Заметки о моделях']],
    ['東京', ['東京大学の研究ノート']],
    ['大学', ['東京大学の研究ノート']],
    ['研', ['東京大学の研究ノート']],
    ['日本語', ['東京大学の研究ノート']],
    ['the state of the art', ['State of the art in state space models']],
    ['mamba transformer', []],
    ['zebra', []],
  ])('finds %j: %j', async (query, expected) => {
    const result = await searchPosts(db, query);

    expect(titles(result.posts)).toEqual(expected);
    expect(result.total).toBe(expected.length);
  });

  it('returns the tokens it searched for, to highlight them', async () => {
    expect((await searchPosts(db, 'Café  Mamba')).tokens).toEqual(['cafe', 'mamba']);
  });

  it('finds nothing, and reads nothing, for a query with nothing to search', async () => {
    const fresh = freshDb();
    const probe = probeStorage(fresh);
    await stored(fresh, [aPost({ title: 'A post about anything' })]);
    probe.clear();

    for (const query of ['', '   ', 'a', '?!']) {
      expect(await searchPosts(fresh, query)).toEqual({
        posts: [],
        total: 0,
        exact: true,
        tokens: [],
      });
    }
    expect(probe.reads).toEqual([]);
    expect((await searchPosts(fresh, 'anything')).total).toBe(1);
    expect(probe.reads).not.toEqual([]);
  });

  it('finds read posts too', async () => {
    const [mamba] = (await searchPosts(db, 'mamba')).posts;
    await markRead(db, [mamba!.id], NOW);

    expect(titles((await searchPosts(db, 'mamba')).posts)).toEqual(['Mamba, explained']);
  });

  it('gives the newest `limit` matches and the number of all of them', async () => {
    const result = await searchPosts(db, 'state', 1);

    expect(titles(result.posts)).toEqual(['State of the art in state space models']);
    expect(result.total).toBe(2);
  });

  it('finds an edited post by its new words, not its old ones', async () => {
    const feed = await aFeed(db);
    const post = aPost({
      guid: 'edited',
      title: 'Draft about hyenas',
      url: 'https://blog.example/hy',
    });
    await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });

    await savePollResult(db, feed.id, {
      posts: [{ ...post, title: 'Final about giraffes' }],
      feed: {},
      now: NOW + 1,
    });

    expect((await searchPosts(db, 'hyenas')).total).toBe(0);
    expect(titles((await searchPosts(db, 'giraffes')).posts)).toEqual(['Final about giraffes']);
    await expectIndexFieldsToAgree(db);
  });

  it('finds a post whose guid changed by its new title (relinked, one record)', async () => {
    const feed = await aFeed(db);
    const post = aPost({
      guid: 'old-guid',
      title: 'Okapi notes',
      url: 'https://blog.example/okapi',
    });
    await savePollResult(db, feed.id, { posts: [post], feed: {}, now: NOW });

    const again = await savePollResult(db, feed.id, {
      posts: [{ ...post, guid: 'new-guid', title: 'Okapi field notes, revised' }],
      feed: {},
      now: NOW + 1,
    });

    expect(again.added).toEqual([]);
    expect(titles((await searchPosts(db, 'okapi revised')).posts)).toEqual([
      'Okapi field notes, revised',
    ]);
    await expectIndexFieldsToAgree(db);
  });
});

/** What a search must find: every post whose words start with every token, newest first. */
function reference(posts: Post[], query: string): Post[] {
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  return posts
    .filter((post) => tokens.every((token) => post.terms.some((term) => term.startsWith(token))))
    .sort((a, b) => b.publishedAt - a.publishedAt || b.id - a.id);
}

describe('searchPosts, whichever way it reads', () => {
  // Words from a small vocabulary with a skew (some prefixes in most posts, some in few),
  // dates shuffled against storage order with ties.
  const VOCABULARY = [
    'kalo',
    'kami',
    'kasu',
    'lomi',
    'lone',
    'mine',
    'mita',
    'nesu',
    'sutari',
    'tapo',
    'rido',
    'poka',
  ];
  const next = (() => {
    let state = 7;
    return () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
  })();
  const word = () => VOCABULARY[Math.floor(VOCABULARY.length * next() ** 2)]!;
  let db: DispatchDb;
  let all: Post[];

  beforeAll(async () => {
    db = freshDb();
    all = await stored(
      db,
      Array.from({ length: 240 }, (_, i) =>
        aPost({
          title: `${word()} ${word()} ${i % 37 === 0 ? 'zefir' : ''}`,
          summary: `${word()} ${word()} ${word()}`,
          categories: [i % 2 ? 'Kalo' : 'Other'],
          publishedAt: NOW - ((i * 7_919) % 97) * HOUR,
        }),
      ),
    );
  });

  const TUNINGS: [string, SearchTuning][] = [
    ['the default plan', DEFAULT_TUNING],
    [
      'ids of rare words, walking the dates',
      { keysMax: 60, idsMax: 0, sortLoadedMax: 3, checkMax: 1_000, walkStep: 16 },
    ],
    [
      'checking words on loaded posts',
      { keysMax: 0, idsMax: 0, sortLoadedMax: 3, checkMax: 1_000, walkStep: 16 },
    ],
    [
      'giving up checking, reading ids after all',
      { keysMax: 0, idsMax: 0, sortLoadedMax: 3, checkMax: 4, walkStep: 16 },
    ],
    [
      'ids of words a sample finds in few posts, read after all',
      { keysMax: 0, idsMax: 60, sortLoadedMax: 3, checkMax: 1_000, walkStep: 16 },
    ],
    [
      'few candidates of rare words, loaded to check common words on them',
      { keysMax: 10, idsMax: 0, sortLoadedMax: 50, checkMax: 1_000, walkStep: 16 },
    ],
    [
      'rare and common words mixed',
      { keysMax: 100, idsMax: 0, sortLoadedMax: 3, checkMax: 1_000, walkStep: 7 },
    ],
  ];
  const QUERIES = [
    'ka',
    'kalo',
    'kami mine',
    'lo mi',
    'zefir',
    'zefir ka',
    'sutari tapo rido',
    'poka kalo',
    'nothing',
  ];

  describe.each(TUNINGS)('%s', (_, tuning) => {
    it.each(QUERIES)('finds %j as the reference does', async (query) => {
      const expected = reference(all, query);

      for (const limit of [1, 10, 500]) {
        const result = await searchPosts(db, query, limit, tuning);

        expect(result.posts.map((post) => post.id)).toEqual(
          expected.slice(0, limit).map((post) => post.id),
        );
        if (result.exact) expect(result.total).toBe(expected.length);
        else expect(result.total).toBeGreaterThanOrEqual(result.posts.length);
        expect(result.total).toBeLessThanOrEqual(all.length);
      }
    });
  });

  it('counts exactly whenever it reads every match anyway', async () => {
    for (const query of QUERIES) {
      const result = await searchPosts(db, query, 500, TUNINGS[2]![1]);
      expect(result).toMatchObject({ exact: true, total: reference(all, query).length });
    }
  });

  it('estimates the total of a word in most posts', async () => {
    const expected = reference(all, 'ka').length;
    const result = await searchPosts(db, 'ka', 10, TUNINGS[2]![1]);

    expect(result.exact).toBe(false);
    expect(result.total).toBeGreaterThan(expected / 2);
    expect(result.total).toBeLessThanOrEqual(all.length);
  });
});

describe('searchPosts over posts sharing a date', () => {
  // A blog's first poll without dates stores a run of posts at one time: pages of the date
  // walk start and end inside such runs.
  it.each([
    ['a run longer than a page', [150, 90]],
    ['a page ending where a run ends', [64, 200]],
    ['runs of many sizes', [1, 63, 2, 130, 5, 64]],
  ])('finds every match across %s', async (_, runs) => {
    const db = freshDb();
    let i = 0;
    const posts = await stored(
      db,
      runs.flatMap((length, run) =>
        Array.from({ length }, () => {
          i += 1;
          return aPost({
            title: `Okapi ${i % 3 ? 'seen' : 'spotted'}`,
            publishedAt: NOW - run * HOUR,
          });
        }),
      ),
    );
    const every = { ...DEFAULT_TUNING, keysMax: 0, idsMax: 0, checkMax: 10_000 };

    for (const query of ['okapi', 'okapi spotted']) {
      const result = await searchPosts(db, query, 1_000, every);
      expect(result.posts.map((post) => post.id)).toEqual(
        reference(posts, query).map((post) => post.id),
      );
      expect(result.exact).toBe(true);
    }
  });
});

describe('searchPosts, counting roughly', () => {
  // Every word taken as common: the matches are found among the newest posts, and how many
  // there are in all is estimated.
  const common = { ...DEFAULT_TUNING, keysMax: 0, idsMax: 0 };
  const posts = (count: number, title: (i: number) => string, newest: number) =>
    Array.from({ length: count }, (_, i) =>
      aPost({ title: title(i), publishedAt: NOW - (newest + i) * HOUR }),
    );

  it('estimates a word in fashion from all the posts, not from the newest, which all have it', async () => {
    const db = freshDb();
    await stored(
      db,
      posts(300, () => 'Field notes', 100),
    );
    await stored(
      db,
      posts(100, () => 'Mamba notes', 0),
    );

    const result = await searchPosts(db, 'mamba', 10, common);

    expect(titles(result.posts)).toEqual(Array(10).fill('Mamba notes'));
    expect(result.exact).toBe(false);
    expect(result.total).toBeGreaterThanOrEqual(80);
    expect(result.total).toBeLessThanOrEqual(120);
  });

  it('estimates from the posts left after a blog was removed', async () => {
    const db = freshDb();
    const gone = await aFeed(db);
    await savePollResult(db, gone.id, {
      posts: posts(200, () => 'Field notes', 200),
      feed: {},
      now: NOW,
    });
    await stored(
      db,
      posts(200, (i) => (i % 2 ? 'Field notes' : 'Mamba notes'), 0),
    );
    await removeFeed(db, gone.id);

    const result = await searchPosts(db, 'mamba', 10, common);

    expect(titles(result.posts)).toEqual(Array(10).fill('Mamba notes'));
    expect(result.total).toBeGreaterThanOrEqual(80);
    expect(result.total).toBeLessThanOrEqual(120);
  });

  it('estimates over fewer posts than it samples', async () => {
    const db = freshDb();
    await stored(
      db,
      posts(3, () => 'Mamba notes', 0),
    );

    const result = await searchPosts(db, 'mamba', 1, common);

    expect(result).toMatchObject({ exact: false, total: 3 });
  });
});
