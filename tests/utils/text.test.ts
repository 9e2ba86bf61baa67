import { describe, expect, it } from 'vitest';
import { collapseHtmlWhitespace, countWords, htmlToText, truncateText } from '@/utils/text';

/** The plain definition `collapseHtmlWhitespace` must agree with: every run, one space. */
const collapseEveryRun = (text: string) => text.replace(/[ \t\n\f\r]+/g, ' ');

describe('htmlToText', () => {
  it.each([
    ['removes tags', '<p>Hello <b>world</b></p>', 'Hello world'],
    ['decodes entities once', 'Fish &amp; Chips &eacute;&rsquo;&#x27;', "Fish & Chips é’'"],
    ['keeps double-escaped text literal', 'Don&amp;#x27;t', 'Don&#x27;t'],
    [
      'decodes entities as HTML does, legacy ones too, and keeps edge no-break spaces inside',
      ' AT&T &amp b&nbsp;&#32; c\u00a0 ',
      'AT&T & b\u00a0 c',
    ],
    ['drops script content', 'a<script>alert("x")</script>b', 'ab'],
    ['drops style content', '<style>p { color: red }</style>Visible', 'Visible'],
    ['drops template content', '<template><p>Hidden</p></template>Shown', 'Shown'],
    ['collapses whitespace', '  lots   of\n\t space  ', 'lots of space'],
    [
      'turns blocks into lines',
      '<p>One</p><p>Two</p><ul><li>a</li><li>b</li></ul>',
      'One\nTwo\na\nb',
    ],
    ['turns <br> into a line break', 'line one<br>line two', 'line one\nline two'],
    ['keeps inline elements inline', 'un<em>believ</em>able', 'unbelievable'],
    ['reads CDATA (escaped CDATA in a feed, once unescaped) as text', '<![CDATA[kept]]>', 'kept'],
    [
      'keeps an SVG title, the text alternative of a graphic',
      '<title>Page</title><svg><title>A chart</title><circle/></svg>',
      'A chart',
    ],
    ['survives unclosed tags', '<div><p>open <b>bold', 'open bold'],
    ['treats a lone < as text', '1 < 2', '1 < 2'],
    ['returns empty for empty input', '', ''],
    ['returns empty for markup without text', '<img src="x.png"><br>', ''],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('never splits a surrogate pair when truncating', () => {
    const text = htmlToText('<p>ab😀😀😀</p>', 4);

    expect(text).toBe('ab😀…');
    expect(Array.from(text)).toHaveLength(4);
  });

  it('leaves text within the limit untouched', () => {
    expect(htmlToText('<p>short</p>', 5)).toBe('short');
  });

  it('stops early on a huge document but still fills the limit', () => {
    const html = '<p>word </p>'.repeat(100_000);

    const text = htmlToText(html, 20);

    expect(text).toBe('word\nword\nword\nword…');
  });
});

describe('collapseHtmlWhitespace', () => {
  it('leaves lone spaces alone and turns every other run into one space', () => {
    expect(collapseHtmlWhitespace('a b  c\td \n\r e\f\u00a0f ')).toBe('a b c d e \u00a0f ');
    expect(collapseHtmlWhitespace('plain words only')).toBe('plain words only');
  });

  it('agrees with replacing every run of ASCII whitespace, on random strings', () => {
    let seed = 11;
    const random = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const pool = [' ', ' ', '\t', '\n', '\r', '\f', '\v', '\u00a0', '\u2003', 'a', 'b', '<'];
    for (let round = 0; round < 5000; round += 1) {
      const length = Math.floor(random() * 24);
      const text = Array.from({ length }, () => pool[Math.floor(random() * pool.length)]).join('');

      expect(collapseHtmlWhitespace(text)).toBe(collapseEveryRun(text));
    }
  });
});

describe('truncateText', () => {
  it.each([
    ['abcdef', 4, 'abc…'],
    ['abcd', 4, 'abcd'],
    ['ab  cdef', 4, 'ab…'],
    ['😀😀😀😀😀', 3, '😀😀…'],
    ['anything', 0, ''],
  ])('cuts %j to %i code points as %j', (text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
  });
});

describe('truncateText, at grapheme clusters', () => {
  const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
  const flag = '\u{1F1EB}\u{1F1F7}';

  it.each([
    ['short', 10, 'short'],
    ['exactly ten', 11, 'exactly ten'],
    ['abcdef', 4, 'abc…'],
    ['ab 😀😀', 4, 'ab…'],
    ['😀😀😀', 3, '😀😀😀'],
    ['😀😀😀😀', 3, '😀😀…'],
    [`ab${family}cd`, 4, 'ab…'],
    [`ab${flag}cd`, 4, 'ab…'],
    [`ab${flag}cd`, 5, `ab${flag}…`],
    ['cafe\u0301 au lait', 5, 'caf…'],
    ['anything', 0, ''],
  ])('caps %j at %i code points as %j', (text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
  });

  it('cuts a single cluster longer than the cap between code points rather than drop it', () => {
    const zalgo = `a${'\u0301'.repeat(50)}`;

    expect(Array.from(truncateText(zalgo, 10))).toHaveLength(10);
  });

  it('looks only near the cut, so a huge text costs little', () => {
    const huge = 'x'.repeat(2_000_000);

    expect(truncateText(huge, 100)).toHaveLength(100);
  });
});

describe('countWords', () => {
  it.each([
    ['', 0],
    ['   ', 0],
    ['one', 1],
    ['The quick brown fox.', 4],
    ["Don't stop — it's fine", 4],
    ['state-of-the-art models, 2026!', 6],
    ['…  — !!', 0],
    ['日本語の文章', 6],
    ['中文 and English', 4],
    ['한국어 문장', 5],
  ])('counts %j as %i', (text, words) => {
    expect(countWords(text)).toBe(words);
  });

  it('counts Thai words though Thai puts no spaces between them', () => {
    expect(countWords('สวัสดีครับ')).toBeGreaterThan(1);
  });

  it.each([
    ['The quick brown fox.'],
    ["Don't stop, it's fine"],
    ['Pi is 3.14, roughly.'],
    ['e-mail me at test@example.com'],
    ['naïve café résumé'],
    ['snake_case and under_scores'],
    ['Привет, мир'],
    ['مرحبا بالعالم'],
    ['Read §4.2 (p. 17) — “twice”!'],
  ])('agrees with Intl.Segmenter on %j', (text) => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
    const expected = Array.from(segmenter.segment(text)).filter((s) => s.isWordLike).length;

    expect(countWords(text)).toBe(expected);
  });

  it('counts long unspaced text in chunks without losing words', () => {
    const sentence = 'ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ ';
    const once = countWords(sentence);

    expect(countWords(sentence.repeat(500))).toBe(once * 500);
  });
});
