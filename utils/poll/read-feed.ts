/**
 * Fetched bytes → a feed, a web page, or a reason in words. Shared by the poll cycle and
 * subscribe, so both tell "a web page" from "a feed with no items" the same way
 * (HOSTILE-INPUTS.md A13, A14).
 */
import { decodeFeedBytes } from '@/utils/feed/decode';
import { parseFeed } from '@/utils/feed/parse';
import { isFeedError, type ParsedFeed } from '@/utils/feed/types';

export type ReadFeedResult =
  | { kind: 'feed'; parsed: ParsedFeed }
  /** An HTML page; `text` is the decoded page for autodiscovery. */
  | { kind: 'html'; text: string }
  | { kind: 'invalid'; code: string; message: string };

export const WEB_PAGE_MESSAGE = 'The address returned a web page, not a feed';

/** How much of the body the HTML sniffing looks at. */
const SNIFF_CHARS = 4096;

/**
 * An HTML document start: optional XML declaration, comments and doctype, then `<html`,
 * `<head` or `<body`. Feeds never start like this; pages almost always do.
 */
const HTML_START =
  /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html[^>]*>|<html[\s>]|<head[\s>]|<body[\s>])/i;

/**
 * Parses a fetched body. Never throws for bad input: a parse failure comes back as `invalid`
 * with the parser's code and words, a page as `html`. A "feed" with no items whose body is an
 * HTML page is a page (a login wall or parked domain must never read as "zero posts").
 */
export function readFeed(
  body: Uint8Array,
  options: { url: string; contentType?: string },
): ReadFeedResult {
  let parsed: ParsedFeed | undefined;
  let failure: { code: string; message: string } | undefined;
  try {
    parsed = parseFeed(body, options);
  } catch (error) {
    if (!isFeedError(error)) throw error;
    failure = { code: error.code, message: error.message };
  }
  if (parsed && parsed.items.length > 0) return { kind: 'feed', parsed };

  const text = decodeText(body, options.contentType);
  if (text !== undefined && isHtmlPage(text, options.contentType)) return { kind: 'html', text };
  if (parsed) return { kind: 'feed', parsed };
  return {
    kind: 'invalid',
    ...(failure ?? { code: 'not-a-feed', message: 'The address did not return a feed' }),
  };
}

/** True when the text is an HTML document (and not a feed that merely mentions HTML). */
export function isHtmlPage(text: string, contentType?: string): boolean {
  const start = text.slice(0, SNIFF_CHARS);
  if (HTML_START.test(start)) return true;
  const mime = contentType?.split(';')[0]?.trim().toLowerCase();
  return mime === 'text/html' && !/<(?:rss|feed|rdf:RDF)[\s>]/.test(start) && !/^\s*\{/.test(start);
}

function decodeText(body: Uint8Array, contentType?: string): string | undefined {
  try {
    return decodeFeedBytes(body, contentType).text;
  } catch (error) {
    if (isFeedError(error)) return undefined;
    throw error;
  }
}
