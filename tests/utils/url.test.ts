import { describe, expect, it } from 'vitest';
import { safeHttpUrl, unwrapFeedScheme } from '@/utils/url';

describe('safeHttpUrl', () => {
  it.each([
    ['https://example.org/a', undefined, 'https://example.org/a'],
    ['HTTP://Example.org', undefined, 'http://example.org/'],
    ['/post/1', 'https://example.org/blog/', 'https://example.org/post/1'],
    ['post/1', 'https://example.org/blog/', 'https://example.org/blog/post/1'],
    ['//cdn.example.org/x', 'https://example.org/', 'https://cdn.example.org/x'],
    ['  https://example.org/spaced  ', undefined, 'https://example.org/spaced'],
    ['https://example.org/abs', 'not a url', 'https://example.org/abs'],
  ])('resolves %j against %j to %j', (href, base, url) => {
    expect(safeHttpUrl(href, base)).toBe(url);
  });

  it.each([
    ['javascript:alert(1)'],
    [' JavaScript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox'],
    ['mailto:me@example.org'],
    ['ftp://example.org/file'],
    ['file:///etc/passwd'],
    [''],
    ['   '],
    ['relative/without/base'],
  ])('refuses %j', (href) => {
    expect(
      safeHttpUrl(href, href.startsWith('relative') ? undefined : 'https://example.org/'),
    ).toBeUndefined();
  });

  it('does not turn a missing href into the base URL', () => {
    expect(safeHttpUrl(undefined, 'https://example.org/')).toBeUndefined();
  });

  it.each([
    ['https://blog.example/a', 'https://blog.example/a'],
    ['http://blog.example', 'http://blog.example/'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,<p>x</p>', undefined],
    ['/relative', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('accepts %j without a base as %j', (url, expected) => {
    expect(safeHttpUrl(url)).toBe(expected);
  });
});

describe('unwrapFeedScheme', () => {
  it.each([
    ['feed://blog.example/rss', 'https://blog.example/rss'],
    ['feed:https://blog.example/rss', 'https://blog.example/rss'],
    ['Feed:http://blog.example/rss', 'http://blog.example/rss'],
    ['https://blog.example/feed', 'https://blog.example/feed'],
    ['blog.example', 'blog.example'],
  ])('reads %j as %j', (input, address) => {
    expect(unwrapFeedScheme(input)).toBe(address);
  });
});
