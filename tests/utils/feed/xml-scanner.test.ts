import { describe, expect, it } from 'vitest';
import { type XmlScanHandler, XmlScanner } from '@/utils/feed/xml-scanner';

/** The scanner's reports as a list; adjacent text (and CDATA) reports are joined. */
function scan(pieces: string[]): string[] {
  const events: string[] = [];
  const push = (kind: string, value: string): void => {
    const last = events.at(-1);
    if (last?.startsWith(`${kind}:`)) events[events.length - 1] = last + value;
    else events.push(`${kind}:${value}`);
  };
  const handler: XmlScanHandler = {
    openTag(name, attributes, selfClosing) {
      const written = attributes.map(([key, value]) => ` ${key}=${JSON.stringify(value)}`);
      events.push(`<${name}${written.join('')}${selfClosing ? '/' : ''}>`);
    },
    closeTag(name) {
      events.push(`</${name}>`);
    },
    text(raw) {
      push('text', raw);
    },
    cdata(text) {
      push('cdata', text);
    },
    separator() {
      events.push('|');
    },
    warn(message) {
      events.push(`!${message}`);
    },
  };
  const scanner = new XmlScanner(handler);
  for (const piece of pieces) scanner.write(piece);
  scanner.end();
  return events;
}

/** mulberry32, so every run cuts the same places. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('XmlScanner', () => {
  it.each([
    [
      'tags, attributes and text',
      '<a x="1" y=\'2\' z=3 w>t</a>',
      ['<a x="1" y="2" z="3" w="">', 'text:t', '</a>'],
    ],
    ['self-closing tags, spaces before />', '<a/><b c="d" / >', ['<a/>', '<b c="d"/>']],
    ['an unquoted value keeps a slash', '<a href=x/>', ['<a href="x/">']],
    ['quoted values holding < and >', '<a t="<b>">', ['<a t="<b>">']],
    ['CDATA, split CDATA', '<![CDATA[a]]]]><![CDATA[>b]]>', ['|', 'cdata:a]]', '|', 'cdata:>b']],
    [
      'comments and processing instructions',
      'a<!-- c > -->b<?pi x > y?>c',
      ['text:a', '|', 'text:b', '|', 'text:c'],
    ],
    ['declarations', '<!DOCTYPE x>t', ['|', 'text:t']],
    ['< before a space or > as text', 'a < b <> c', ['text:a < b <> c']],
    ['an end tag ending at its name', '<a></a\n', ['<a>', '</a>']],
    ['</> as text', 'x</>y', ['text:x</>y']],
    ['a bogus end tag', '<//x>y', ['|', 'text:y']],
    ['an unterminated CDATA section, kept', '<![CDATA[open', ['|', 'cdata:open']],
    ['an unterminated comment, dropped', 'a<!-- open', ['text:a']],
    ['an unterminated processing instruction, read as text', 'a<?b > c', ['text:a', 'text:b > c']],
    ['an unfinished tag at the end, dropped', 'a<b c="d', ['text:a']],
    ['</ at the end, as text', 'a</', ['text:a</']],
  ])('reads %s', (_name, document, events) => {
    expect(scan([document]).join(' ').replace('text:a text:', 'text:a')).toEqual(
      events.join(' ').replace('text:a text:', 'text:a'),
    );
  });

  it.each([
    [
      '<?xml version="1.0"?><!-- c --><rss a="1" b=\'x>y\'><channel><title>A &amp; B</title>' +
        '<item><description><![CDATA[<p>x ]]]]><![CDATA[> y</p>]]></description>' +
        '<link href="https://x.example/?a=1&amp;b=2"/><?pi a?b ?></item>< 3 </channel></rss >',
    ],
    ['<a><!----><!-- -- --->t<![CDATA[]]]><![CDATA[x]]]]]>??<?p ??><!DOCTYPE d [ x ]></a\n'],
    ['<a b=c d = "e" f/><//g><h ></h>i</><![CDATA[open-->'],
  ])('reads %j cut into pieces anywhere as if whole', (document) => {
    const whole = scan([document]);
    const next = random(document.length);
    for (let round = 0; round < 400; round += 1) {
      const largest = round % 2 === 0 ? 3 : 12;
      const pieces: string[] = [];
      let start = 0;
      while (start < document.length) {
        const size = 1 + Math.floor(next() * largest);
        pieces.push(document.slice(start, start + size));
        start += size;
      }

      expect(scan(pieces)).toEqual(whole);
    }
  });

  it('keeps a tag cut across pieces longer than the boundary window', () => {
    const value = 'v'.repeat(10_000);
    const document = `<a x="${value}">t</a>`;

    expect(scan([document.slice(0, 5), document.slice(5, 6000), document.slice(6000)])).toEqual([
      `<a x="${value}">`,
      'text:t',
      '</a>',
    ]);
  });

  it('gives up on a tag longer than 1 MiB across pieces, reading on from its next >', () => {
    const piece = 'a="1" '.repeat(20_000);
    const pieces = ['<x><t ', ...Array.from({ length: 10 }, () => piece), '>after</x>'];

    expect(scan(pieces)).toEqual([
      '<x>',
      '!ill-formed XML: a tag longer than 1 MiB dropped',
      'text:after',
      '</x>',
    ]);
  });
});
