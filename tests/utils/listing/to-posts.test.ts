import { describe, expect, it } from 'vitest';
import { UNCATEGORIZED } from '@/utils/db/types';
import type { ListingPost } from '@/utils/listing/extract';
import { buildPreview } from '@/utils/listing/preview';
import { listingToNewPosts } from '@/utils/listing/to-posts';
import { CATEGORY_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS } from '@/utils/poll/to-posts';
import { estimateReadingTime } from '@/utils/reading-time';
import { countWords } from '@/utils/text';
import { renderSeedListing } from './seed';

const OPTIONS = { wordsPerMinute: 230 };

const card = (fields: Partial<ListingPost> = {}): ListingPost => ({
  url: 'https://blog.example/posts/mamba',
  guid: 'https://blog.example/posts/mamba',
  title: 'Mamba: Architecture & How It Works',
  summary: 'Mamba is a selective state space model that scales linearly with sequence length.',
  ...fields,
});

describe('listingToNewPosts', () => {
  it('keeps the seed listing’s "2 min read" as the site’s own minutes, with its categories', () => {
    const result = buildPreview(renderSeedListing(), 'https://chaos.example/blog');
    if (!result.ok) throw new Error(result.message);

    const posts = listingToNewPosts(result.posts, OPTIONS);

    expect(posts).toHaveLength(9);
    for (const post of posts) {
      expect(post).toMatchObject({ minutes: 2, siteMinutes: 2, minutesFromSummary: false });
      expect(post.guid).toBe(post.url);
    }
    expect(posts.map((post) => post.categories)).toEqual([
      ...Array.from({ length: 3 }, () => ['State Space Model']),
      ...Array.from({ length: 6 }, () => ['Transformer']),
    ]);
  });

  it('maps a card to a post in the store’s shape', () => {
    const published = Date.UTC(2024, 4, 5);

    const [post] = listingToNewPosts(
      [card({ category: 'State Space Model', publishedAt: published, readingMinutes: 6 })],
      OPTIONS,
    );

    expect(post).toEqual({
      guid: 'https://blog.example/posts/mamba',
      url: 'https://blog.example/posts/mamba',
      title: 'Mamba: Architecture & How It Works',
      summary: 'Mamba is a selective state space model that scales linearly with sequence length.',
      categories: ['State Space Model'],
      publishedAt: published,
      // What Dispatch counted (title and summary), not 6 minutes times a reading speed.
      words: countWords(
        'Mamba: Architecture & How It Works. Mamba is a selective state space model that scales linearly with sequence length.',
      ),
      minutes: 6,
      siteMinutes: 6,
      minutesFromSummary: false,
    });
  });

  it('estimates from the title and summary when the card has no "N min read"', () => {
    const text =
      'Mamba: Architecture & How It Works. Mamba is a selective state space model that scales linearly with sequence length.';
    const estimate = estimateReadingTime({ summary: text }, OPTIONS.wordsPerMinute);

    const [post] = listingToNewPosts([card()], OPTIONS);

    expect(post).toMatchObject({
      words: estimate.words,
      minutes: estimate.minutes,
      minutesFromSummary: true,
      categories: [UNCATEGORIZED],
    });
    expect(post).not.toHaveProperty('siteMinutes');
    expect(post).not.toHaveProperty('publishedAt');
  });

  it('estimates at the user’s reading speed', () => {
    const summary = 'word '.repeat(600);

    const [slow] = listingToNewPosts([card({ summary })], { wordsPerMinute: 100 });
    const [fast] = listingToNewPosts([card({ summary })], { wordsPerMinute: 600 });

    expect(slow!.minutes).toBe(Math.ceil(slow!.words / 100));
    expect(fast!.minutes).toBe(Math.ceil(fast!.words / 600));
  });

  it('estimates from the title alone when the card has no summary', () => {
    const [post] = listingToNewPosts([card({ summary: undefined })], OPTIONS);

    expect(post).not.toHaveProperty('summary');
    expect(post).toMatchObject({ words: 5, minutes: 1, minutesFromSummary: true });
  });

  it('caps text as a feed’s posts are capped, on one line', () => {
    const [post] = listingToNewPosts(
      [
        card({
          title: `A\n  long   ${'title '.repeat(500)}`,
          summary: 'summary '.repeat(1000),
          category: `  ${'Category '.repeat(50)}`,
        }),
      ],
      OPTIONS,
    );

    expect(post!.title).toMatch(/^A long title title/);
    expect([...post!.title].length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect([...post!.summary!].length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect([...post!.categories[0]!].length).toBeLessThanOrEqual(CATEGORY_MAX_CHARS);
    expect(post!.categories[0]).toMatch(/^Category Category .*…$/);
  });

  it('keeps the page order', () => {
    const cards = ['a', 'b', 'c'].map((slug) =>
      card({
        url: `https://blog.example/${slug}`,
        guid: `https://blog.example/${slug}`,
        title: slug,
      }),
    );

    expect(listingToNewPosts(cards, OPTIONS).map((post) => post.title)).toEqual(['a', 'b', 'c']);
  });
});
