/** The reading list: items to read in the order saved, then the finished ones. */
import type { ReadingListItem } from '@/utils/db/types';
import { ReadingItem, type ReadingActions } from './ReadingItem';

export function ReadingList({
  items,
  finished,
  actions,
}: {
  items: ReadingListItem[];
  finished: ReadingListItem[];
  actions: ReadingActions;
}) {
  if (items.length === 0 && finished.length === 0) {
    return <p class="empty">Nothing saved yet.</p>;
  }
  return (
    <>
      {items.length > 0 ? (
        <ol aria-label="Reading list" class="reading-list">
          {items.map((item) => (
            <ReadingItem key={item.id} item={item} actions={actions} />
          ))}
        </ol>
      ) : (
        <p class="empty">Nothing left to read.</p>
      )}
      {finished.length > 0 && (
        <>
          <h2 class="finished-heading">Finished</h2>
          <ol aria-label="Finished" class="reading-list">
            {finished.map((item) => (
              <ReadingItem key={item.id} item={item} actions={actions} />
            ))}
          </ol>
        </>
      )}
    </>
  );
}
