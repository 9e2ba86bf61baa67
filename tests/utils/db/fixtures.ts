/**
 * Databases as older schema versions wrote them, for the upgrade tests. Each fixture is what
 * that version's code stored for a user a few weeks in: blogs (one with validators, an alias,
 * a last error and a redirect being watched; one gone), posts read and unread, dated and
 * undated, in one or several categories, some with content; a reading list with a saved post,
 * a finished item and an item whose blog was removed; and the unread counters that go with
 * the posts. Records are listed in primary-key order, as a table reads back. A fixture is never
 * edited once its version has shipped.
 */
import type { PostV2 } from '@/utils/db/schema';
import type { Feed, HostHold, PostContent, ReadingListItem, UnreadCount } from '@/utils/db/types';

/** The tables of schema v1, record by record (posts as v1 and v2 stored them). */
export interface V1Records {
  feeds: Feed[];
  posts: PostV2[];
  postContents: PostContent[];
  readingList: ReadingListItem[];
  unreadCounts: UnreadCount[];
}

/** The tables of schema v2: v1's and `hosts`. */
export interface V2Records extends V1Records {
  hosts: HostHold[];
}

const DAY = 86_400_000;
const T = Date.UTC(2026, 1, 2, 9, 30);

export const V1_RECORDS: V1Records = {
  feeds: [
    {
      id: 1,
      url: 'https://research.example/feed.xml',
      aliases: ['http://research.example/rss'],
      siteUrl: 'https://research.example/',
      title: 'Research & Writing',
      kind: 'rss',
      etag: '"a1b2c3"',
      lastModified: 'Mon, 02 Feb 2026 09:00:00 GMT',
      addedAt: T,
      lastCheckedAt: T + 20 * DAY,
      lastNewPostAt: T + 18 * DAY,
      nextPollAt: T + 20 * DAY + 30 * 60_000,
      failures: 1,
      lastError: { code: 'http', message: 'The server answered 503 Service Unavailable', at: T },
      status: 'active',
      redirectCandidate: 'https://research.example/feed/',
      redirectCount: 2,
    },
    {
      id: 2,
      url: 'https://notes.example/atom.xml',
      aliases: [],
      title: 'ملاحظات — Notes',
      kind: 'atom',
      addedAt: T + DAY,
      lastCheckedAt: T + 19 * DAY,
      lastNewPostAt: T + DAY,
      nextPollAt: T + 19 * DAY,
      failures: 3,
      lastError: {
        code: 'gone',
        message: 'The blog says this feed is gone (HTTP 410). Check it again to resume.',
        at: T + 19 * DAY,
      },
      status: 'gone',
    },
  ],
  posts: [
    {
      id: 1,
      feedId: 1,
      guid: 'tag:research.example,2026:mamba',
      url: 'https://research.example/posts/mamba/',
      title: 'Mamba, explained',
      summary: 'Selective state spaces in plain words.',
      author: 'Ada',
      categories: ['State Space Model'],
      publishedAt: T + 2 * DAY,
      firstSeenAt: T + 2 * DAY + 5_000,
      words: 460,
      minutes: 2,
      minutesFromSummary: false,
      readAt: T + 3 * DAY,
    },
    {
      id: 2,
      feedId: 1,
      guid: 'tag:research.example,2026:xlstm',
      url: 'https://research.example/posts/xlstm/',
      title: 'xLSTM against transformers',
      summary: 'Where recurrent models catch up.',
      categories: ['State Space Model', 'Transformer'],
      publishedAt: T + 10 * DAY,
      firstSeenAt: T + 10 * DAY + 5_000,
      updatedAt: T + 11 * DAY,
      words: 1_150,
      minutes: 5,
      minutesFromSummary: false,
      readAt: 0,
    },
    {
      id: 3,
      feedId: 1,
      guid: 'https://research.example/posts/attention/',
      url: 'https://research.example/posts/attention/',
      title: 'Attention is a lookup',
      categories: ['Transformer'],
      publishedAt: T + 18 * DAY,
      firstSeenAt: T + 18 * DAY,
      words: 40,
      minutes: 1,
      minutesFromSummary: true,
      readAt: 0,
    },
    {
      id: 4,
      feedId: 2,
      guid: 'urn:uuid:6f1c2a52-95c1-4bd6-9d39-5a1d3a1b8e11',
      url: 'https://notes.example/2026/02/bidi',
      title: 'نص عربي with English ✨',
      summary: 'Mixed direction, and an emoji.',
      categories: ['Uncategorized'],
      // Undated in the feed: sorted by first-seen time.
      publishedAt: T + DAY,
      firstSeenAt: T + DAY,
      words: 300,
      minutes: 2,
      minutesFromSummary: false,
      readAt: 0,
    },
    {
      id: 5,
      feedId: 2,
      guid: 'hash:9c1e7d',
      title: 'A note without a link',
      categories: ['Field notes'],
      publishedAt: T + DAY - 60_000,
      firstSeenAt: T + DAY,
      words: 90,
      minutes: 1,
      minutesFromSummary: false,
      readAt: T + 2 * DAY,
    },
  ],
  postContents: [
    {
      postId: 1,
      html: '<p>Selective <em>state spaces</em>.</p><img src="https://research.example/fig1.png">',
    },
    { postId: 2, html: '<p>Recurrent models, again.</p>' },
    { postId: 4, html: '<p dir="rtl">نص عربي</p><p>with English ✨</p>' },
  ],
  readingList: [
    {
      id: 1,
      url: 'https://research.example/posts/mamba/',
      title: 'Mamba, explained',
      postId: 1,
      source: 'Research & Writing',
      minutes: 2,
      addedAt: T + 3 * DAY,
      position: 1,
      doneAt: 0,
    },
    {
      id: 2,
      url: 'https://elsewhere.example/essay',
      title: 'An essay from a blog no longer followed',
      source: 'Elsewhere',
      minutes: 12,
      addedAt: T + 4 * DAY,
      position: 2,
      doneAt: T + 6 * DAY,
      note: 'Read on the train',
    },
    {
      id: 3,
      url: 'https://research.example/posts/xlstm/',
      title: 'xLSTM against transformers',
      postId: 2,
      source: 'Research & Writing',
      minutes: 5,
      addedAt: T + 12 * DAY,
      position: 3,
      doneAt: 0,
    },
  ],
  // Unread: posts 2 (SSM and Transformer, 5 min), 3 (Transformer, 1 min), 4 (Uncategorized, 2 min).
  unreadCounts: [
    { feedId: 1, category: '', unread: 2, minutes: 6 },
    { feedId: 1, category: 'State Space Model', unread: 1, minutes: 5 },
    { feedId: 1, category: 'Transformer', unread: 2, minutes: 6 },
    { feedId: 2, category: '', unread: 1, minutes: 2 },
    // Left at zero when post 5 was read: v1 kept emptied rows.
    { feedId: 2, category: 'Field notes', unread: 0, minutes: 0 },
    { feedId: 2, category: 'Uncategorized', unread: 1, minutes: 2 },
  ],
};

/**
 * What v2 stored a few weeks later: v1's blogs, contents and reading list; more posts (a
 * Russian title, a Japanese one, "AI" and "ai" spelled differently by two blogs, a read one
 * with an accent) with their counters; a host asking to wait.
 */
export const V2_RECORDS: V2Records = {
  feeds: V1_RECORDS.feeds,
  posts: [
    ...V1_RECORDS.posts,
    {
      id: 6,
      feedId: 1,
      guid: 'tag:research.example,2026:notes-ru',
      url: 'https://research.example/posts/notes-ru/',
      title: 'Заметки о моделях',
      summary: 'Короткие заметки о рекуррентных сетях.',
      categories: ['AI'],
      publishedAt: T + 19 * DAY,
      firstSeenAt: T + 19 * DAY + 5_000,
      words: 700,
      minutes: 3,
      minutesFromSummary: false,
      readAt: 0,
    },
    {
      id: 7,
      feedId: 2,
      guid: 'hash:7a1f20',
      url: 'https://notes.example/2026/02/tokyo',
      title: '東京大学の研究ノート',
      categories: ['ai'],
      publishedAt: T + 2 * DAY,
      firstSeenAt: T + 2 * DAY,
      words: 200,
      minutes: 1,
      minutesFromSummary: true,
      readAt: 0,
    },
    {
      id: 8,
      feedId: 1,
      guid: 'tag:research.example,2026:cafe',
      url: 'https://research.example/posts/cafe/',
      title: 'Café talk: what the reviewers asked',
      summary: 'Questions from the workshop.',
      categories: ['AI', 'Transformer'],
      publishedAt: T + 19 * DAY + 60_000,
      firstSeenAt: T + 19 * DAY + 65_000,
      words: 900,
      minutes: 4,
      minutesFromSummary: false,
      readAt: T + 20 * DAY,
    },
  ],
  postContents: [
    ...V1_RECORDS.postContents,
    { postId: 6, html: '<p>Короткие заметки о рекуррентных сетях.</p>' },
  ],
  readingList: V1_RECORDS.readingList,
  // Unread: v1's (posts 2, 3, 4), 6 (feed 1, AI, 3 min) and 7 (feed 2, ai, 1 min).
  unreadCounts: [
    { feedId: 1, category: '', unread: 3, minutes: 9 },
    { feedId: 1, category: 'AI', unread: 1, minutes: 3 },
    { feedId: 1, category: 'State Space Model', unread: 1, minutes: 5 },
    { feedId: 1, category: 'Transformer', unread: 2, minutes: 6 },
    { feedId: 2, category: '', unread: 2, minutes: 3 },
    { feedId: 2, category: 'Field notes', unread: 0, minutes: 0 },
    { feedId: 2, category: 'Uncategorized', unread: 1, minutes: 2 },
    { feedId: 2, category: 'ai', unread: 1, minutes: 1 },
  ],
  hosts: [
    {
      host: 'research.example',
      until: T + 20 * DAY + 3_600_000,
      reason: 'The server asked Dispatch to wait (HTTP 429)',
    },
  ],
};
