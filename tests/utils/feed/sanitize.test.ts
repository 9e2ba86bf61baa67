import { describe, expect, it } from 'vitest';
import { escapeHtmlText, safeContentUrl, sanitizeHtml } from '@/utils/feed/sanitize';

const BASE = 'https://site.example/blog/';

describe('sanitizeHtml', () => {
  it('returns allowlisted HTML with absolute URLs unchanged, as the same string', () => {
    const html =
      '<h2>Title</h2>\n<p class="lead">A <a href="https://x.example/a?b=1&amp;c=2">link</a>, ' +
      '<em>em</em>, <code>x &lt; y</code> &rsquo; 1 < 2 and a > b</p>' +
      '<figure><img src="https://x.example/i.png" alt="chart" width="800"><figcaption>F</figcaption></figure>' +
      '<p><a href="#fn1">1</a> <a href="mailto:me@x.example">mail</a><br/></p>';

    expect(sanitizeHtml(html, BASE)).toBe(html);
  });

  it('makes relative URLs absolute against the base, editing nothing else', () => {
    const html =
      '<p><a href="/a?x=1&amp;y=2">a</a> <img src=pic.png alt=\'p\'> <a href="#top">t</a> ' +
      '<a href="mailto:me@x.example">m</a></p>';

    expect(sanitizeHtml(html, BASE)).toBe(
      '<p><a href="https://site.example/a?x=1&amp;y=2">a</a> <img src="https://site.example/blog/pic.png" alt="p"> ' +
        '<a href="#top">t</a> <a href="mailto:me@x.example">m</a></p>',
    );
  });

  it('leaves relative URLs relative without a base', () => {
    expect(sanitizeHtml('<a href="/a">a</a>')).toBe('<a href="/a">a</a>');
  });

  it.each([
    ['script, with its content', 'a<script>alert(1)</script>b', 'ab'],
    ['script written in upper case', 'a<SCRIPT SRC="https://evil.example/x.js"></SCRIPT>b', 'ab'],
    ['style, with its content', '<style>body{display:none}</style><p>t</p>', '<p>t</p>'],
    ['an iframe and its fallback', 'a<iframe src="https://x.example/">fallback</iframe>b', 'ab'],
    ['object, embed and applet', '<object data="x.swf"><embed src="x.swf"></object>ok', 'ok'],
    [
      'meta refresh, link and base',
      '<meta http-equiv="refresh" content="0;url=x"><link rel=x><base href=x>ok',
      'ok',
    ],
    ['frameset and frame', '<frameset><frame src="https://x.example/"></frameset>ok', 'ok'],
    [
      'svg and MathML as wholes',
      '<svg><script>alert(1)</script></svg><math><mi>x</mi></math>ok',
      'ok',
    ],
    ['a self-closed svg only', '<svg/>ok', 'ok'],
    ['comments, even tricky ones', 'a<!-- <script>alert(1)</script> -->b<!-->c', 'abc'],
    [
      'forms and their controls, keeping labels',
      '<form action="https://x"><button>Go</button><input></form>',
      'Go',
    ],
    [
      'unknown elements, keeping their text',
      '<blink>hi</blink> <custom-el>there</custom-el>',
      'hi there',
    ],
    [
      'event handlers',
      '<img src="https://x.example/i.png" onerror="alert(1)" ONLOAD=x>',
      '<img src="https://x.example/i.png">',
    ],
    [
      'style, id and name attributes',
      '<p style="position:fixed" id="x" name="y" class="c">t</p>',
      '<p class="c">t</p>',
    ],
    ['javascript: links', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['javascript: hidden by entities', '<a href="&#106;avascript&#x3A;alert(1)">x</a>', '<a>x</a>'],
    [
      'javascript: split by a tab or newline',
      '<a href="java\tscript:alert(1)">x</a><a href="java&#10;script:x">y</a>',
      '<a>x</a><a>y</a>',
    ],
    ['javascript: after leading spaces', '<a href="  javascript:alert(1)">x</a>', '<a>x</a>'],
    [
      'vbscript: and data: URLs',
      '<a href="vbscript:x">v</a><img src="data:image/png;base64,AAAA">',
      '<a>v</a><img>',
    ],
    [
      'attributes glued to a quote',
      '<a href="https://x.example/"onclick="alert(1)">x</a>',
      '<a href="https://x.example/">x</a>',
    ],
    [
      'slash-separated attributes',
      '<img/src="https://x.example/i.png"/onerror=alert(1)>',
      '<img src="https://x.example/i.png">',
    ],
    [
      'a repeated attribute, keeping the first',
      '<a href="https://ok.example/" href="javascript:x">x</a>',
      '<a href="https://ok.example/">x</a>',
    ],
  ])('removes %s', (_name, html, expected) => {
    expect(sanitizeHtml(html, BASE)).toBe(expected);
  });

  it('re-escapes text and attribute values so the output parses as it reads', () => {
    // Entities in text stay as written; a bare "<" becomes "&lt;"; `<!x>` is a bogus comment.
    expect(sanitizeHtml('<p title=\'say "hi"\'>1 <3 & <!x></p>', BASE)).toBe(
      '<p title="say &quot;hi&quot;">1 &lt;3 & </p>',
    );
  });

  it('keeps CDATA content as text', () => {
    expect(sanitizeHtml('<p><![CDATA[<b>x</b>]]></p>', BASE)).toBe('<p>&lt;b&gt;x&lt;/b&gt;</p>');
  });

  it('drops the rest of an unclosed dropped element rather than risk keeping it', () => {
    expect(sanitizeHtml('ok<noscript><p>hidden</p>', BASE)).toBe('ok');
  });
});

describe('sanitizeHtml with a verdict from decoding', () => {
  it('returns HTML vouched for by decodeXmlHtml without checking it again', () => {
    const html = '<p>checked on the escaped text</p>';

    expect(sanitizeHtml(html, undefined, true)).toBe(html);
  });
});

describe('safeContentUrl', () => {
  it.each([
    ['https://x.example/a', 'https://x.example/a'],
    ['HTTP://X.example/a', 'http://x.example/a'],
    ['/a b', 'https://site.example/a%20b'],
    ['//cdn.example/x', 'https://cdn.example/x'],
    ['#top', '#top'],
    ['', ''],
    ['mailto:me@x.example', 'mailto:me@x.example'],
    ['javascript:alert(1)', undefined],
    ['\u0001javascript:alert(1)', undefined],
    ['data:text/html,x', undefined],
    ['file:///etc/passwd', undefined],
  ])('reads %j as %j', (value, expected) => {
    expect(safeContentUrl(value, BASE)).toBe(expected);
  });
});

describe('escapeHtmlText', () => {
  it('escapes &, < and >', () => {
    expect(escapeHtmlText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });
});
