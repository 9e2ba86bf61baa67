import { describe, expect, it } from 'vitest';
import { estimateReadingTime, formatReadingTime } from '@/utils/reading-time';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('estimateReadingTime', () => {
  it.each([
    [1, 1],
    [230, 1],
    [231, 2],
    [460, 2],
    [461, 3],
  ])('reads %i words of content in %i min at 230 words per minute', (count, minutes) => {
    expect(estimateReadingTime({ contentHtml: `<p>${words(count)}</p>` })).toMatchObject({
      words: count,
      minutes,
      fromSummary: false,
    });
  });

  it('counts the content, not the markup or scripts', () => {
    const html = `<p>one <b>two</b> three</p><script>var a = "not words at all";</script>`;
    expect(estimateReadingTime({ contentHtml: html }).words).toBe(3);
  });

  it('falls back to the summary and says so', () => {
    expect(estimateReadingTime({ summary: words(300) })).toEqual({
      words: 300,
      minutes: 2,
      fromSummary: true,
    });
  });

  it('is at least one minute, even with no text at all', () => {
    expect(estimateReadingTime({})).toEqual({ words: 0, minutes: 1, fromSummary: true });
  });

  it('adds time for images', () => {
    const text = words(220);
    const plain = estimateReadingTime({ contentHtml: `<p>${text}</p>` });
    const illustrated = estimateReadingTime({
      contentHtml: `<p>${text}</p><img src="a.png"><img src="b.png">`,
    });

    expect(plain.minutes).toBe(1);
    expect(illustrated.minutes).toBe(2);
  });

  it('follows the reading speed setting', () => {
    expect(estimateReadingTime({ contentHtml: words(400) }, 400).minutes).toBe(1);
  });
});

describe('formatReadingTime', () => {
  it('marks estimates made from a summary', () => {
    expect(formatReadingTime(2)).toBe('2 min read');
    expect(formatReadingTime(1, true)).toBe('~1 min read');
  });
});
