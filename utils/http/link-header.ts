/**
 * Feed links from an HTTP `Link` header (RFC 8288): a site may advertise its feed there
 * instead of, or as well as, in its HTML (HOSTILE-INPUTS.md A13). Pure; depends only on `URL`.
 */
import { safeHttpUrl } from '@/utils/url';

/** Media types that name a feed in a `Link` header's `type` parameter. */
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/x-rss+xml',
  'application/atom+xml',
  'application/x-atom+xml',
  'application/rdf+xml',
  'application/feed+json',
]);

interface LinkValue {
  target: string;
  params: Map<string, string>;
}

/**
 * The feed URLs a `Link` header advertises, in header order, absolute against `baseUrl` and
 * http(s) only: links whose `rel` includes `alternate` with a feed media type, or `feed`
 * (whatever the type). Malformed parts are skipped, never thrown on.
 */
export function feedLinksFromHeader(value: string | null | undefined, baseUrl: string): string[] {
  if (!value) return [];
  const urls: string[] = [];
  for (const { target, params } of parseLinkHeader(value)) {
    const rels = new Set((params.get('rel') ?? '').toLowerCase().split(/\s+/));
    const type = params.get('type')?.split(';')[0]?.trim().toLowerCase() ?? '';
    const isFeed = rels.has('feed') || (rels.has('alternate') && FEED_TYPES.has(type));
    const url = isFeed ? safeHttpUrl(target, baseUrl) : undefined;
    if (url && !urls.includes(url)) urls.push(url);
  }
  return urls;
}

/**
 * Splits a `Link` header into `<target>; name=value; name="quoted, value"` parts. Parameter
 * names are lower-cased; the first of a repeated parameter wins, as RFC 8288 §3 asks.
 */
function parseLinkHeader(value: string): LinkValue[] {
  const links: LinkValue[] = [];
  let index = 0;
  while (index < value.length) {
    const open = value.indexOf('<', index);
    if (open < 0) break;
    const close = value.indexOf('>', open + 1);
    if (close < 0) break;
    const params = new Map<string, string>();
    index = close + 1;
    // Parameters run to the next comma outside quotes.
    while (index < value.length && value[index] !== ',') {
      const match = /^\s*;\s*([^\s=;,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;,]*)))?/.exec(
        value.slice(index),
      );
      if (!match) {
        const next = value.indexOf(',', index);
        index = next < 0 ? value.length : next;
        break;
      }
      const name = match[1]!.toLowerCase();
      const raw = match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? '';
      if (!params.has(name)) params.set(name, raw);
      index += match[0].length;
      while (value[index] === ' ' || value[index] === '\t') index += 1;
    }
    links.push({ target: value.slice(open + 1, close).trim(), params });
    index += 1;
  }
  return links;
}
