/** Web addresses from untrusted text: only http(s) ever comes out. */

/**
 * Resolves `href` (trimmed) against `base` and returns the absolute URL only when its scheme
 * is http or https; `javascript:`, `data:`, `mailto:`, unparsable and empty input give
 * `undefined`. An empty href does not mean "the base itself" here: a missing link stays missing.
 */
export function safeHttpUrl(href: string | undefined, base?: string): string | undefined {
  const trimmed = href?.trim();
  if (!trimmed) return undefined;
  const url = parseUrl(trimmed, base) ?? (base === undefined ? undefined : parseUrl(trimmed));
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : undefined;
}

/** `new URL` without the exception; an unusable base is as good as none for absolute hrefs. */
function parseUrl(href: string, base?: string): URL | undefined {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
}

/** Why a typed address cannot be followed. */
export type AddressProblem = 'empty' | 'not-web' | 'invalid' | 'credentials';

/**
 * Reads an address a person typed or pasted: trims it, unwraps a `feed:` link, assumes
 * `https://` when no scheme is given (`blog.example`, `localhost:8080/feed`), accepts only
 * http(s) without credentials, and drops the fragment. The options page and the worker both
 * read addresses through this, so the access the page asks for is the access the worker checks;
 * each words the problem for its own place.
 */
export function parseWebAddress(input: string): URL | AddressProblem {
  const text = unwrapFeedScheme(input.trim());
  if (!text) return 'empty';
  // "name:" starts a scheme unless a port number follows (`localhost:8080`).
  const hasScheme = /^[a-z][a-z\d+.-]*:(?!\d)/i.test(text);
  const url = parseUrl(hasScheme ? text : `https://${text}`);
  if (!url) return 'invalid';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not-web';
  if (url.username || url.password) return 'credentials';
  if (!url.hostname) return 'invalid';
  url.hash = '';
  return url;
}

/**
 * The address inside a `feed:` link, the scheme old browsers and some blogs still use:
 * `feed://blog.example/rss` → `https://blog.example/rss`, `feed:https://…` → `https://…`.
 * Anything else comes back as it is.
 */
export function unwrapFeedScheme(text: string): string {
  if (!/^feed:/i.test(text)) return text;
  return text.slice('feed:'.length).replace(/^\/\//, 'https://');
}
