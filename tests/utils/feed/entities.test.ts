import { describe, expect, it, vi } from 'vitest';
import { decodeXmlText } from '@/utils/feed/entities';

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
