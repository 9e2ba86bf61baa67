/**
 * A small blog on 127.0.0.1 for the demo (`npm start`) and the end-to-end tests: a listing page
 * (paged when asked), one page per article and an RSS 2.0 feed, the feed and the listing with
 * conditional GET. Tests drive it through the returned handle: `publish()` adds a post,
 * `setMode()` makes the feed fail in a chosen way, `setLayout()` redesigns the listing,
 * `requests` records what the extension asked for. With `feed: false` it is a blog with no
 * feed at all, which a reader can only follow through its listing page (issue 6).
 *
 * Run it alone with `node scripts/demo-blog/server.mjs [--port N] [--no-feed] [--page-size N]`;
 * type `p` + Enter to publish, `l` + Enter to switch the listing's layout.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {object} Post
 * @property {string} slug Path segment of the article page: `/posts/<slug>/`.
 * @property {string} title
 * @property {string} category
 * @property {string} summary Plain text, one or two sentences.
 * @property {string} [publishedAt] ISO 8601. Absent on unpublished posts; `publish()` sets it.
 * @property {string} author
 * @property {string[]} content The article as plain-text paragraphs.
 */

/**
 * @typedef {object} BlogInfo
 * @property {string} title Site name, e.g. "Research & Writing".
 * @property {string} heading Heading of the listing page, e.g. "Blog".
 * @property {string} tagline
 * @property {string} language
 */

/**
 * How the feed URL answers. `ok`: the feed; `error-500`: 500 Internal Server Error; `html`: a login
 * page with status 200 (what a paywall or an expired session looks like); `gone`: 410.
 * @typedef {'ok' | 'error-500' | 'html' | 'gone'} FeedMode
 */

/**
 * How the listing page marks up its posts. `cards`: a list of `<article>` cards (category,
 * linked `<h2>` title, summary, "N min read"), like the seed listing. `redesign`: what a new
 * theme would make of the same posts: `<div class="entry">` blocks with an `<h3>` title and no
 * list or `<article>`, so that an extractor learned on `cards` finds nothing there, while
 * learning again finds every post.
 * @typedef {'cards' | 'redesign'} Layout
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path Path and query, as requested.
 * @property {import('node:http').IncomingHttpHeaders} headers Lower-case names.
 * @property {number} status The status code the server answered with.
 * @property {boolean} [held] The answer was held mid-body by {@link BlogServer.holdFeed}.
 * @property {boolean} [aborted] The client closed the connection before the answer ended.
 */

/**
 * @typedef {object} BlogServerOptions
 * @property {number} [port] 0 (the default) picks a free port.
 * @property {BlogInfo} [blog] Defaults to the demo blog in posts.json.
 * @property {Post[]} [posts] Published posts (any order; served newest first). Defaults to posts.json.
 * @property {Post[]} [unpublished] Posts `publish()` takes from, first one first. Defaults to posts.json.
 * @property {string} [feedPath] Defaults to '/feed.xml'.
 * @property {boolean} [advertiseFeed] Put `<link rel="alternate" type="application/rss+xml">` in
 *   every page head (default true). With false, a reader has to guess the feed's address.
 * @property {boolean} [feed] Serve a feed at all (default true). With false the blog has none:
 *   the feed path answers 404 like every address a reader guesses (`/rss.xml`, `/atom.xml`…),
 *   no page advertises one, and what a reader follows is the listing page (`feedUrl`).
 * @property {number} [feedSize] The feed holds only the newest N posts (default: all), as
 *   many feeds do; the listing still shows every post.
 * @property {number} [pageSize] Posts per listing page (default: all on one): older ones are on
 *   `/page/2/`, `/page/3/`…, linked with `rel="next"` and an "Older posts" link.
 * @property {Layout} [layout] The listing's markup at start (default 'cards').
 * @property {number} [listedMinutes] What every card's "N min read" label on the listing says
 *   (default: each article's own reading time): a site that counts differently from a reader.
 * @property {(request: RecordedRequest) => void} [onRequest] Called after each answer (the CLI logs).
 */

/**
 * @typedef {Post & { publishedAt: string, url: string }} PublishedPost
 */

/**
 * @typedef {object} FeedHold
 * @property {Promise<RecordedRequest>} reached Resolves once a held answer has sent half its
 *   body and is waiting; its record says later whether the client gave up (`aborted`).
 * @property {() => void} release Sends the rest of every held answer whose client is still
 *   there, and answers normally from then on.
 */

/**
 * @typedef {object} BlogServer
 * @property {string} url The listing page, `http://127.0.0.1:PORT/`.
 * @property {string} feedUrl What a reader follows: the feed, or with `feed: false` the
 *   listing page (`url`); `setMode` and `holdFeed` act on its answers.
 * @property {BlogInfo} blog
 * @property {PublishedPost[]} posts Currently published posts, newest first (a fresh copy per read).
 * @property {(slug?: string) => PublishedPost} publish Publishes the given unpublished post, or
 *   the next one, dated now (so it is the newest). Throws when there is none left.
 * @property {(mode: FeedMode) => void} setMode
 * @property {(layout: Layout) => void} setLayout Redesigns the listing pages from now on.
 * @property {Layout} layout The listing's markup now.
 * @property {() => FeedHold} holdFeed From now on, feed answers with a body (200) send their
 *   headers and half the body, then wait until `release()`: a slow server caught mid-answer.
 * @property {RecordedRequest[]} requests Every request so far, oldest first (a live array).
 * @property {() => Promise<void>} close
 */

/** Reading speed the listing page assumes, the same default as the extension. */
export const WORDS_PER_MINUTE = 230;

const FEED_MODES = /** @type {const} */ (['ok', 'error-500', 'html', 'gone']);
const LAYOUTS = /** @type {const} */ (['cards', 'redesign']);

/**
 * @param {string} name
 * @param {number | undefined} value
 */
function checkCount(name, value) {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new Error(`${name} must be a whole number above 0, not ${value}.`);
  }
}

/**
 * The demo blog from posts.json, a fresh copy on every call so that publishing never leaks
 * between servers.
 * @returns {{ blog: BlogInfo, posts: Post[], unpublished: Post[] }}
 */
export function loadDemoBlog() {
  return JSON.parse(readFileSync(new URL('./posts.json', import.meta.url), 'utf8'));
}

/**
 * Words of the article text.
 * @param {Pick<Post, 'content'>} post
 */
export function countWords(post) {
  return post.content.join(' ').split(/\s+/).filter(Boolean).length;
}

/**
 * Minutes to read at {@link WORDS_PER_MINUTE}, rounded up, at least 1.
 * @param {Pick<Post, 'content'>} post
 */
export function readingMinutes(post) {
  return Math.max(1, Math.ceil(countWords(post) / WORDS_PER_MINUTE));
}

/** @type {Record<string, string>} */
const MARKUP_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML and XML content and attribute values alike.
 * @param {string} text
 */
export function escapeMarkup(text) {
  return text.replace(/[&<>"']/g, (c) => MARKUP_ESCAPES[c] ?? c);
}

/**
 * Starts the blog on 127.0.0.1.
 * @param {BlogServerOptions} [options]
 * @returns {Promise<BlogServer>}
 */
export async function startBlogServer(options = {}) {
  const demo = loadDemoBlog();
  const blog = options.blog ?? demo.blog;
  const feedPath = options.feedPath ?? '/feed.xml';
  const hasFeed = options.feed ?? true;
  const advertiseFeed = hasFeed && (options.advertiseFeed ?? true);
  const { feedSize, pageSize } = options;
  checkCount('feedSize', feedSize);
  checkCount('pageSize', pageSize);
  checkCount('listedMinutes', options.listedMinutes);
  /** What a reader follows, whose answers `setMode` and `holdFeed` change. */
  const followedPath = hasFeed ? feedPath : '/';
  /** @type {Layout} */
  let layout = options.layout ?? 'cards';
  checkLayout(layout);
  /** @type {PublishedPost[]} */
  let published = [];
  const unpublished = structuredClone(options.unpublished ?? demo.unpublished);
  /** @type {FeedMode} */
  let mode = 'ok';
  /** @type {RecordedRequest[]} */
  const requests = [];
  /** @type {{ waiting: (() => void)[], reached: (record: RecordedRequest) => void } | undefined} */
  let hold;
  let origin = '';

  /** @param {Post} post @returns {PublishedPost} */
  const withUrl = (post) => ({
    ...structuredClone(post),
    publishedAt: post.publishedAt ?? new Date().toISOString(),
    url: `${origin}/posts/${encodeURIComponent(post.slug)}/`,
  });

  const server = http.createServer((req, res) => {
    const record = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      status: 0,
    };
    /**
     * @param {number} status
     * @param {Record<string, string>} headers
     * @param {string} [body]
     */
    const send = (status, headers, body = '') => {
      record.status = status;
      requests.push(record);
      const bytes = Buffer.from(body, 'utf8');
      res.writeHead(status, {
        ...headers,
        ...(status !== 304 && { 'Content-Length': String(bytes.length) }),
      });
      res.end(record.method === 'HEAD' || status === 304 ? undefined : bytes);
      options.onRequest?.(record);
    };

    /**
     * Like `send`, but an answer with a body stops after half of it until the hold is released.
     * @param {NonNullable<typeof hold>} current
     * @returns {typeof send}
     */
    const holdingSend =
      (current) =>
      (status, headers, body = '') => {
        if (status !== 200 || record.method === 'HEAD') return send(status, headers, body);
        const bytes = Buffer.from(body, 'utf8');
        const half = Math.floor(bytes.length / 2);
        Object.assign(record, { status, held: true, aborted: false });
        requests.push(record);
        res.on('close', () => {
          if (!res.writableFinished) record.aborted = true;
        });
        res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
        res.write(bytes.subarray(0, half), () => current.reached(record));
        current.waiting.push(() => {
          if (!res.destroyed) res.end(bytes.subarray(half));
        });
        options.onRequest?.(record);
      };

    if (record.method !== 'GET' && record.method !== 'HEAD') {
      send(
        405,
        { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' },
        'Method Not Allowed\n',
      );
      return;
    }
    const page = { advertiseFeed, feedPath, blog, listedMinutes: options.listedMinutes };
    /** @type {string} */
    let path;
    /** @type {string | undefined} */
    let slug;
    try {
      // Concatenated, not resolved: a path like `//host/x` must stay a path.
      path = new URL(`${origin}${record.path}`).pathname;
      const segment = /^\/posts\/([^/]+)\/?$/.exec(path)?.[1];
      slug = segment === undefined ? undefined : decodeURIComponent(segment);
    } catch {
      send(400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad Request\n');
      return;
    }

    const post = slug === undefined ? undefined : published.find((p) => p.slug === slug);
    const pages = pageSize ? Math.max(1, Math.ceil(published.length / pageSize)) : 1;
    const pageMatch = /^\/page\/(\d{1,6})(\/?)$/.exec(path);
    const pageNumber = path === '/' ? 1 : pageMatch ? Number(pageMatch[1]) : 0;
    const answer = hold && path === followedPath ? holdingSend(hold) : send;
    const failure = path === followedPath ? failedAnswer(mode, blog) : undefined;
    if (failure) answer(...failure);
    else if (hasFeed && path === feedPath) {
      const items = feedSize ? published.slice(0, feedSize) : published;
      serveFeed(req, answer, { blog, origin, feedPath, published: items });
    } else if (pageNumber === 1 && path !== '/') send(301, { Location: '/' });
    else if (pageNumber >= 1 && pageNumber <= pages && pageMatch && !pageMatch[2]) {
      send(301, { Location: `${path}/` });
    } else if (pageNumber >= 1 && pageNumber <= pages) {
      const shown = pageSize
        ? published.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
        : published;
      const body = renderListing(page, shown, { layout, number: pageNumber, count: pages });
      answerConditionally(req, answer, { ...HTML_HEADERS }, body);
    } else if (post && !path.endsWith('/')) send(301, { Location: `${path}/` });
    else if (post) send(200, HTML_HEADERS, renderArticle(page, post));
    else send(404, HTML_HEADERS, renderNotFound(page));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The blog server has no port.');
  origin = `http://127.0.0.1:${address.port}`;
  published = sortNewestFirst((options.posts ?? demo.posts).map(withUrl));

  return {
    url: `${origin}/`,
    feedUrl: `${origin}${followedPath}`,
    blog,
    get posts() {
      return structuredClone(published);
    },
    publish(slug) {
      const index = slug ? unpublished.findIndex((p) => p.slug === slug) : 0;
      const next = unpublished[index];
      if (!next) {
        throw new Error(
          slug ? `No unpublished post "${slug}".` : 'Every post is published already.',
        );
      }
      unpublished.splice(index, 1);
      const newest = published[0] ? Date.parse(published[0].publishedAt) : 0;
      // Dated now, but never older than the newest post, so it always becomes the newest.
      const publishedAt = new Date(Math.max(Date.now(), newest + 1000)).toISOString();
      const post = withUrl({ ...next, publishedAt });
      published = sortNewestFirst([post, ...published]);
      return structuredClone(post);
    },
    holdFeed() {
      /** @type {(record: RecordedRequest) => void} */
      let reached = () => {};
      /** @type {Promise<RecordedRequest>} */
      const first = new Promise((resolve) => (reached = resolve));
      const current = { waiting: /** @type {(() => void)[]} */ ([]), reached };
      hold = current;
      return {
        reached: first,
        release() {
          if (hold === current) hold = undefined;
          for (const finish of current.waiting.splice(0)) finish();
        },
      };
    },
    setMode(next) {
      if (!FEED_MODES.includes(next)) {
        throw new Error(`Unknown feed mode "${next}"; use one of ${FEED_MODES.join(', ')}.`);
      }
      mode = next;
    },
    get layout() {
      return layout;
    },
    setLayout(next) {
      checkLayout(next);
      layout = next;
    },
    requests,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Browsers keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' };

/** @param {string} layout @returns {asserts layout is Layout} */
function checkLayout(layout) {
  if (!LAYOUTS.includes(/** @type {Layout} */ (layout))) {
    throw new Error(`Unknown layout "${layout}"; use one of ${LAYOUTS.join(', ')}.`);
  }
}

/**
 * How the followed address answers in a failing `mode` (`undefined` for 'ok'): 500, a sign-in
 * page with status 200 (what a paywall or an expired session looks like), or 410.
 * @param {FeedMode} mode
 * @param {BlogInfo} blog
 * @returns {[number, Record<string, string>, string] | undefined}
 */
function failedAnswer(mode, blog) {
  const text = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (mode === 'error-500') return [500, text, 'Internal Server Error\n'];
  if (mode === 'gone') return [410, text, 'Gone: this page was removed.\n'];
  if (mode === 'html') return [200, HTML_HEADERS, renderLoginPage(blog)];
  return undefined;
}

/**
 * Answers `body` with conditional GET: a strong ETag derived from the body, and Last-Modified
 * when given; a matching `If-None-Match` (or, without one, an `If-Modified-Since` not older
 * than Last-Modified) gets 304 with no body.
 * @param {import('node:http').IncomingMessage} req
 * @param {(status: number, headers: Record<string, string>, body?: string) => void} send
 * @param {Record<string, string>} headers
 * @param {string} body
 * @param {Date} [lastModified]
 */
function answerConditionally(req, send, headers, body, lastModified) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  const all = {
    ...headers,
    ETag: etag,
    ...(lastModified && { 'Last-Modified': lastModified.toUTCString() }),
  };
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  const notModified =
    ifNoneMatch !== undefined
      ? ifNoneMatch
          .split(',')
          .map((tag) => tag.trim().replace(/^W\//, ''))
          .some((tag) => tag === '*' || tag === etag)
      : ifModifiedSince !== undefined &&
        lastModified !== undefined &&
        Date.parse(ifModifiedSince) >= lastModified.getTime();
  return notModified ? send(304, all) : send(200, all, body);
}

/**
 * Answers the feed with conditional GET (`answerConditionally`), Last-Modified from the
 * newest post.
 * @param {import('node:http').IncomingMessage} req
 * @param {(status: number, headers: Record<string, string>, body?: string) => void} send
 * @param {{ blog: BlogInfo, origin: string, feedPath: string, published: PublishedPost[] }} state
 */
function serveFeed(req, send, { blog, origin, feedPath, published }) {
  const body = renderFeed(blog, origin, feedPath, published);
  const newest = published[0] ? Date.parse(published[0].publishedAt) : 0;
  const lastModified = new Date(Math.floor(newest / 1000) * 1000);
  const headers = {
    'Content-Type': 'application/rss+xml; charset=utf-8',
    'Cache-Control': 'no-cache',
  };
  answerConditionally(req, send, headers, body, lastModified);
}

/** @param {PublishedPost[]} posts */
function sortNewestFirst(posts) {
  return posts.sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
}

/** @param {Pick<Post, 'content'>} post */
function articleHtml(post) {
  return post.content.map((paragraph) => `<p>${escapeMarkup(paragraph)}</p>`).join('\n');
}

/**
 * @param {BlogInfo} blog
 * @param {string} origin
 * @param {string} feedPath
 * @param {PublishedPost[]} published
 */
function renderFeed(blog, origin, feedPath, published) {
  const x = escapeMarkup;
  const lastBuild = published[0] ? new Date(published[0].publishedAt).toUTCString() : '';
  const items = published.map(
    (post) => `    <item>
      <title>${x(post.title)}</title>
      <link>${x(post.url)}</link>
      <guid isPermaLink="false">${x(`tag:research-and-writing.example,2026:${post.slug}`)}</guid>
      <pubDate>${new Date(post.publishedAt).toUTCString()}</pubDate>
      <dc:creator>${x(post.author)}</dc:creator>
      <category>${x(post.category)}</category>
      <description>${x(post.summary)}</description>
      <content:encoded>${x(articleHtml(post))}</content:encoded>
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${x(blog.title)}</title>
    <link>${x(`${origin}/`)}</link>
    <atom:link href="${x(`${origin}${feedPath}`)}" rel="self" type="application/rss+xml"/>
    <description>${x(blog.tagline)}</description>
    <language>${x(blog.language)}</language>
    ${lastBuild && `<lastBuildDate>${lastBuild}</lastBuildDate>`}
${items.join('\n')}
  </channel>
</rss>
`;
}

/**
 * @typedef {{ advertiseFeed: boolean, feedPath: string, blog: BlogInfo, listedMinutes?: number }} PageContext
 */

/**
 * @param {PageContext} page
 * @param {string} title
 * @param {string} main
 * @param {string[]} [headLinks] More `<link>` elements for the head (pagination).
 */
function renderPage(page, title, main, headLinks = []) {
  const x = escapeMarkup;
  const links = [
    ...(page.advertiseFeed
      ? [
          `<link rel="alternate" type="application/rss+xml" title="${x(page.blog.title)}" href="${x(page.feedPath)}">`,
        ]
      : []),
    ...headLinks,
  ];
  return `<!doctype html>
<html lang="${x(page.blog.language)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${x(title)}</title>${links.map((link) => `\n    ${link}`).join('')}
    <style>${STYLE}</style>
  </head>
  <body>
    <header class="site"><a href="/">${x(page.blog.title)}</a></header>
    <main>
${main}
    </main>
  </body>
</html>
`;
}

const STYLE = `
      body { font: 16px/1.6 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
      header.site { padding: 1rem 2rem; font-weight: 700; border-bottom: 1px solid #ddd; background: #fff; }
      header.site a, h2 a, h3 a { color: inherit; text-decoration: none; }
      main { max-width: 44rem; margin: 0 auto; padding: 1rem 2rem 3rem; }
      .tagline, .meta, .reading { color: #555; }
      .cards { list-style: none; padding: 0; display: grid; gap: 1rem; }
      .cards article { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 1rem 1.25rem; }
      .category { margin: 0; font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: #6a4cc7; }
      .cards h2 { margin: .25rem 0; font-size: 1.25rem; }
      .post-list .entry { border-bottom: 1px solid #ddd; padding: .75rem 0; }
      .post-list .topic { font-size: .75rem; font-weight: 700; color: #0b6e4f; }
      .post-list h3 { margin: .1rem 0; font-size: 1.1rem; }
      .pagination { display: flex; justify-content: space-between; margin-top: 1.5rem; }
    `;

/**
 * One page of the listing.
 * @typedef {object} ListingPage
 * @property {Layout} layout
 * @property {number} number From 1.
 * @property {number} count Pages in all.
 */

/** The address of listing page `number` (page 1 is the site's root). @param {number} number */
const listingPath = (number) => (number === 1 ? '/' : `/page/${number}/`);

/**
 * The posts of one listing page in its layout, with links to the newer and older pages.
 * @param {PageContext} page
 * @param {PublishedPost[]} shown The posts on this page, newest first.
 * @param {ListingPage} at
 */
function renderListing(page, shown, at) {
  const x = escapeMarkup;
  const older = at.number < at.count ? listingPath(at.number + 1) : undefined;
  const newer = at.number > 1 ? listingPath(at.number - 1) : undefined;
  const headLinks = [
    ...(newer ? [`<link rel="prev" href="${newer}">`] : []),
    ...(older ? [`<link rel="next" href="${older}">`] : []),
  ];
  const pageLinks = [
    ...(newer ? [`<a rel="prev" href="${newer}">← Newer posts</a>`] : []),
    ...(older ? [`<a rel="next" href="${older}">Older posts →</a>`] : []),
  ];
  const pagination = pageLinks.length
    ? `
      <nav class="pagination" aria-label="Pagination">
        ${pageLinks.join('\n        ')}
      </nav>`
    : '';
  const path = (/** @type {PublishedPost} */ post) => x(new URL(post.url).pathname);
  const minutes = (/** @type {PublishedPost} */ post) => page.listedMinutes ?? readingMinutes(post);
  const posts =
    at.layout === 'cards'
      ? `      <ul class="cards">
${shown
  .map(
    (post) => `        <li>
          <article>
            <p class="category">${x(post.category)}</p>
            <h2><a href="${path(post)}">${x(post.title)}</a></h2>
            <p>${x(post.summary)}</p>
            <p class="meta">${minutes(post)} min read</p>
          </article>
        </li>`,
  )
  .join('\n')}
      </ul>`
      : `      <div class="post-list">
${shown
  .map(
    (post) => `        <div class="entry">
          <span class="topic">${x(post.category)}</span>
          <h3 class="entry-title"><a href="${path(post)}">${x(post.title)}</a></h3>
          <div class="excerpt">${x(post.summary)}</div>
          <span class="reading">${minutes(post)} min read</span>
        </div>`,
  )
  .join('\n')}
      </div>`;
  const heading = at.number === 1 ? page.blog.heading : `${page.blog.heading} (page ${at.number})`;
  return renderPage(
    page,
    `${heading} — ${page.blog.title}`,
    `      <h1>${x(heading)}</h1>
      <p class="tagline">${x(page.blog.tagline)}</p>
${posts}${pagination}`,
    headLinks,
  );
}

/**
 * @param {PageContext} page
 * @param {PublishedPost} post
 */
function renderArticle(page, post) {
  const x = escapeMarkup;
  const date = new Date(post.publishedAt);
  const shown = date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return renderPage(
    page,
    `${post.title} — ${page.blog.title}`,
    `      <article>
        <p class="category">${x(post.category)}</p>
        <h1>${x(post.title)}</h1>
        <p class="meta">By ${x(post.author)} · <time datetime="${x(post.publishedAt)}">${x(shown)}</time> · ${readingMinutes(post)} min read</p>
${articleHtml(post)}
      </article>
      <p><a href="/">← All posts</a></p>`,
  );
}

/** @param {PageContext} page */
function renderNotFound(page) {
  return renderPage(page, `Not found — ${page.blog.title}`, '      <h1>Page not found</h1>');
}

/** @param {BlogInfo} blog */
function renderLoginPage(blog) {
  const x = escapeMarkup;
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Sign in — ${x(blog.title)}</title></head>
  <body>
    <h1>Sign in to ${x(blog.title)}</h1>
    <form method="post" action="/login">
      <label>Email <input type="email" name="email"></label>
      <label>Password <input type="password" name="password"></label>
      <button>Sign in</button>
    </form>
  </body>
</html>
`;
}

const USAGE =
  'Usage: node scripts/demo-blog/server.mjs [--port N] [--no-feed] [--page-size N] [--layout cards|redesign]';

/**
 * The command line's options, or `undefined` when they cannot be read.
 * @param {string[]} args
 * @returns {BlogServerOptions | undefined}
 */
export function parseServerArgs(args) {
  /** @type {BlogServerOptions} */
  const options = {};
  for (let at = 0; at < args.length; at += 1) {
    const arg = args[at];
    const value = args[at + 1];
    if (arg === '--no-feed') options.feed = false;
    else if (arg === '--port' || arg === '--page-size') {
      const number = Number(value);
      const fits = arg === '--port' ? number >= 0 && number <= 65535 : number > 0;
      if (!value || !Number.isInteger(number) || !fits) return undefined;
      if (arg === '--port') options.port = number;
      else options.pageSize = number;
      at += 1;
    } else if (arg === '--layout' && (value === 'cards' || value === 'redesign')) {
      options.layout = value;
      at += 1;
    } else return undefined;
  }
  return options;
}

/**
 * `node scripts/demo-blog/server.mjs [options]`: serve until Ctrl-C; `p` + Enter publishes,
 * `l` + Enter switches the listing between its two layouts.
 */
async function main() {
  const options = parseServerArgs(process.argv.slice(2));
  if (!options) {
    console.error(USAGE);
    process.exit(2);
  }
  const blog = await startBlogServer({
    ...options,
    onRequest: (r) => console.log(`  ${r.method} ${r.path} → ${r.status}`),
  });
  const feed = options.feed === false ? 'no feed' : `feed: ${blog.feedUrl}`;
  console.log(`"${blog.blog.title}" is at ${blog.url} (${feed})`);
  console.log(
    'Type p + Enter to publish the next post, l + Enter to switch the layout of the listing, ' +
      'q + Enter (or Ctrl-C) to stop.',
  );
  const input = readline.createInterface({ input: process.stdin });
  const stop = async () => {
    input.close();
    await blog.close();
    process.exit(0);
  };
  input.on('line', (line) => {
    const command = line.trim();
    if (command === 'p') {
      try {
        const post = blog.publish();
        console.log(`Published "${post.title}" (${post.category}) at ${post.url}`);
      } catch (error) {
        console.log(error instanceof Error ? error.message : String(error));
      }
    } else if (command === 'l') {
      blog.setLayout(blog.layout === 'cards' ? 'redesign' : 'cards');
      console.log(`The listing now has the "${blog.layout}" layout.`);
    } else if (command === 'q') {
      void stop();
    } else if (command) {
      console.log('Commands: p (publish the next post), l (switch the layout), q (quit).');
    }
  });
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
