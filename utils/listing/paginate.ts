/**
 * The "older posts" link of a listing page, for backfill (issue 6). Read with the raw HTML
 * parser (`utils/html/parser.ts`), not the listing tree: the tree drops `<nav>`, where
 * pagination lives. Worker-safe (no DOM); one pass, a few short strings kept per link.
 */
import { parseHtml } from '@/utils/html/parser';
import { safeHttpUrl } from '@/utils/url';

/** A link that may lead to the older posts, as read from the page. */
interface Candidate {
  href: string;
  /** Lower, whitespace collapsed: the link's text, else its `aria-label`. */
  names: string[];
  inPagination: boolean;
}

interface PageLinks {
  base?: string;
  /** `<link rel="next">`, in document order. */
  relLinks: string[];
  /** Every `<a href>` with a `rel` containing `next`. */
  relAnchors: string[];
  anchors: Candidate[];
  /** The number the pagination marks as the current page (`aria-current="page"`). */
  current?: number;
}

/** Containers of page links: WordPress `navigation pagination`/`nav-links`, Hugo `pagination`, `pager`… */
const PAGINATION = /pagin|pager|paging|page-?nav|page-numbers|nav-links/i;
const PAGINATION_LABEL = /pag|posts navigation/i;
/**
 * Names of the link to older posts, once arrows and quotes are trimmed: "Older posts",
 * WordPress's "« Older Entries", "Next page", "Next", "More posts", "Previous posts" (older,
 * in themes that list newest first). "Previous page" and "Newer" lead the other way.
 */
const OLDER_NAME =
  /^(?:older(?: (?:posts?|entries|articles|stories))?|next(?: (?:page|posts?|entries|articles))?|more (?:posts|entries|articles|stories)|previous (?:posts|entries|articles))$/;
const ARROWS = /^[\s«»‹›←→<>…"'“”]+|[\s«»‹›←→<>…"'“”]+$/g;
/** A link named only by arrows pointing forward. */
const FORWARD = /^[\s»›→>]+$/;
/**
 * Candidates kept at most of each kind, and the longest href and name read: a hostile page
 * of a million "Next" links costs one pass, not a million strings.
 */
const MAX_CANDIDATES = 100;
const MAX_HREF = 2_048;
const MAX_NAME = 100;
/** A numbered page link: "3", "Page 3". */
const NUMBERED = /^\s*(?:page\s+)?\d{1,5}\s*$/i;

/** Whether `name` (as written on the link) reads like "older posts". */
function isOlderName(name: string): boolean {
  const words = name.replace(ARROWS, '').toLowerCase();
  return words ? OLDER_NAME.test(words) : FORWARD.test(name) && name.trim() !== '';
}

/** The page number in `url`: `/page/3/` (Hugo, WordPress), `/page3/` (Jekyll), `?page=3`, `?paged=3`. */
function pageNumberOf(url: URL): number | undefined {
  const match =
    /\/page\/?(\d{1,5})\/?$/i.exec(url.pathname) ??
    /[?&](?:page|paged)=(\d{1,5})(?:&|$)/i.exec(url.search);
  return match ? Number(match[1]) : undefined;
}

const isPagination = (attributes: ReadonlyMap<string, string>): boolean =>
  PAGINATION.test(attributes.get('class') ?? '') ||
  PAGINATION_LABEL.test(attributes.get('aria-label') ?? '');

/** Reads the links of `html` that may lead to older posts. */
function readLinks(html: string): PageLinks {
  const links: PageLinks = { relLinks: [], relAnchors: [], anchors: [] };
  /** Per open element: whether it is (or is inside) a pagination container. */
  const inPagination: boolean[] = [];
  let anchor: (Candidate & { text: string }) | undefined;
  /** The open `aria-current="page"` element inside pagination: its depth and text so far. */
  let currentMark: { depth: number; text: string } | undefined;
  /** Keeps `item` (linking to `href`) when the href is plausible and the list not full. */
  const keep = <T>(list: T[], item: T, href: string | undefined) => {
    if (href !== undefined && href.length <= MAX_HREF && list.length < MAX_CANDIDATES) {
      list.push(item);
    }
  };
  const hasRel = (attributes: ReadonlyMap<string, string>) =>
    (attributes.get('rel') ?? '').toLowerCase().split(/\s+/).includes('next');
  parseHtml(
    html,
    {
      open(name, attributes) {
        const paginated = (inPagination.at(-1) ?? false) || isPagination(attributes);
        inPagination.push(paginated);
        const href = attributes.get('href');
        if (name === 'base' && links.base === undefined) links.base = href;
        if (name === 'link' && href !== undefined && hasRel(attributes)) {
          keep(links.relLinks, href, href);
        }
        if (paginated && !currentMark && links.current === undefined) {
          if (attributes.get('aria-current') === 'page') {
            currentMark = { depth: inPagination.length, text: '' };
          }
        }
        if (name !== 'a' || href === undefined) return;
        if (hasRel(attributes)) keep(links.relAnchors, href, href);
        const label = attributes.get('aria-label') ?? '';
        anchor = { href, names: label ? [label] : [], inPagination: paginated, text: '' };
      },
      close(name) {
        if (currentMark?.depth === inPagination.length) {
          const number = /^\s*(\d{1,5})\s*$/.exec(currentMark.text);
          if (number) links.current = Number(number[1]);
          currentMark = undefined;
        }
        inPagination.pop();
        if (name === 'a' && anchor) {
          const { href, names, inPagination: paginated, text } = anchor;
          names.unshift(text);
          if (names.some(isOlderName) || (paginated && names.some((n) => NUMBERED.test(n)))) {
            keep(links.anchors, { href, names, inPagination: paginated }, href);
          }
          anchor = undefined;
        }
      },
      text(text) {
        if (anchor && anchor.text.length < MAX_NAME) anchor.text += text;
        if (currentMark && currentMark.text.length < MAX_NAME) currentMark.text += text;
      },
    },
    { withAttributes: true },
  );
  return links;
}

/** The candidates' hrefs, most telling first. */
function rankedHrefs(links: PageLinks, current: number): string[] {
  const named = links.anchors.filter((a) => a.names.some(isOlderName));
  const next = String(current + 1);
  const numbered = links.anchors.filter(
    (a) =>
      a.inPagination && a.names.some((name) => name.replace(/^\s*page\s+/i, '').trim() === next),
  );
  return [
    ...links.relLinks,
    ...links.relAnchors,
    ...named.filter((a) => a.inPagination).map((a) => a.href),
    ...named.filter((a) => !a.inPagination).map((a) => a.href),
    ...numbered.map((a) => a.href),
  ];
}

/**
 * The address of the page of older posts: `<link rel="next">`, else `<a rel="next">`, else a
 * pagination link named like "Older posts", "Next page", "Next", "»", "Page 2" (the current page
 * number + 1). Only http(s) on the listing's own origin, never the page itself. `undefined` when
 * the page has none.
 */
export function nextPageUrl(html: string, pageUrl: string): string | undefined {
  const page = safeHttpUrl(pageUrl);
  if (!page) return undefined;
  const links = readLinks(html);
  const base = (links.base !== undefined && safeHttpUrl(links.base, page)) || page;
  const here = new URL(page);
  here.hash = '';
  const current = links.current ?? pageNumberOf(here) ?? 1;
  for (const href of rankedHrefs(links, current)) {
    const absolute = safeHttpUrl(href, base);
    if (!absolute) continue;
    const url = new URL(absolute);
    url.hash = '';
    if (url.origin === here.origin && url.href !== here.href) return url.href;
  }
  return undefined;
}
