/**
 * The feed libraries Dispatch's parser is measured against (`npm run bench`, `npm run
 * evaluate`), each behind the same two faces: a timing subject that starts from the response
 * bytes, and a mapping of its output to the normalized fields of the conformance corpus
 * (`../shared/conformance/README.md`). None of them takes bytes, so each timing includes the
 * `TextDecoder` step a caller would need; `rss-parser` is async (xml2js callbacks) and is
 * awaited.
 */
import { parseFeed as parseRowanmanning } from '@rowanmanning/feed-parser';
import { parseFeed as parseFeedsmith } from 'feedsmith';
import RssParser from 'rss-parser';
import { parseFeed } from '@/utils/feed/parse';
import type { ParsedFeed } from '@/utils/feed/types';
import type { BenchFormat } from './feed-corpus';

export type PeerName = 'ours' | 'rss-parser' | 'feedsmith' | '@rowanmanning/feed-parser';

/** One feed in the conformance corpus's normalized fields; values as the library gives them. */
export interface NormalizedFeed {
  title?: unknown;
  link?: unknown;
  description?: unknown;
  entries: NormalizedEntry[];
}

export interface NormalizedEntry {
  title?: unknown;
  link?: unknown;
  id?: unknown;
  published?: unknown;
  updated?: unknown;
  summary?: unknown;
  content?: unknown;
  categories?: unknown[];
  author?: unknown;
}

export interface FeedInput {
  bytes: Uint8Array;
  /** The bytes decoded by Dispatch's own byte-to-text step (peers cannot take bytes). */
  text: string;
  url?: string;
  contentType?: string;
  /** The corpus's format label, used only to read rss-parser's format-dependent fields. */
  format: string;
}

export interface Peer {
  name: PeerName;
  /** Whether the library reads this generated benchmark format at all. */
  supports: (format: BenchFormat) => boolean;
  /** Bytes → the library's own result, decoding included. */
  time: (bytes: Uint8Array) => unknown;
  /** Parses and maps to the normalized fields; may throw (counted as a throw). */
  normalize: (input: FeedInput) => Promise<NormalizedFeed>;
}

const decoder = new TextDecoder();
const rssParser = new RssParser();

type Loose = Record<string, unknown>;

const isLoose = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

function get(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isLoose(current)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** First defined, non-empty value. */
function first(...values: unknown[]): unknown {
  return values.find((value) => value !== undefined && value !== null && value !== '');
}

/** A value that may be a string or `{ value }` / `{ _ }` / `{ name }` wrapper, as text. */
function text(value: unknown): unknown {
  if (!isLoose(value) || value instanceof Date) return value;
  return first(value.value, value._, value.name, value.term, value.label);
}

function fromOurs(feed: ParsedFeed): NormalizedFeed {
  return {
    title: feed.title,
    link: feed.siteUrl,
    description: feed.description,
    entries: feed.items.map((item) => ({
      title: item.title,
      link: item.url,
      id: item.guid,
      published: item.publishedAt,
      updated: item.updatedAt,
      summary: item.summary,
      content: item.contentHtml,
      categories: item.categories,
      author: item.author,
    })),
  };
}

function fromRssParser(feed: RssParser.Output<Loose>, format: string): NormalizedFeed {
  const atomLike = format.startsWith('atom');
  return {
    title: feed.title,
    link: feed.link,
    description: feed.description,
    entries: feed.items.map((item) => ({
      title: item.title,
      link: item.link,
      id: first(item.guid, item.id, item['rdf:about']),
      published: first(item.isoDate, item.pubDate),
      updated: first(item.isoDate, item.pubDate),
      // RSS description comes out as `content`, content:encoded under its own name.
      summary: atomLike ? item.summary : first(item.summary, item.content),
      content: atomLike ? item.content : item['content:encoded'],
      categories: list(item.categories).map(text),
      author: text(first(item.creator, item.author)),
    })),
  };
}

/** feedsmith keeps each format's own shape (raw date strings, unresolved links). */
function fromFeedsmith(result: ReturnType<typeof parseFeedsmith>): NormalizedFeed {
  const feed = result.feed as Loose;
  if (result.format === 'json') {
    return {
      title: feed.title,
      link: feed.home_page_url,
      description: feed.description,
      entries: list(feed.items).map((item) => ({
        title: get(item, 'title'),
        link: first(get(item, 'url'), get(item, 'external_url')),
        id: get(item, 'id'),
        published: get(item, 'date_published'),
        updated: get(item, 'date_modified'),
        summary: get(item, 'summary'),
        content: first(get(item, 'content_html'), get(item, 'content_text')),
        categories: list(get(item, 'tags')),
        author: first(
          get(item, 'authors', 0, 'name'),
          get(item, 'author', 'name'),
          get(feed, 'authors', 0, 'name'),
          get(feed, 'author', 'name'),
        ),
      })),
    };
  }
  if (result.format === 'atom') {
    const alternate = (links: unknown) =>
      get(
        list(links).find((link) => [undefined, 'alternate'].includes(get(link, 'rel') as string)),
        'href',
      );
    return {
      title: text(feed.title),
      link: alternate(feed.links),
      description: text(first(feed.subtitle, feed.tagline)),
      entries: list(feed.entries).map((entry) => ({
        title: text(get(entry, 'title')),
        link: alternate(get(entry, 'links')),
        id: get(entry, 'id'),
        published: first(get(entry, 'published'), get(entry, 'issued'), get(entry, 'dc', 'date')),
        updated: first(get(entry, 'updated'), get(entry, 'modified'), get(entry, 'dc', 'date')),
        summary: text(get(entry, 'summary')),
        content: text(get(entry, 'content')),
        categories: list(get(entry, 'categories')).map(text),
        author: first(
          text(get(entry, 'authors', 0)),
          get(entry, 'dc', 'creators', 0),
          get(entry, 'dc', 'creator'),
          text(get(feed, 'authors', 0)),
        ),
      })),
    };
  }
  return {
    title: feed.title,
    link: feed.link,
    description: feed.description,
    entries: list(feed.items).map((item) => ({
      title: first(get(item, 'title'), get(item, 'dc', 'titles', 0), get(item, 'dc', 'title')),
      link: get(item, 'link'),
      id: first(text(get(item, 'guid')), get(item, 'rdf', 'about')),
      published: first(get(item, 'pubDate'), get(item, 'dc', 'dates', 0), get(item, 'dc', 'date')),
      updated: first(get(item, 'dc', 'dates', 0), get(item, 'dc', 'date'), get(item, 'pubDate')),
      summary: get(item, 'description'),
      content: get(item, 'content', 'encoded'),
      categories: [
        ...list(get(item, 'categories')).map(text),
        ...list(get(item, 'dc', 'subjects')),
      ],
      author: first(
        text(get(item, 'authors', 0)),
        get(item, 'dc', 'creators', 0),
        get(item, 'dc', 'creator'),
        get(item, 'author'),
      ),
    })),
  };
}

function fromRowanmanning(feed: ReturnType<typeof parseRowanmanning>): NormalizedFeed {
  return {
    title: feed.title,
    link: feed.url,
    description: feed.description,
    entries: feed.items.map((item) => ({
      title: item.title,
      link: item.url,
      id: item.id,
      published: item.published,
      updated: item.updated,
      summary: item.description,
      content: item.content,
      categories: item.categories.map((category) => category.label ?? category.term),
      author: item.authors[0]?.name,
    })),
  };
}

export const PEERS: readonly Peer[] = [
  {
    name: 'ours',
    supports: () => true,
    time: (bytes) => parseFeed(bytes),
    normalize: async ({ bytes, url, contentType }) =>
      fromOurs(parseFeed(bytes, { url, contentType })),
  },
  {
    name: 'rss-parser',
    supports: (format) => format !== 'json',
    time: (bytes) => rssParser.parseString(decoder.decode(bytes)),
    normalize: async ({ text, format }) => fromRssParser(await rssParser.parseString(text), format),
  },
  {
    name: 'feedsmith',
    supports: () => true,
    time: (bytes) => parseFeedsmith(decoder.decode(bytes)),
    normalize: async ({ text }) => fromFeedsmith(parseFeedsmith(text)),
  },
  {
    name: '@rowanmanning/feed-parser',
    supports: (format) => format !== 'json',
    // Its feed object reads fields lazily (getters over the XML tree); `toJSON()` reads them
    // all, the work the others do while parsing.
    time: (bytes) => parseRowanmanning(decoder.decode(bytes)).toJSON(),
    normalize: async ({ text }) => fromRowanmanning(parseRowanmanning(text)),
  },
];
