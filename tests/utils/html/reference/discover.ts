/**
 * Test-only reference: `discoverFeedLinks` as it was built on htmlparser2 (commit e90a0ea), for
 * the equivalence test of `utils/html/`. Not shipped.
 */
import { Parser } from 'htmlparser2';
import { sniffFeedFormat } from '@/utils/feed/parse';
import { safeHttpUrl } from '@/utils/url';

export interface DiscoveredFeed {
  /** Absolute http(s) URL of the feed. */
  url: string;
  /** The link's `title`, whitespace collapsed, when it has one. */
  title?: string;
  type: 'rss' | 'atom' | 'rdf' | 'json' | 'unknown';
}

/** Paths to try, in order, on a site whose pages advertise no feed. */
export const COMMON_FEED_PATHS = [
  '/feed.xml',
  '/rss.xml',
  '/atom.xml',
  '/index.xml',
  '/feed',
  '/rss',
  '/feed.json',
];

const FEED_TYPES: ReadonlyMap<string, DiscoveredFeed['type']> = new Map([
  ['application/rss+xml', 'rss'],
  ['application/x-rss+xml', 'rss'],
  ['application/atom+xml', 'atom'],
  ['application/x-atom+xml', 'atom'],
  ['application/rdf+xml', 'rdf'],
  ['application/feed+json', 'json'],
  ['application/json', 'json'],
]);

/**
 * The feeds a page advertises, in document order, de-duplicated by URL: `<link>`s whose `rel`
 * tokens include `alternate` (with a feed media type) or `feed` (any type; `unknown` when it
 * names none). Hrefs resolve against the page's first `<base href>`, else `pageUrl`; only
 * http(s) results are kept. Parsing stops at `<body>` or `</head>`, where these links live.
 *
 * `application/json` alternates under `/wp-json/` are skipped: WordPress advertises its REST
 * API that way on every page, and that JSON is no feed.
 */
export function discoverFeedLinks(html: string, pageUrl: string): DiscoveredFeed[] {
  const links: { href: string; title?: string; type: DiscoveredFeed['type'] }[] = [];
  let baseHref: string | undefined;
  const parser: Parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'body') {
          parser.pause();
        } else if (name === 'base' && baseHref === undefined && attributes.href !== undefined) {
          baseHref = attributes.href;
        } else if (name === 'link' && attributes.href !== undefined) {
          const type = feedLinkType(attributes.rel, attributes.type);
          if (type !== undefined) {
            const title = attributes.title?.replace(/\s+/g, ' ').trim();
            links.push({ href: attributes.href, type, ...(title ? { title } : {}) });
          }
        }
      },
      onclosetag(name) {
        if (name === 'head') parser.pause();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  const base = (baseHref !== undefined && safeBase(baseHref, pageUrl)) || pageUrl;
  const seen = new Set<string>();
  const feeds: DiscoveredFeed[] = [];
  for (const link of links) {
    const url = safeHttpUrl(link.href, base);
    if (url === undefined || seen.has(url)) continue;
    if (link.type === 'json' && new URL(url).pathname.includes('/wp-json/')) continue;
    seen.add(url);
    feeds.push({ url, type: link.type, ...(link.title ? { title: link.title } : {}) });
  }
  return feeds;
}

function feedLinkType(
  rel: string | undefined,
  type: string | undefined,
): DiscoveredFeed['type'] | undefined {
  const tokens = new Set((rel ?? '').toLowerCase().split(/\s+/));
  const mime = type?.split(';')[0]?.trim().toLowerCase() ?? '';
  const feedType = FEED_TYPES.get(mime);
  if (tokens.has('alternate') && feedType !== undefined) return feedType;
  if (tokens.has('feed')) return feedType ?? 'unknown';
  return undefined;
}

/** `<base href>` resolved against the page; a base of another scheme is still a base. */
function safeBase(href: string, pageUrl: string): string | undefined {
  try {
    return new URL(href.trim(), pageUrl).href;
  } catch {
    return undefined;
  }
}

/**
 * Cheap check that a fetched body is itself a feed rather than a page: its root element is
 * `<rss>`, `<feed>`, `<rdf:RDF>` or `<channel>`, or it is JSON naming a JSON Feed version.
 * Looks at the start of the text only; `parseFeed` has the final word.
 */
export function looksLikeFeed(text: string): boolean {
  const format = sniffFeedFormat(text);
  return format !== undefined && format !== 'html';
}
