/**
 * Deterministic benchmark feeds (`npm run bench`, `npm run evaluate`): RSS 2.0, Atom 1.0,
 * RSS 1.0/RDF and JSON Feed 1.1 documents whose items carry 300–1,500 words of the HTML that
 * long-form blogs publish — paragraphs, links, emphasis, inline and block code, lists,
 * quotes, figures, HTML named entities and literal non-ASCII punctuation. Generated from a
 * seeded PRNG on every run, so nothing is committed and every run parses the same bytes.
 * The article HTML is `content:encoded` CDATA in RSS and RDF, escaped `type="html"` content
 * in Atom and `content_html` in JSON Feed, as real feeds carry it.
 */

export type BenchFormat = 'rss' | 'atom' | 'rdf' | 'json';

export const BENCH_FORMATS: readonly BenchFormat[] = ['rss', 'atom', 'rdf', 'json'];

export const FORMAT_LABELS: Record<BenchFormat, string> = {
  rss: 'RSS 2.0',
  atom: 'Atom 1.0',
  rdf: 'RDF (RSS 1.0)',
  json: 'JSON Feed 1.1',
};

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a of to and in that is for it as with on by this be are from at or an was which we ' +
  'can not but have all their more one if will so they when model state space sequence ' +
  'attention layer token memory context window length linear time quadratic cost selective ' +
  'scan kernel hardware training inference throughput latency benchmark result paper method ' +
  'approach baseline parameter gradient recurrent convolution transformer architecture design ' +
  'experiment dataset evaluation score language vision audio signal filter hidden dimension ' +
  'input output matrix vector product softmax normalization residual block stack depth width ' +
  'scale data compute budget efficient fast slow simple complex small large long short early ' +
  'late first second final new old open closed general specific local global learned fixed ' +
  'discrete continuous stable careful honest practical surprising important useful different ' +
  'similar better worse reading writing thinking building shipping testing measuring explaining ' +
  'question answer idea note draft post essay week year people team reader author editor'
).split(' ');

/** Words that carry an HTML entity or a literal non-ASCII character, as prose does. */
const MARKED_WORDS = [
  'it&rsquo;s',
  'don&rsquo;t',
  'caf&eacute;',
  'na&iuml;ve',
  'r&eacute;sum&eacute;',
  '&ldquo;fast&rdquo;',
  '&mdash;',
  '&hellip;',
  'A&amp;B',
  '10&nbsp;ms',
  '&lt;10%',
  'x&nbsp;&times;&nbsp;y',
  '“quoted”',
  'déjà',
  '—',
  'Zürich',
  'it’s',
];

const CODE_LINES = [
  'const state = scan(inputs, (h, x) =&gt; decay * h + x);',
  'if (tokens.length &gt; window &amp;&amp; cache) return cache.get(key);',
  'for (let i = 0; i &lt; n; i += 1) out[i] = a[i] * b[i];',
  'def step(h, x): return A @ h + B @ x',
  'assert len(batch) &lt;= 4096, "batch too large"',
  '&lt;link rel="alternate" type="application/rss+xml" href="/feed.xml"&gt;',
];

interface Writer {
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  int: (min: number, max: number) => number;
}

function createWriter(seed: number): Writer {
  const random = createRandom(seed);
  return {
    random,
    pick: (items) => items[Math.floor(random() * items.length)]!,
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
  };
}

function plainWords(writer: Writer, count: number): string[] {
  return Array.from({ length: count }, () =>
    writer.random() < 0.04 ? writer.pick(MARKED_WORDS) : writer.pick(WORDS),
  );
}

/** One sentence of 6–20 words, some of them wrapped in inline markup. */
function sentence(writer: Writer, budget: { words: number }): string {
  const words = plainWords(writer, Math.min(budget.words, writer.int(6, 20)));
  budget.words -= words.length;
  const parts: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const roll = writer.random();
    const word = words[i]!;
    if (roll < 0.04 && i + 2 < words.length) {
      const slug = `${writer.pick(WORDS)}-${writer.pick(WORDS)}-${writer.int(1, 999)}`;
      parts.push(`<a href="https://example.org/notes/${slug}">${word} ${words[i + 1]}</a>`);
      i += 1;
    } else if (roll < 0.07) {
      parts.push(`<em>${word}</em>`);
    } else if (roll < 0.09) {
      parts.push(`<strong>${word}</strong>`);
    } else if (roll < 0.1) {
      parts.push(`<code>${word}_${writer.int(0, 9)}</code>`);
    } else {
      parts.push(word);
    }
  }
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${writer.pick(['.', '.', '.', '?', '!'])}`;
}

function paragraph(writer: Writer, budget: { words: number }): string {
  const sentences: string[] = [];
  const count = writer.int(2, 6);
  for (let i = 0; i < count && budget.words > 0; i += 1) sentences.push(sentence(writer, budget));
  return `<p>${sentences.join(' ')}</p>`;
}

/** An article of exactly `words` words of running text (code and captions come on top). */
export function articleHtml(writer: Writer, words: number): string {
  const budget = { words };
  const blocks: string[] = [];
  while (budget.words > 0) {
    const roll = writer.random();
    if (roll < 0.68 || blocks.length === 0) {
      blocks.push(paragraph(writer, budget));
    } else if (roll < 0.76) {
      const heading = plainWords(writer, Math.min(budget.words, writer.int(3, 7)));
      budget.words -= heading.length;
      blocks.push(`<h2>${heading.join(' ')}</h2>`);
    } else if (roll < 0.85) {
      const tag = writer.random() < 0.7 ? 'ul' : 'ol';
      const items: string[] = [];
      for (let i = writer.int(2, 6); i > 0 && budget.words > 0; i -= 1) {
        items.push(`<li>${sentence(writer, budget)}</li>`);
      }
      blocks.push(`<${tag}>${items.join('')}</${tag}>`);
    } else if (roll < 0.91) {
      blocks.push(`<blockquote>${paragraph(writer, budget)}</blockquote>`);
    } else if (roll < 0.97) {
      const lines = Array.from({ length: writer.int(3, 12) }, () => writer.pick(CODE_LINES));
      blocks.push(`<pre><code class="language-ts">${lines.join('\n')}</code></pre>`);
    } else {
      const name = `${writer.pick(WORDS)}-${writer.int(1, 99)}`;
      blocks.push(
        `<figure><img src="https://example.org/images/${name}.png" alt="${writer.pick(WORDS)} chart" width="800" height="450"><figcaption>Figure: ${writer.pick(WORDS)} over ${writer.pick(WORDS)}</figcaption></figure>`,
      );
    }
  }
  return blocks.join('\n');
}

interface GeneratedItem {
  title: string;
  slug: string;
  published: Date;
  author: string;
  categories: string[];
  summary: string;
  html: string;
}

const AUTHORS = ['Ada Lovelace', 'Grace Hopper', 'Alan Kay', 'Barbara Liskov', 'Edsger Dijkstra'];
const CATEGORIES = ['State Space Model', 'Transformer', 'Hardware', 'Notes', 'Essays', 'Tools'];
const SITE = 'https://blog.example.org/';

function generateItems(seed: number, count: number): GeneratedItem[] {
  const writer = createWriter(seed);
  const start = Date.UTC(2026, 10, 1, 9, 0, 0);
  return Array.from({ length: count }, (_, index) => {
    const title = plainWords(writer, writer.int(3, 9))
      .join(' ')
      .replace(/&[a-z]+;/g, '');
    const slug = `${index}-${title.replace(/[^a-z]+/gi, '-').toLowerCase()}`.slice(0, 60);
    const html = articleHtml(writer, writer.int(300, 1500));
    const firstParagraph = /<p>(.*?)<\/p>/s.exec(html)?.[1] ?? '';
    return {
      title: `${title.charAt(0).toUpperCase()}${title.slice(1)}${index % 7 === 0 ? ' & more' : ''}`,
      slug,
      published: new Date(start - index * 7_200_000 - writer.int(0, 3_599) * 1000),
      author: writer.pick(AUTHORS),
      categories: [writer.pick(CATEGORIES), writer.pick(CATEGORIES)],
      summary: firstParagraph
        .replace(/<[^>]+>/g, '')
        .replace(/&nbsp;/g, ' ')
        .slice(0, 240),
      html,
    };
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The summary is text with HTML entities in it; as XML text it keeps them, `&` escaped once. */
function xmlText(text: string): string {
  return escapeXml(text);
}

function cdata(html: string): string {
  return `<![CDATA[${html.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function rss(items: GeneratedItem[]): string {
  const body = items.map(
    (item) => `<item>
<title>${xmlText(item.title)}</title>
<link>${SITE}posts/${item.slug}/</link>
<guid isPermaLink="true">${SITE}posts/${item.slug}/</guid>
<pubDate>${item.published.toUTCString()}</pubDate>
<dc:creator>${xmlText(item.author)}</dc:creator>
${item.categories.map((category) => `<category>${xmlText(category)}</category>`).join('\n')}
<description>${xmlText(item.summary)}</description>
<content:encoded>${cdata(item.html)}</content:encoded>
</item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Research &amp; Writing</title>
<link>${SITE}</link>
<atom:link href="${SITE}feed.xml" rel="self" type="application/rss+xml"/>
<description>Notes on sequence models, hardware and writing.</description>
<language>en</language>
<lastBuildDate>${items[0]?.published.toUTCString() ?? ''}</lastBuildDate>
${body.join('\n')}
</channel>
</rss>
`;
}

function atom(items: GeneratedItem[]): string {
  const body = items.map(
    (item) => `<entry>
<title>${xmlText(item.title)}</title>
<link rel="alternate" type="text/html" href="${SITE}posts/${item.slug}/"/>
<id>tag:blog.example.org,2026:${item.slug}</id>
<published>${item.published.toISOString()}</published>
<updated>${item.published.toISOString()}</updated>
<author><name>${xmlText(item.author)}</name></author>
${item.categories.map((category) => `<category term="${xmlText(category)}"/>`).join('\n')}
<summary type="text">${xmlText(item.summary)}</summary>
<content type="html" xml:base="${SITE}posts/${item.slug}/">${escapeXml(item.html)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>Research &amp; Writing</title>
<subtitle>Notes on sequence models, hardware and writing.</subtitle>
<link rel="alternate" type="text/html" href="${SITE}"/>
<link rel="self" type="application/atom+xml" href="${SITE}atom.xml"/>
<id>tag:blog.example.org,2026:feed</id>
<updated>${items[0]?.published.toISOString() ?? ''}</updated>
${body.join('\n')}
</feed>
`;
}

function rdf(items: GeneratedItem[]): string {
  const link = (item: GeneratedItem) => `${SITE}posts/${item.slug}/`;
  const body = items.map(
    (item) => `<item rdf:about="${link(item)}">
<title>${xmlText(item.title)}</title>
<link>${link(item)}</link>
<dc:date>${item.published.toISOString()}</dc:date>
<dc:creator>${xmlText(item.author)}</dc:creator>
${item.categories.map((category) => `<dc:subject>${xmlText(category)}</dc:subject>`).join('\n')}
<description>${xmlText(item.summary)}</description>
<content:encoded>${cdata(item.html)}</content:encoded>
</item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="${SITE}">
<title>Research &amp; Writing</title>
<link>${SITE}</link>
<description>Notes on sequence models, hardware and writing.</description>
<items><rdf:Seq>
${items.map((item) => `<rdf:li rdf:resource="${link(item)}"/>`).join('\n')}
</rdf:Seq></items>
</channel>
${body.join('\n')}
</rdf:RDF>
`;
}

function json(items: GeneratedItem[]): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Research & Writing',
      home_page_url: SITE,
      feed_url: `${SITE}feed.json`,
      description: 'Notes on sequence models, hardware and writing.',
      language: 'en',
      items: items.map((item) => ({
        id: `${SITE}posts/${item.slug}/`,
        url: `${SITE}posts/${item.slug}/`,
        title: item.title,
        content_html: item.html,
        summary: item.summary.replace(/&[a-z]+;/g, ' '),
        date_published: item.published.toISOString(),
        authors: [{ name: item.author }],
        tags: item.categories,
      })),
    },
    null,
    1,
  );
}

const WRITERS: Record<BenchFormat, (items: GeneratedItem[]) => string> = { rss, atom, rdf, json };

export interface BenchFeed {
  format: BenchFormat;
  items: number;
  /** Short label, e.g. `RSS 2.0 ×1000`. */
  name: string;
  /** UTF-8 bytes, as `fetch` hands them over. */
  bytes: Uint8Array;
}

/**
 * A feed of `items` items in `format`. The items themselves depend only on `seed` and the
 * count, so the four formats of one size carry the same articles.
 */
export function generateFeed(format: BenchFormat, items: number, seed = 20_261_101): BenchFeed {
  const text = WRITERS[format](generateItems(seed + items, items));
  return {
    format,
    items,
    name: `${FORMAT_LABELS[format]} ×${items}`,
    bytes: new TextEncoder().encode(text),
  };
}
