import { describe, expect, it } from 'vitest';
import { tokenizeHtml, type HtmlTokenizerOptions } from '@/utils/html/tokenizer';

/** The tokens of `html`, one string each: `<a`, `href=x`, `>`, `/>`, `</a>`, `"text"`, `[cdata]`. */
function tokens(html: string, options?: HtmlTokenizerOptions): string[] {
  const seen: string[] = [];
  tokenizeHtml(
    html,
    {
      openTag: (name) => seen.push(`<${name}`),
      attribute: (name, value) => seen.push(`${name}=${value}`),
      openTagEnd: (selfClosing) => seen.push(selfClosing ? '/>' : '>'),
      closeTag: (name) => seen.push(`</${name}>`),
      text: (text) => seen.push(JSON.stringify(text)),
      cdata: (text) => seen.push(`[${text}]`),
    },
    options,
  );
  return seen;
}

describe('tokenizeHtml', () => {
  it.each([
    [
      'tags, attributes and text',
      '<p class="a">Hi <B>you</B></p>',
      ['<p', 'class=a', '>', '"Hi "', '<B', '>', '"you"', '</B>', '</p>'],
    ],
    [
      'every way of writing a value',
      `<a href=x title='t' data-x="y" hidden>`,
      ['<a', 'href=x', 'title=t', 'data-x=y', 'hidden=', '>'],
    ],
    [
      'spaces around "=" and no space between attributes',
      '<a href = "x"title="y">',
      ['<a', 'href=x', 'title=y', '>'],
    ],
    ['a "/" that closes nothing', '<a / href=x>', ['<a', 'href=x', '>']],
    ['self-closing tags', '<br/><img src=x />', ['<br', '/>', '<img', 'src=x', '/>']],
    ['"<" that starts no tag as text', 'a < b <3 <> c', ['"a < b <3 <> c"']],
    [
      'comments, declarations and processing instructions as nothing',
      'a<!-- x -->b<!DOCTYPE html>c<?php x ?>d<!-->e',
      ['"a"', '"b"', '"c"', '"d"', '"e"'],
    ],
    ['"</>" and bogus end tags as nothing', 'a</>b</ x>c</3>d', ['"a"', '"b"', '"c"', '"d"']],
    ['CDATA sections', 'a<![CDATA[<b>]]>c', ['"a"', '[<b>]', '"c"']],
    [
      'script and style content as raw text, up to their end tag',
      '<script>if (a<b) "</p>"</SCRIPT >x',
      ['<script', '>', '"if (a<b) \\"</p>\\""', '</SCRIPT>', '"x"'],
    ],
    [
      'an end tag that only starts like the raw-text one',
      '<style>a</styles>b</style>',
      ['<style', '>', '"a</styles>b"', '</style>'],
    ],
    [
      'everything after <plaintext> as text',
      '<plaintext>a<b>c</plaintext>',
      ['<plaintext', '>', '"a<b>c</plaintext>"'],
    ],
    ['an unclosed comment, CDATA section or raw-text element to the end', 'a<!-- b', ['"a"']],
  ])('reads %s', (_what, html, expected) => {
    expect(tokens(html)).toEqual(expected);
  });

  it.each([
    ['an end tag', 'a</b c', ['"a"', '</b>']],
    ['a start tag in its name', 'a<scr', ['"a"']],
    ['a start tag after "/"', 'a<b /', ['"a"', '<b']],
    ['a start tag in a quoted value', 'a<b title="x', ['"a"', '<b']],
  ])('reads nothing more of %s cut off by the end of the input', (_what, html, expected) => {
    expect(tokens(html)).toEqual(expected);
  });

  it('decodes references in text and attribute values when asked, and in title and textarea', () => {
    expect(tokens('<a title="&amp;&copy=1">caf&eacute; &lt;b&gt;</a>', { decode: true })).toEqual([
      '<a',
      'title=&&copy=1',
      '>',
      '"café <b>"',
      '</a>',
    ]);
    expect(tokens('<title>a &amp; b</title><script>a &amp; b</script>', { decode: true })).toEqual([
      '<title',
      '>',
      '"a & b"',
      '</title>',
      '<script',
      '>',
      '"a &amp; b"',
      '</script>',
    ]);
  });

  it('reads <script> as markup where the caller says SVG or MathML is open', () => {
    expect(tokens('<script><b>x</b></script>', { isForeign: () => true })).toEqual([
      '<script',
      '>',
      '<b',
      '>',
      '"x"',
      '</b>',
      '</script>',
    ]);
  });

  it('stops as soon as a callback sets `stopped`', () => {
    const seen: string[] = [];
    const handler = {
      stopped: false,
      openTag(name: string) {
        seen.push(name);
        if (name === 'body') this.stopped = true;
      },
      attribute: () => undefined,
      openTagEnd: () => undefined,
      closeTag: () => undefined,
      text: (text: string) => seen.push(text),
      cdata: () => undefined,
    };

    tokenizeHtml('<head>h</head><body class=x>b<p>p', handler);

    expect(seen).toEqual(['head', 'h', 'body']);
  });
});
