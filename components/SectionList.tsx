/**
 * The Unread tab's sections: one per category with unread posts (from the counters), each with
 * its header and, unless collapsed, its posts newest first, read a page at a time as they come
 * into view. "All caught up." when nothing is unread.
 */
import { useEffect } from 'preact/hooks';
import type { PopupState } from '@/utils/state/popup-state';
import { SectionHeader } from './CategorySection';
import { PostRow, PROBE_BLOG, PROBE_POST, postCommand } from './PostRow';
import { VirtualList, type ListGroup } from './VirtualList';

export function SectionList({ state, onReady }: { state: PopupState; onReady?: () => void }) {
  const sections = state.sections.value;
  const collapsed = state.collapsed.value;
  const empty = sections.length === 0;
  useEffect(() => {
    if (empty) onReady?.();
  }, [empty, onReady]);
  if (empty) return <p class="empty">All caught up.</p>;

  const byKey = new Map(sections.map((section) => [section.key, section]));
  const groups: ListGroup[] = sections.map((section, index) => ({
    key: section.key,
    label: section.name,
    rows: collapsed.has(section.key) ? 0 : section.unread,
    rowsId: `unread-rows-${index}`,
  }));

  return (
    <VirtualList
      groups={groups}
      probeKind="post"
      probe={<PostRow post={PROBE_POST} blogName={PROBE_BLOG} state={state} />}
      header={(group) => {
        const section = byKey.get(group.key)!;
        return (
          <SectionHeader
            section={section}
            expanded={!collapsed.has(section.key)}
            rowsId={group.rowsId ?? ''}
            onToggle={() => state.toggleSection(section.key)}
            onMarkRead={() => void state.markSectionRead(section)}
          />
        );
      }}
      row={(group, index, slot) => {
        const post = state.sectionRows(group.key).at(index);
        return post && <PostRow key={post.id} post={post} state={state} slot={slot} />;
      }}
      onShow={(group, start, end) => state.sectionRows(group.key).show(start, end)}
      onReady={onReady}
      onCommand={(command, group, index) => {
        const section = byKey.get(group.key);
        if (command === 'section') return !!section && (void state.markSectionRead(section), true);
        const post = state.sectionRows(group.key).at(index);
        return !!post && postCommand(command, post, state);
      }}
    />
  );
}
