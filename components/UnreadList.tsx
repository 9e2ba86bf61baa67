/** The Unread panel: what to do when no blog is followed, "All caught up.", or the sections. */
import type { Section } from '@/utils/state/popup-state';
import { CategorySection } from './CategorySection';
import type { PostActions } from './PostRow';

export function UnreadList({
  hasBlogs,
  sections,
  savedUrls,
  actions,
  onAddBlog,
}: {
  hasBlogs: boolean;
  sections: Section[];
  savedUrls: ReadonlySet<string>;
  actions: PostActions;
  onAddBlog: () => void;
}) {
  if (!hasBlogs) {
    return (
      <div class="empty">
        <p>No blogs yet.</p>
        <a
          href="options.html"
          onClick={(event) => {
            event.preventDefault();
            onAddBlog();
          }}
        >
          Add a blog
        </a>
      </div>
    );
  }
  if (sections.length === 0) return <p class="empty">All caught up.</p>;
  return (
    <>
      {sections.map((section) => (
        <CategorySection
          key={section.name}
          section={section}
          savedUrls={savedUrls}
          actions={actions}
        />
      ))}
    </>
  );
}
