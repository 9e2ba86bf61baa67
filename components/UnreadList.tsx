/**
 * The Unread tab: what to do when no blog is followed, else a toolbar (the reading-time budget,
 * "Show read", "Mark all read") over one of three lists: the category sections, the posts that
 * fit the budget, or the posts read most recently. Skeleton rows stand in only until the
 * counters first answer.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { PopupState } from '@/utils/state/popup-state';
import { BudgetFilter } from './BudgetFilter';
import { lazy } from './lazy';
import { SectionList } from './SectionList';
import { Skeleton } from './VirtualList';

// Shown on request only: loaded with import() then (and fetched once the first rows are on screen).
export const BudgetList = lazy(() => import('./BudgetList').then((module) => module.BudgetList));
export const ReadList = lazy(() => import('./ReadList').then((module) => module.ReadList));

/** Which list the tab shows: the sections, a budget in minutes, or the read posts. */
type View = 'sections' | 'read' | number;

export function UnreadList({
  state,
  onAddBlog,
  onReady,
}: {
  state: PopupState;
  onAddBlog: () => void;
  /** The tab's first content is on screen (rows, or an empty state). */
  onReady: () => void;
}) {
  const view = useSignal<View>('sections');
  const loaded = state.loaded.value;
  const hasBlogs = state.feeds.value.length > 0;
  useEffect(() => {
    if (loaded && !hasBlogs) onReady();
  }, [loaded, hasBlogs, onReady]);

  if (loaded && !hasBlogs) {
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
  const shown = view.value;
  return (
    <>
      <div class="toolbar">
        <BudgetFilter
          selected={typeof shown === 'number' ? shown : undefined}
          onSelect={(minutes) => (view.value = minutes ?? 'sections')}
        />
        <button
          type="button"
          class="small"
          aria-pressed={shown === 'read'}
          onClick={() => (view.value = shown === 'read' ? 'sections' : 'read')}
        >
          Show read
        </button>
        <button
          type="button"
          class="small"
          disabled={state.unreadTotal.value === 0}
          onClick={() => void state.markAllRead()}
        >
          Mark all read
        </button>
      </div>
      {!loaded ? (
        <Skeleton />
      ) : shown === 'read' ? (
        <ReadList state={state} />
      ) : typeof shown === 'number' ? (
        <BudgetList key={shown} state={state} maxMinutes={shown} />
      ) : (
        <SectionList state={state} onReady={onReady} />
      )}
    </>
  );
}
