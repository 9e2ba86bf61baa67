/**
 * Words and URLs for display: relative times ("3 h ago"), dates ("12 Mar 2026"), counts, and
 * the URL checks the pages need (http(s) only, origin match patterns). Pure; no browser APIs.
 */
import { storageProblemMessage } from '@/utils/db/errors';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "just now", "1 min ago", "3 h ago", "2 days ago". A time slightly in the future (clocks of
 * the worker and the page a moment apart) reads "just now".
 */
export function formatRelativeTime(then: number, now: number): string {
  const elapsed = now - then;
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  return plural(Math.floor(elapsed / DAY), 'day') + ' ago';
}

/** "12 Mar 2026", in the user's time zone; the same in every locale so tests and docs agree. */
export function formatDate(time: number): string {
  const date = new Date(time);
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

/** "1 post", "9 posts". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The host-permission match pattern for a URL's origin: `https://blog.example/x` →
 * `https://blog.example/*`. The port is left out: match patterns ignore it in Chrome and
 * Firefox refuses patterns that carry one.
 */
export function originPattern(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}/*`;
}

/**
 * The origin patterns to ask for when the user follows `url`: its own origin, plus the twins a
 * site commonly redirects between — `www.` added or removed, and `https` when `http` was typed.
 * Asked for in the same prompt, because a redirect to an origin without access fails in Chrome
 * as a bare network error that cannot say where it was going. The `www.` twin is only added for
 * `name.tld` hosts (a `www.` on `blog.example.com` would be an odd thing to ask for).
 */
export function sitePatterns(url: string): string[] {
  const { protocol, hostname } = new URL(url);
  const isName =
    /[a-z]/i.test(hostname.replace(/\.$/, '').split('.').pop() ?? '') && hostname.includes('.');
  const twin = hostname.startsWith('www.')
    ? hostname.slice(4)
    : isName && hostname.split('.').length === 2
      ? `www.${hostname}`
      : undefined;
  const hosts = twin ? [hostname, twin] : [hostname];
  const schemes = protocol === 'http:' ? ['http:', 'https:'] : [protocol];
  return schemes.flatMap((scheme) => hosts.map((host) => `${scheme}//${host}/*`));
}

/** The host of a URL (`blog.example`), or of an origin pattern (`https://blog.example/*`). */
export function hostOf(url: string): string {
  return new URL(url.replace(/\/\*$/, '/')).hostname;
}

/** An error's message for a person; anything thrown, not only `Error`s. */
export function errorMessage(error: unknown): string {
  return storageProblemMessage(error) ?? (error instanceof Error ? error.message : String(error));
}

/** The name to show for a blog: its feed's title, else the feed's host. */
export function blogTitle(feed: { title: string; url: string }): string {
  return feed.title.trim() || hostOf(feed.url);
}

const FEED_FORMAT_NAMES: Readonly<Record<string, string>> = {
  rss: 'RSS',
  atom: 'Atom',
  rdf: 'RSS 1.0',
  json: 'JSON Feed',
};

/** A feed a page advertises, for a button: "Posts (RSS)", or its address when it has no title. */
export function feedChoiceLabel(choice: { url: string; title?: string; type: string }): string {
  const format = FEED_FORMAT_NAMES[choice.type];
  const name = choice.title ?? choice.url;
  return format ? `${name} (${format})` : name;
}

/** "12 Mar 2026, 09:30", in the user's time zone: a post's full date, where a row says "3 h ago". */
export function formatDateTime(time: number): string {
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatDate(time)}, ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "1 min", "90 min": a total of reading time (the header's and each section's). */
export function formatMinutes(minutes: number): string {
  return `${minutes} min`;
}

/**
 * "2 min read"; "~1 min read" when counted from a summary only. The popup's rows use this one:
 * `utils/reading-time.ts` (which counts words) brings the HTML tokenizer with it.
 */
export function formatReadingTime(minutes: number, fromSummary = false): string {
  return `${fromSummary ? '~' : ''}${minutes} min read`;
}

/**
 * What a reading time says beside the site's own ("2 min read" on its listing card), or
 * nothing when the site printed none. When Dispatch counted the article itself (`counted`):
 * `title` names both ("3 min by Dispatch’s count; the site says 2 min"), and `note` is shown
 * after the reading time when the two differ (" (the site says 2 min)"). When it did not (too
 * many new posts at once, the article unreachable or not an article page), the minutes shown
 * are the site's own: `title` says only that ("The site says 2 min") and there is no note.
 */
export function siteReadingTime(
  minutes: number,
  siteMinutes: number | undefined,
  counted = false,
): { title: string; note: string } | undefined {
  if (siteMinutes === undefined) return undefined;
  if (!counted) return { title: `The site says ${siteMinutes} min`, note: '' };
  return {
    title: `${minutes} min by Dispatch’s count; the site says ${siteMinutes} min`,
    note: siteMinutes === minutes ? '' : ` (the site says ${siteMinutes} min)`,
  };
}
