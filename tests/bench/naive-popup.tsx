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
import { formatDate, formatReadingTime } from '@/utils/format';
import { FIRST_ROWS_MARK, markAfterPaint } from '@/utils/perf';
import { groupByCategory, type Section } from './naive-grouping';

function NaivePopup({
  sections,
  unread,
  saved,
}: {
  sections: Section[];
  unread: number;
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
              <span dir="auto">{section.name}</span> <span class="count">{section.count}</span>
            </h2>
            <span class="minutes">{`${section.minutes} min`}</span>
          </div>
          {section.entries.map(({ post, blog }) => (
            <article key={post.id} aria-label={post.title} class="post">
              <h3 class="title" dir="auto">
                <a href={post.url} target="_blank" rel="noopener noreferrer">
                  {post.title}
                </a>
              </h3>
              <p class="meta">
                <span dir="auto">{blog}</span>
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
    <NaivePopup sections={groupByCategory(posts, blogs)} unread={posts.length} saved={saved} />,
    app,
  );
  markAfterPaint(FIRST_ROWS_MARK);
}
