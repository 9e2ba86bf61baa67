/**
 * One category of unread posts: a heading with the name and count, the total reading time, and
 * the rows — the first 50, then more on request, so thousands of unread posts stay fast.
 */
import { useSignal } from '@preact/signals';
import type { Section } from '@/utils/state/popup-state';
import { PostRow, type PostActions } from './PostRow';
import { safeHttpUrl } from '@/utils/url';

const PAGE_SIZE = 50;

export function CategorySection({
  section,
  savedUrls,
  actions,
}: {
  section: Section;
  savedUrls: ReadonlySet<string>;
  actions: PostActions;
}) {
  const shown = useSignal(PAGE_SIZE);
  const hidden = section.entries.length - shown.value;

  return (
    <section aria-label={section.name} class="category">
      <div class="category-head">
        <h2>
          <span dir="auto">{section.name}</span> <span class="count">{section.count}</span>
        </h2>
        <span class="minutes">{`${section.minutes} min`}</span>
      </div>
      {section.entries.slice(0, shown.value).map((entry) => (
        <PostRow
          key={entry.post.id}
          entry={entry}
          saved={savedUrls.has(safeHttpUrl(entry.post.url) ?? '')}
          actions={actions}
        />
      ))}
      {hidden > 0 && (
        <button type="button" class="more" onClick={() => (shown.value += PAGE_SIZE)}>
          {`Show ${Math.min(hidden, PAGE_SIZE)} more`}
        </button>
      )}
    </section>
  );
}
