/**
 * Builders for poll and subscribe tests: RSS 2.0 documents from item objects, HTML pages with
 * feed links, and a local HTTP server whose answers a test can change between polls.
 */
import type { ServerResponse } from 'node:http';
import { startTestServer, type TestServer } from './http-server';

export interface RssItemSpec {
  title?: string;
  link?: string;
  guid?: string;
  description?: string;
  /** Full HTML content, written as `content:encoded`. */
  content?: string;
  categories?: string[];
  /** A `Date` is written in RFC 822 form; a string as is. */
  pubDate?: Date | string;
}

export interface RssSpec {
  title?: string;
  link?: string;
  items: RssItemSpec[];
}

/** An RSS 2.0 document; text is escaped, so titles may contain `&` and `<`. */
export function rss({
  title = 'Edge Notes',
  link = 'https://blog.example/',
  items,
}: RssSpec): string {
  const body = items.map((item) => {
    const parts = [
      item.title !== undefined && `<title>${escapeXml(item.title)}</title>`,
      item.link !== undefined && `<link>${escapeXml(item.link)}</link>`,
      item.guid !== undefined && `<guid isPermaLink="false">${escapeXml(item.guid)}</guid>`,
      item.description !== undefined && `<description>${escapeXml(item.description)}</description>`,
      item.content !== undefined && `<content:encoded>${escapeXml(item.content)}</content:encoded>`,
      ...(item.categories ?? []).map((category) => `<category>${escapeXml(category)}</category>`),
      item.pubDate !== undefined &&
        `<pubDate>${item.pubDate instanceof Date ? item.pubDate.toUTCString() : item.pubDate}</pubDate>`,
    ];
    return `<item>${parts.filter(Boolean).join('')}</item>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    `<channel><title>${escapeXml(title)}</title><link>${escapeXml(link)}</link>`,
    ...body,
    '</channel></rss>',
  ].join('\n');
}

/** `count` items, newest first, with guids `post-<n>` and dates a day apart in March 2026. */
export function someItems(count: number, from = 1): RssItemSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const n = from + count - 1 - index;
    return {
      title: `Post ${n}`,
      link: `https://blog.example/posts/${n}/`,
      guid: `post-${n}`,
      description: `Summary of post ${n}.`,
      categories: ['Transformer'],
      pubDate: new Date(Date.UTC(2026, 2, n, 9)),
    };
  });
}

/** An HTML page whose head links to the given feeds with `<link rel="alternate">`. */
export function htmlPage(
  feedLinks: { href: string; type?: string; title?: string }[] = [],
): string {
  const links = feedLinks.map(
    ({ href, type = 'application/rss+xml', title = 'Feed' }) =>
      `<link rel="alternate" type="${type}" title="${escapeXml(title)}" href="${escapeXml(href)}">`,
  );
  return `<!DOCTYPE html>\n<html><head><title>A blog</title>${links.join('')}</head><body><p>Hello</p></body></html>`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FeedServer extends TestServer {
  /** Sets what a path answers from now on (a function sees each request's headers). */
  route(
    path: string,
    reply: Reply | ((headers: Record<string, string | string[] | undefined>) => Reply),
  ): void;
  /** Requests to one path, in order. */
  requestsTo(path: string): TestServer['requests'];
}

/** A loopback server answering per path; unknown paths answer 404. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Parameters<FeedServer['route']>[1]>();
  const server = await startTestServer((request, response) => {
    const path = request.url ?? '/';
    const route = routes.get(path);
    const reply = typeof route === 'function' ? route(request.headers) : route;
    send(
      response,
      reply ?? { status: 404, body: 'Not found', headers: { 'content-type': 'text/plain' } },
    );
  });
  return {
    ...server,
    route: (path, reply) => routes.set(path, reply),
    requestsTo: (path) => server.requests.filter((request) => request.url === path),
  };
}

function send(response: ServerResponse, { status = 200, body = '', headers = {} }: Reply): void {
  response.writeHead(status, { 'content-type': 'application/rss+xml; charset=utf-8', ...headers });
  response.end(body);
}
