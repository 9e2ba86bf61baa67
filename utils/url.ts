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
