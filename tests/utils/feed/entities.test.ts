import { describe, expect, it, vi } from 'vitest';
import { decodeXmlHtml, decodeXmlText } from '@/utils/feed/entities';
import { sanitizeHtml } from '@/utils/feed/sanitize';

describe('decodeXmlText', () => {
  it.each([
    ['the five XML entities', '&lt;p&gt; &amp; &quot;q&quot; &apos;a&apos;', '<p> & "q" \'a\''],
    ['numeric references', '&#65;&#x42;&#X43;&#0000068;', 'ABCD'],
    [
      'HTML named entities',
      'caf&eacute; &rsquo; &nbsp; &ZeroWidthSpace;',
      'café \u2019 \u00a0 \u200b',
    ],
    ['&lang; and &rang; as XHTML 1.0 has them', '&lang;x&rang;', '\u2329x\u232A'],
    ['C1 references as windows-1252, as HTML does', '&#146;&#128;', '\u2019€'],
    [
      'impossible code points as U+FFFD',
      '&#0;&#xD800;&#x110000;&#99999999999;',
      '\uFFFD\uFFFD\uFFFD\uFFFD',
    ],
    ['double escapes once', '&amp;lt;b&amp;gt; &amp;#x27;', '&lt;b&gt; &#x27;'],
    ['text without references as the same string', 'plain text', 'plain text'],
    ['unknown names and names without ";" as written', '&bogus; &nbsp &amp', '&bogus; &nbsp &amp'],
  ])('decodes %s', (_name, raw, text) => {
    expect(decodeXmlText(raw)).toBe(text);
  });

  it('reports an "&" that starts no reference, and only that', () => {
    const onBare = vi.fn();

    expect(decodeXmlText('AT&T &#; & &amp; &bogus;', onBare)).toBe('AT&T &#; & & &bogus;');
    expect(onBare).toHaveBeenCalledTimes(3);
  });
});

describe('decodeXmlHtml', () => {
  const BASE = 'https://blog.example/posts/1/';

  it.each([
    [
      'escaped article HTML',
      '&lt;p&gt;Hi &lt;em&gt;you&lt;/em&gt;&lt;/p&gt;',
      '<p>Hi <em>you</em></p>',
    ],
    [
      'allowed attributes and absolute URLs',
      '&lt;a href="https://x.example/?a=1" title=\'t\'&gt;x&lt;/a&gt;&lt;br/&gt;&lt;hr /&gt;',
      '<a href="https://x.example/?a=1" title=\'t\'>x</a><br/><hr />',
    ],
    ['a literal ">" ending a tag', '&lt;p>x&lt;/p >', '<p>x</p >'],
    [
      '"<" that starts no tag, and escaped entities',
      'a &lt; b &amp;amp; &quot;c&quot;',
      'a < b &amp; "c"',
    ],
    [
      'bare attributes',
      '&lt;details open&gt;&lt;summary&gt;s&lt;/summary&gt;',
      '<details open><summary>s</summary>',
    ],
  ])('decodes %s and knows it needs no sanitizing', (_name, raw, html) => {
    const decoded = decodeXmlHtml(raw, BASE);

    expect(decoded).toEqual({ text: html, safeHtml: true });
    expect(decoded.text).toBe(decodeXmlText(raw));
    expect(sanitizeHtml(html, BASE)).toBe(html);
  });

  it.each([
    ['a script', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['an unknown attribute', '&lt;p onclick="x"&gt;t&lt;/p&gt;'],
    ['an unsafe scheme', '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'],
    ['a relative URL with a base to resolve it against', '&lt;img src="/a.png"&gt;'],
    ['a reference inside a tag', '&lt;a href="https://x.example/?a=1&amp;b=2"&gt;x&lt;/a&gt;'],
    ['a quote spelled as a reference', '&lt;p title="a&quot; onclick=&quot;x"&gt;t&lt;/p&gt;'],
    ['a numeric "<"', '&#60;script&#62;alert(1)&#60;/script&#62;'],
    ['a named entity that contains "<"', '&nvlt;script&gt;'],
    ['a reference right after "&lt;"', '&lt;&#47;p&gt; &lt;&#115;cript&gt;'],
    ['"&lt;" at the very end (the next text may go on)', 'x &lt;'],
    ['a tag left open at the end', 'x &lt;scr'],
    ['a comment', '&lt;!-- x --&gt;'],
    ['a bare "&"', 'AT&T &lt;p&gt;'],
  ])('decodes as decodeXmlText but does not vouch for %s', (_name, raw) => {
    expect(decodeXmlHtml(raw, BASE)).toEqual({ text: decodeXmlText(raw), safeHtml: false });
  });

  it('vouches only for what the sanitizer returns unchanged (random escaped fragments)', () => {
    const fragments = [
      '&lt;p&gt;',
      '&lt;/p&gt;',
      '&lt;a href="https://x.example/"&gt;',
      '&lt;a href="/rel"&gt;',
      '&lt;a href=https://x.example/',
      '&gt;',
      '>',
      '&lt;',
      '&lt;/',
      '&lt;script&gt;',
      '"',
      "'",
      '&amp;',
      '&amp;lt;',
      '&quot;',
      '&apos;',
      '&#60;',
      '&#x3c;',
      ' ',
      'text',
      '/',
      '=',
      'href',
      'src=',
      '&lt;img src="https://x.example/i.png" alt=',
      '&lt;br/',
      '&lt;!',
      '&lt;?',
      '`',
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let run = 0; run < 5000; run += 1) {
      const length = 1 + Math.floor(random() * 12);
      const raw = Array.from(
        { length },
        () => fragments[Math.floor(random() * fragments.length)],
      ).join('');
      for (const base of [undefined, BASE]) {
        const decoded = decodeXmlHtml(raw, base);
        expect(decoded.text).toBe(decodeXmlText(raw));
        if (decoded.safeHtml) expect(sanitizeHtml(decoded.text, base)).toBe(decoded.text);
      }
    }
  });
});
