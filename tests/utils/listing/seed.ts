/**
 * The seed listing (`../shared/seed/blog-listing.txt`: the text of a real blog's listing page)
 * rendered as HTML the way a Tailwind card grid would, every class a utility class, the whole
 * card a link. `extraPosts` appends cards (a new post); `classes` renames every class (a
 * redesign).
 */
import { readFileSync } from 'node:fs';

export interface SeedPost {
  category: string;
  title: string;
  summary: string;
  readingTime: string;
}

export function readSeedListing(): { heading: string[]; posts: SeedPost[] } {
  const lines = readFileSync(
    new URL('../../../../shared/seed/blog-listing.txt', import.meta.url),
    'utf8',
  )
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const posts: SeedPost[] = [];
  for (let at = 3; at + 3 < lines.length; at += 4) {
    const [category = '', title = '', summary = '', readingTime = ''] = lines.slice(at, at + 4);
    posts.push({ category, title, summary, readingTime });
  }
  return { heading: lines.slice(0, 3), posts };
}

export const seedSlug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderSeedListing({
  extraPosts = [],
  cardClass = 'group flex flex-col rounded-xl border p-6 hover:shadow-lg',
  gridClass = 'grid gap-6 md:grid-cols-2 lg:grid-cols-3',
  count,
}: {
  extraPosts?: SeedPost[];
  cardClass?: string;
  gridClass?: string;
  count?: number;
} = {}): string {
  const { heading, posts } = readSeedListing();
  const cards = [...extraPosts, ...posts].slice(0, count).map(
    (post) => `<a href="/blog/${seedSlug(post.title)}" class="${cardClass}">
  <div class="mb-2 flex items-center gap-2"><span class="rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium">${escape(post.category)}</span></div>
  <h2 class="text-xl font-semibold">${escape(post.title)}</h2>
  <p class="mt-2 line-clamp-3 text-sm text-gray-600">${escape(post.summary)}</p>
  <div class="mt-auto pt-4 text-xs text-gray-500"><span>${escape(post.readingTime)}</span></div>
</a>`,
  );
  return `<!doctype html><html><head><title>Blog</title></head><body>
<header class="border-b"><nav><a href="/">Home</a> <a href="/blog">Blog</a></nav></header>
<main class="mx-auto max-w-6xl px-4">
<p class="text-sm uppercase">${escape(heading[0] ?? '')}</p><h1 class="text-4xl font-bold">${escape(heading[1] ?? '')}</h1><p class="text-gray-600">${escape(heading[2] ?? '')}</p>
<div class="${gridClass}">
${cards.join('\n')}
</div>
</main>
<footer class="border-t"><p>© 2024</p></footer>
</body></html>`;
}
