/** "Show read": the posts read most recently first, each with Mark unread. */
import { useEffect, useMemo } from 'preact/hooks';
import { PAGE_SIZE, type PopupState } from '@/utils/state/popup-state';
import { ListHeader } from './CategorySection';
import { PostRow, PROBE_BLOG, PROBE_POST, postCommand } from './PostRow';
import { Skeleton, VirtualList } from './VirtualList';

export function ReadList({ state }: { state: PopupState }) {
  const rows = useMemo(() => state.readRows(), [state]);
  useEffect(() => {
    rows.show(0, PAGE_SIZE);
    return () => rows.dispose();
  }, [rows]);
  const length = rows.length.value;
  if (length === undefined) return <Skeleton />;
  if (length === 0) return <p class="empty">No post read yet.</p>;

  return (
    <VirtualList
      groups={[{ key: 'read', label: 'Recently read', rows: length, rowsId: 'read-rows' }]}
      probeKind="post"
      probe={<PostRow post={PROBE_POST} blogName={PROBE_BLOG} state={state} />}
      header={() => <ListHeader title="Recently read" />}
      row={(_group, index, slot) => {
        const post = rows.at(index);
        return post && <PostRow key={post.id} post={post} state={state} slot={slot} />;
      }}
      onShow={(_group, start, end) => rows.show(start, end)}
      onCommand={(command, _group, index) => {
        const post = rows.at(index);
        return !!post && postCommand(command, post, state);
      }}
    />
  );
}
