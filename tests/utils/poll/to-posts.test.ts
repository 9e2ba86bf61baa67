import { describe, expect, it } from 'vitest';
import type { ParsedFeed, ParsedItem } from '@/utils/feed/types';
import {
  AUTHOR_MAX_CHARS,
  capUtf16,
  CATEGORY_MAX_CHARS,
  CONTENT_MAX_CHARS,
  MAX_CATEGORIES,
  SUMMARY_MAX_CHARS,
  TITLE_MAX_CHARS,
  toNewPosts,
  UNTITLED,
} from '@/utils/poll/to-posts';

function feedOf(...items: Partial<ParsedItem>[]): ParsedFeed {
  return {
    format: 'rss',
    title: 'Edge Notes',
    warnings: [],
    items: items.map((item, index) => ({
      guid: `g${index}`,
      title: `Title ${index}`,
      categories: [],
      ...item,
    })),
  };
}

function onlyPost(item: Partial<ParsedItem>) {
  const [post] = toNewPosts(feedOf(item), { wordsPerMinute: 200 });
  if (!post) throw new Error('no post');
  return post;
}

describe('toNewPosts', () => {
  it('maps an item field by field and estimates its reading time from the content', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const post = onlyPost({
      guid: 'abc',
      url: 'https://blog.example/a/',
      title: '  State   Space Models ',
      summary: 'Short.',
      contentHtml: `<p>${words}</p>`,
      author: 'Ada',
      categories: ['SSM', 'Mamba'],
      publishedAt: 1_000,
      updatedAt: 2_000,
    });

    expect(post).toEqual({
      guid: 'abc',
      url: 'https://blog.example/a/',
      title: 'State Space Models',
      summary: 'Short.',
      content: `<p>${words}</p>`,
      author: 'Ada',
      categories: ['SSM', 'Mamba'],
      publishedAt: 1_000,
      updatedAt: 2_000,
      words: 400,
      minutes: 2,
      minutesFromSummary: false,
    });
  });

  it('files a post without categories under "Uncategorized" and de-duplicates the others', () => {
    expect(onlyPost({}).categories).toEqual(['Uncategorized']);
    expect(onlyPost({ categories: ['AI', ' ai ', 'ML', ''] }).categories).toEqual(['AI', 'ML']);
  });

  it('falls back to the summary for a missing title, then to "(untitled)"', () => {
    expect(onlyPost({ title: '', summary: 'A thought about attention.' }).title).toBe(
      'A thought about attention.',
    );
    expect(onlyPost({ title: ' ', summary: 'x'.repeat(300) }).title).toHaveLength(80);
    expect(onlyPost({ title: '' }).title).toBe(UNTITLED);
  });

  it('caps the summary and derives one from the content when the feed has none', () => {
    expect(Array.from(onlyPost({ summary: 'é'.repeat(5_000) }).summary!)).toHaveLength(
      SUMMARY_MAX_CHARS,
    );
    expect(onlyPost({ contentHtml: '<p>Hello <b>world</b></p>' }).summary).toBe('Hello world');
    expect(onlyPost({}).summary).toBeUndefined();
  });

  it('caps the content without splitting a surrogate pair, and counts the words of all of it', () => {
    const html = 'a'.repeat(CONTENT_MAX_CHARS - 1) + '😀' + ' more words here';
    const post = onlyPost({ contentHtml: html });

    expect(post.content).toHaveLength(CONTENT_MAX_CHARS - 1);
    expect(post.content!.endsWith('a')).toBe(true);
    expect(post.words).toBeGreaterThan(1);
  });

  it('caps the title, author and categories', () => {
    const post = onlyPost({
      title: 't'.repeat(5 * TITLE_MAX_CHARS),
      author: 'a'.repeat(1_000),
      categories: Array.from({ length: 50 }, (_, i) => `${i}${'c'.repeat(500)}`),
    });

    expect(Array.from(post.title)).toHaveLength(TITLE_MAX_CHARS);
    expect(Array.from(post.author!)).toHaveLength(AUTHOR_MAX_CHARS);
    expect(post.categories).toHaveLength(MAX_CATEGORIES);
    expect(post.categories.every((name) => name.length === CATEGORY_MAX_CHARS)).toBe(true);
  });

  it('derives a capped summary from long content without a broken emoji at the cut', () => {
    const post = onlyPost({ contentHtml: `<p>${'🙂'.repeat(3 * SUMMARY_MAX_CHARS)}</p>` });

    expect(post.summary).toBe(`${'🙂'.repeat(SUMMARY_MAX_CHARS - 1)}…`);
  });

  it('marks an estimate made from the summary only', () => {
    expect(onlyPost({ summary: 'Just a teaser.' })).toMatchObject({
      minutes: 1,
      minutesFromSummary: true,
    });
  });
});

describe('capUtf16', () => {
  it.each([
    ['short', 10, 'short'],
    ['abcdef', 3, 'abc'],
    ['ab😀', 3, 'ab'],
    ['ab😀', 4, 'ab😀'],
  ])('caps %j at %i code units as %j', (text, max, expected) => {
    expect(capUtf16(text, max)).toBe(expected);
  });
});
