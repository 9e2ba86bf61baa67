import { describe, expect, it } from 'vitest';
import { parseHtml } from '@/utils/html/parser';

/** The events of `html`: `<a>`, `</a>`, `"text"`; with attributes as `<a href=x>`. */
function events(html: string, options: { withAttributes?: boolean; cdataAsText?: boolean } = {}) {
  const seen: string[] = [];
  parseHtml(
    html,
    {
      open: (name, attributes) =>
        seen.push(
          `<${[name, ...[...attributes].map(([key, value]) => `${key}=${value}`)].join(' ')}>`,
        ),
      close: (name) => seen.push(`</${name}>`),
      text: (text) => seen.push(JSON.stringify(text)),
    },
    options,
  );
  return seen.join('');
}

describe('parseHtml', () => {
  it.each([
    ['names lower-cased', '<P>a</P>', '<p>"a"</p>'],
    [
      'elements left open inside an end tag closed',
      '<div><b><i>a</div>b',
      '<div><b><i>"a"</i></b></div>"b"',
    ],
    ['an end tag with nothing open ignored', 'a</b>c', '"a""c"'],
    [
      'void elements closed at once',
      '<p>a<br>b<img src=x></p>',
      '<p>"a"<br></br>"b"<img></img></p>',
    ],
    [
      '"</p>" alone as an empty paragraph, "</br>" as a line break',
      'a</p>b</br>c',
      '"a"<p></p>"b"<br></br>"c"',
    ],
    [
      '<p> closing an open <p>, <li> an <li>',
      '<p>a<p>b<ul><li>c<li>d',
      '<p>"a"</p><p>"b"</p><ul><li>"c"</li><li>"d"',
    ],
    ['a block closing an open <p>', '<p>a<form>b', '<p>"a"</p><form>"b"'],
    ['a second <form> ignored', '<form><form>a</form>b', '<form>"a"</form>"b"'],
    ['<image> as <img>', '<image src=x>a', '<img></img>"a"'],
    ['references decoded', '<p>caf&eacute; &amp;&#38;</p>', '<p>"café &&"</p>'],
    ['CDATA as a comment', 'a<![CDATA[b]]>c', '"a""c"'],
  ])('reports %s', (_what, html, expected) => {
    expect(events(html)).toBe(expected);
  });

  it('reports the first of repeated attributes, names lower-cased and values decoded', () => {
    expect(
      events('<link REL=alternate href="/a?x=1&amp;y=2" href=/b>', { withAttributes: true }),
    ).toBe('<link rel=alternate href=/a?x=1&y=2></link>');
  });

  it('reads CDATA as text when asked', () => {
    expect(events('a<![CDATA[<b>]]>c', { cdataAsText: true })).toBe('"a""<b>""c"');
  });

  it('reads SVG and MathML as markup: raw-text elements hold tags there, and "/>" closes', () => {
    expect(events('<svg><style>a<b>c</b></style><circle/>d</svg><style><b></style>')).toBe(
      '<svg><style>"a"<b>"c"</b></style><circle></circle>"d"</svg><style>"<b>"</style>',
    );
    expect(events('<math><mi><script>x<b></script></mi></math>')).toBe(
      '<math><mi><script>"x<b>"</script></mi></math>',
    );
  });

  it('stops once a callback sets `stopped`', () => {
    const seen: string[] = [];
    parseHtml('<head><title>t</title></head><body><link href=x>', {
      open(name) {
        seen.push(name);
      },
      close(name) {
        if (name === 'head') this.stopped = true;
      },
      text: () => undefined,
    });

    expect(seen).toEqual(['head', 'title']);
  });
});
