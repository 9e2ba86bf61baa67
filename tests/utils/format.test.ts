import { describe, expect, it } from 'vitest';
import {
  blogTitle,
  formatDate,
  formatDateTime,
  formatMinutes,
  formatRelativeTime,
  hostOf,
  originPattern,
  sitePatterns,
  plural,
  siteReadingTime,
} from '@/utils/format';

const NOW = Date.UTC(2026, 2, 12, 12);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatRelativeTime', () => {
  it.each([
    [0, 'just now'],
    [59 * SECOND, 'just now'],
    [-5 * SECOND, 'just now'],
    [MINUTE, '1 min ago'],
    [59 * MINUTE + 59 * SECOND, '59 min ago'],
    [HOUR, '1 h ago'],
    [3 * HOUR + 20 * MINUTE, '3 h ago'],
    [DAY, '1 day ago'],
    [2 * DAY + 5 * HOUR, '2 days ago'],
  ])('says %i ms ago as "%s"', (elapsed, words) => {
    expect(formatRelativeTime(NOW - elapsed, NOW)).toBe(words);
  });
});

describe('formatDate', () => {
  it('writes day, short month and year', () => {
    expect(formatDate(new Date(2026, 2, 12, 9, 30).getTime())).toBe('12 Mar 2026');
    expect(formatDate(new Date(2025, 11, 1).getTime())).toBe('1 Dec 2025');
  });
});

describe('formatDateTime', () => {
  it('writes the date and the time of day, in 24 hours', () => {
    expect(formatDateTime(new Date(2026, 2, 12, 9, 5).getTime())).toBe('12 Mar 2026, 09:05');
    expect(formatDateTime(new Date(2025, 11, 1, 23, 59).getTime())).toBe('1 Dec 2025, 23:59');
  });
});

describe('formatMinutes', () => {
  it.each([
    [0, '0 min'],
    [1, '1 min'],
    [95, '95 min'],
  ])('writes %i minutes as "%s"', (minutes, words) => {
    expect(formatMinutes(minutes)).toBe(words);
  });
});

describe('plural', () => {
  it.each([
    [0, '0 posts'],
    [1, '1 post'],
    [9, '9 posts'],
  ])('counts %i as "%s"', (count, words) => {
    expect(plural(count, 'post')).toBe(words);
  });
});

describe('sitePatterns', () => {
  it.each([
    ['https://blog.example/', ['https://blog.example/*', 'https://www.blog.example/*']],
    ['https://www.blog.example/x', ['https://www.blog.example/*', 'https://blog.example/*']],
    [
      'http://blog.example/',
      [
        'http://blog.example/*',
        'http://www.blog.example/*',
        'https://blog.example/*',
        'https://www.blog.example/*',
      ],
    ],
    ['https://notes.blog.example/', ['https://notes.blog.example/*']],
    ['http://127.0.0.1:8080/', ['http://127.0.0.1/*', 'https://127.0.0.1/*']],
    ['http://localhost:3000/', ['http://localhost/*', 'https://localhost/*']],
  ])('asks for %s and the addresses it commonly redirects to', (url, patterns) => {
    expect(sitePatterns(url)).toEqual(patterns);
  });
});

describe('originPattern', () => {
  it.each([
    ['https://blog.example/x', 'https://blog.example/*'],
    ['http://127.0.0.1:8080/feed.xml', 'http://127.0.0.1/*'],
    ['https://Blog.Example', 'https://blog.example/*'],
  ])('matches the origin of %s with %s', (url, pattern) => {
    expect(originPattern(url)).toBe(pattern);
  });
});

describe('hostOf', () => {
  it('reads the host of a URL or of an origin pattern', () => {
    expect(hostOf('https://blog.example/x')).toBe('blog.example');
    expect(hostOf('https://feeds.example/*')).toBe('feeds.example');
  });
});

describe('blogTitle', () => {
  it('uses the feed title, else the host', () => {
    expect(blogTitle({ title: 'Edge Notes', url: 'https://blog.example/feed' })).toBe('Edge Notes');
    expect(blogTitle({ title: '  ', url: 'https://blog.example/feed' })).toBe('blog.example');
  });
});

describe('siteReadingTime', () => {
  it('says nothing when the site printed no reading time', () => {
    expect(siteReadingTime(3, undefined)).toBeUndefined();
  });

  it('names both counts once Dispatch counted the article, and shows the site’s when it differs', () => {
    expect(siteReadingTime(3, 2, true)).toEqual({
      title: '3 min by Dispatch’s count; the site says 2 min',
      note: ' (the site says 2 min)',
    });
    expect(siteReadingTime(2, 2, true)).toEqual({
      title: '2 min by Dispatch’s count; the site says 2 min',
      note: '',
    });
  });

  it('claims no count of its own when Dispatch never counted the article', () => {
    expect(siteReadingTime(2, 2)).toEqual({ title: 'The site says 2 min', note: '' });
    expect(siteReadingTime(2, 2, false)).toEqual({ title: 'The site says 2 min', note: '' });
  });
});
