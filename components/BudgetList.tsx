/**
 * The reading-time budget's list: the unread posts whose reading time fits in the minutes
 * chosen, shortest first, with how many fit and their minutes added up.
 */
import { useEffect, useMemo } from 'preact/hooks';
import type { PopupState } from '@/utils/state/popup-state';
import { ListHeader } from './CategorySection';
import { PostRow, PROBE_BLOG, PROBE_POST, postCommand } from './PostRow';
import { Skeleton, VirtualList } from './VirtualList';

export function BudgetList({ state, maxMinutes }: { state: PopupState; maxMinutes: number }) {
  const budget = useMemo(() => state.budget(maxMinutes), [state, maxMinutes]);
  useEffect(() => () => budget.dispose(), [budget]);
  const fits = budget.fits.value;
  if (!fits) return <Skeleton />;
  const title = `Fits in ${maxMinutes} min`;
  if (fits.count === 0) return <p class="empty">{`Nothing unread fits in ${maxMinutes} min.`}</p>;

  return (
    <VirtualList
      groups={[{ key: 'budget', label: title, rows: fits.count, rowsId: 'budget-rows' }]}
      probeKind="post"
      probe={<PostRow post={PROBE_POST} blogName={PROBE_BLOG} state={state} />}
      header={() => <ListHeader title={title} count={fits.count} minutes={fits.minutes} />}
      row={(_group, index, slot) => {
        const post = budget.rows.at(index);
        return post && <PostRow key={post.id} post={post} state={state} slot={slot} />;
      }}
      onShow={(_group, start, end) => budget.rows.show(start, end)}
      onCommand={(command, _group, index) => {
        const post = budget.rows.at(index);
        return !!post && postCommand(command, post, state);
      }}
    />
  );
}
