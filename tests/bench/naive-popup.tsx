/**
 * The benchmark's naive popup (e2e build only, `popup.html?naive`; `entrypoints/popup/main.tsx`
 * renders it): what the popup would do without maintained counters, section indexes or
 * virtualization. At open it reads every unread post (`listUnread`, all 10,000 of them at the
 * bench's 50,000), the blogs and the reading list; counts and groups the posts by category
 * itself; and renders every row of every section, each with its link, meta line and buttons,
 * as the real popup's rows look. It marks {@link FIRST_ROWS_MARK} once that frame is painted,
 * like the real popup, so `npm run bench` compares the two on the same database.
 */
import { render } from 'preact';
import { getDb } from '@/utils/db/db';
import { listFeeds } from '@/utils/db/feeds';
import { listUnread } from '@/utils/db/posts';
import { listReadingList } from '@/utils/db/reading-list';
import { UNCATEGORIZED, type Post } from '@/utils/db/types';
import { formatDate } from '@/utils/format';
import { FIRST_ROWS_MARK, markAfterPaint } from '@/utils/perf';
import { formatReadingTime } from '@/utils/format';

interface NaiveSection {
  name: string;
  minutes: number;
  posts: Post[];
}

/** Posts (newest first) by category, case-insensitively; sections in order of their newest post. */
function groupPosts(posts: Post[]): NaiveSection[] {
  const sections = new Map<string, NaiveSection>();
  for (const post of posts) {
    const names = post.categories.length > 0 ? post.categories : [UNCATEGORIZED];
    for (const name of names) {
      const key = name.toLocaleLowerCase();
      const section = sections.get(key) ?? { name, minutes: 0, posts: [] };
      if (section.posts.at(-1) === post) continue;
      section.minutes += post.minutes;
      section.posts.push(post);
      sections.set(key, section);
    }
  }
  return [...sections.values()];
}

function NaivePopup({
  sections,
  unread,
  blogs,
  saved,
}: {
  sections: NaiveSection[];
  unread: number;
  blogs: ReadonlyMap<number, string>;
  saved: ReadonlySet<string>;
}) {
  return (
    <main>
      <header class="popup-header">
        <h1>Dispatch</h1>
        <p>{`${unread} unread`}</p>
      </header>
      {sections.map((section) => (
        <section key={section.name} aria-label={section.name} class="category">
          <div class="category-head">
            <h2>
              <span dir="auto">{section.name}</span>{' '}
              <span class="count">{section.posts.length}</span>
            </h2>
            <span class="minutes">{`${section.minutes} min`}</span>
          </div>
          {section.posts.map((post) => (
            <article key={post.id} aria-label={post.title} class="post">
              <h3 class="title" dir="auto">
                <a href={post.url} target="_blank" rel="noopener noreferrer">
                  {post.title}
                </a>
              </h3>
              <p class="meta">
                <span dir="auto">{blogs.get(post.feedId) ?? ''}</span>
                {` · ${formatDate(post.publishedAt)} · ${formatReadingTime(post.minutes, post.minutesFromSummary)}`}
              </p>
              <div class="actions">
                <button type="button">Mark read</button>
                <button type="button" disabled={saved.has(post.url ?? '')}>
                  {saved.has(post.url ?? '') ? 'Saved' : 'Save'}
                </button>
              </div>
            </article>
          ))}
        </section>
      ))}
    </main>
  );
}

/** Reads everything, renders every unread row into `app`, and marks the painted frame. */
export async function renderNaivePopup(app: HTMLElement): Promise<void> {
  const db = getDb();
  const [posts, feeds, readingList] = await Promise.all([
    listUnread(db),
    listFeeds(db),
    listReadingList(db),
  ]);
  const blogs = new Map(feeds.map((feed) => [feed.id, feed.title]));
  const saved = new Set(readingList.map((item) => item.url));
  render(
    <NaivePopup sections={groupPosts(posts)} unread={posts.length} blogs={blogs} saved={saved} />,
    app,
  );
  markAfterPaint(FIRST_ROWS_MARK);
}
