import { describe, expect, it } from 'vitest';
import { extractPosts } from '@/utils/listing/extract';
import { learnExtractor } from '@/utils/listing/learn';
import { formatPath, parsePath, selectAll, selectFirst } from '@/utils/listing/select';
import {
  buildTree,
  MAX_DEPTH,
  MAX_ELEMENTS,
  normalizeClasses,
  textOf,
  walk,
  type ListingElement,
} from '@/utils/listing/tree';

const count = (root: ListingElement) => {
  let n = 0;
  walk(root, () => void (n += 1));
  return n;
};
const depth = (element: ListingElement): number => 1 + Math.max(0, ...element.children.map(depth));

describe('normalizeClasses', () => {
  it.each([
    ['card  post card', ['card', 'post']],
    ['PostCard_card__x7f3a card_x7f3a', ['PostCard_card', 'card']],
    ['title-a8B2c astro-J7PV25F6 svelte-1x2y3z css-1q2w3e x7f3a', ['title']],
    ['flex p-6 md:grid-cols-3 hover:shadow-lg rounded-xl text-sm w-1/2 grid', ['grid']],
    ['ab cd pw-post-title be', ['pw-post-title']],
    ['post-1 feed-item__title feed-item--ad', ['post-1', 'feed-item__title', 'feed-item--ad']],
    ['"><script> [x]', []],
  ])('reads %j as %j', (value, classes) => {
    expect(normalizeClasses(value)).toEqual(classes);
  });
});

describe('buildTree', () => {
  it('leaves out scripts, styles, forms, navigation, sidebars and the page header and footer', () => {
    const tree = buildTree(`<header><a href="/">Home</a></header>
      <main><article><header><h2>Kept</h2></header><footer>kept too</footer></article>
      <script>var a = "<article>"</script><style>p{}</style><nav>n</nav><form>f</form>
      <svg><text>s</text></svg><div hidden>h</div><div role="navigation">r</div></main>
      <aside>a</aside><footer>page footer</footer>`);

    expect(textOf(tree.root)).toBe('Kept kept too');
  });

  it('keeps the first <base href> and the attributes extraction reads', () => {
    const tree = buildTree(
      '<base href="/a/"><base href="/b/"><a href="x" rel="tag" onclick="y" data-x="z">t</a><time datetime="2024-01-05">',
    );

    expect(tree.base).toBe('/a/');
    expect(tree.root.children.slice(2).map((e) => [e.tag, e.attrs])).toEqual([
      ['a', { href: 'x', rel: 'tag' }],
      ['time', { datetime: '2024-01-05' }],
    ]);
  });
});

describe('listing paths', () => {
  const tree = buildTree(`<main><div class="grid"><article class="featured card_x7f3a">
    <span>a</span><span class="tag">b</span><span>c</span></article>
    <article class="card ad">d</article><article class="card">e</article></div></main>`);

  it.each([
    'main > div.grid > article.card',
    'article.card:not(.ad) > span:nth-of-type(3)',
    'div > span.a.b-c:not(.x):not(.y)',
    '',
  ])('reads and writes %j unchanged', (path) => {
    expect(formatPath(parsePath(path)!)).toBe(path);
  });

  it.each(['div >', 'div[x]', 'div.a b', '* > a', '.card', 'a:hover'])('refuses %j', (path) => {
    expect(parsePath(path)).toBeUndefined();
  });

  it('matches classes as a set, hashes cut, with exclusions', () => {
    expect(selectAll(tree.root, parsePath('main > div.grid > article.card')!).map(textOf)).toEqual([
      'abc',
      'd',
      'e',
    ]);
    expect(selectAll(tree.root, parsePath('div > article.card:not(.ad)')!).map(textOf)).toEqual([
      'abc',
      'e',
    ]);
  });

  it('finds parts by class or by position', () => {
    const [card] = selectAll(tree.root, parsePath('article.featured')!);

    expect(textOf(selectFirst(card!, parsePath('span.tag')!)!)).toBe('b');
    expect(textOf(selectFirst(card!, parsePath('span:nth-of-type(3)')!)!)).toBe('c');
    expect(selectFirst(card!, parsePath('p')!)).toBeUndefined();
    expect(selectFirst(card!, [])).toBe(card);
  });
});

describe('hostile input', () => {
  it('bounds 100,000 nested elements by depth, and finds nothing in them quickly', () => {
    const html = `${'<div>'.repeat(100_000)}<a href="/p/x">x</a>${'</div>'.repeat(100_000)}`;

    const tree = buildTree(html);

    expect(depth(tree.root)).toBeLessThanOrEqual(MAX_DEPTH + 1);
    expect(learnExtractor(html, 'https://site.example/').ok).toBe(false);
  });

  it('bounds a flood of elements by count', () => {
    const html = `<ul>${'<li><a href="/p/x">post title</a></li>'.repeat(40_000)}</ul>`;

    expect(count(buildTree(html).root)).toBe(MAX_ELEMENTS);
  });

  it('reads a huge attribute and long text without trouble', () => {
    const huge = 'x'.repeat(2_000_000);
    const html = `<main><ul>${[1, 2, 3]
      .map(
        (n) =>
          `<li class="${huge} post" data-x="${huge}"><h2><a href="/blog/p${n}?q=${huge}">Post ${n}</a></h2></li>`,
      )
      .join('')}</ul></main>`;

    const result = learnExtractor(html, 'https://site.example/blog');

    expect(result.ok).toBe(false);
  });

  it('never yields unsafe or other-site URLs, even from a learned extractor', () => {
    const cards = [
      '/blog/good-one',
      'javascript:alert(document.cookie)',
      '/blog/good-two',
      'https://evil.example/blog/x',
      '/blog/good-three',
      'data:text/html;base64,PHNjcmlwdD4=',
      '/blog/good-four',
    ]
      .map((href, n) => `<article class="post"><h2><a href="${href}">Title ${n}</a></h2></article>`)
      .join('');
    const html = `<main>${cards}</main>`;

    const learned = learnExtractor(html, 'https://site.example/blog');
    if (!learned.ok) throw new Error(learned.reason);
    const again = extractPosts(html, 'https://site.example/blog', learned.extractor);

    for (const { posts } of [learned, again]) {
      expect(posts.map((post) => post.url)).toEqual(
        ['one', 'two', 'three', 'four'].map((n) => `https://site.example/blog/good-${n}`),
      );
    }
    expect(again.incomplete).toBe(3);
  });
});
