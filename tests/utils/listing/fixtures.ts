/** Listing-page fixtures (`tests/fixtures/listing/`) and the posts each should give. */
import { readFileSync } from 'node:fs';
import type { ListingPost } from '@/utils/listing/extract';

export interface ExpectedPost {
  title: string;
  url: string;
  category?: string;
  readingMinutes?: number;
  /** `YYYY-MM-DD`, UTC. */
  published?: string;
}

export interface ListingFixture {
  html: string;
  pageUrl: string;
  posts: ExpectedPost[];
}

export const POSITIVE_FIXTURES = [
  'nextjs-cards',
  'astro-cards',
  'hugo-list',
  'jekyll-minima',
  'wordpress-archive',
  'ghost-casper',
  'substack-archive',
  'medium-like',
  'nested-wrappers',
  'ads-interleaved',
] as const;
export const NEGATIVE_FIXTURES = ['article-page', 'login-page'] as const;

export function listingFixture(name: string): ListingFixture {
  const file = (ext: string) =>
    readFileSync(new URL(`../../fixtures/listing/${name}.${ext}`, import.meta.url), 'utf8');
  const expected = JSON.parse(file('json')) as Omit<ListingFixture, 'html'>;
  return { html: file('html'), ...expected };
}

/** A post in the shape of the expectations: the fields they check, absent ones left out. */
export function asExpected(post: ListingPost): ExpectedPost {
  return {
    title: post.title,
    url: post.url,
    ...(post.category === undefined ? {} : { category: post.category }),
    ...(post.readingMinutes === undefined ? {} : { readingMinutes: post.readingMinutes }),
    ...(post.publishedAt === undefined
      ? {}
      : { published: new Date(post.publishedAt).toISOString().slice(0, 10) }),
  };
}
