/** One reading-list entry: its link, what it is, and Finished / Remove. */
import type { ReadingListItem } from '@/utils/db/types';
import { OpenLink } from '@/components/OpenLink';
import { formatDate } from '@/utils/format';
import { formatReadingTime } from '@/utils/reading-time';
import type { PopupState } from '@/utils/state/popup-state';
import { safeHttpUrl } from '@/utils/url';

export type ReadingActions = Pick<PopupState, 'openItem' | 'finishItem' | 'removeItem'>;

export function ReadingItem({ item, actions }: { item: ReadingListItem; actions: ReadingActions }) {
  const href = safeHttpUrl(item.url);
  const title = item.title.trim() || item.url;
  const finished = item.doneAt !== 0;
  const meta = [
    item.source,
    !finished && item.minutes ? formatReadingTime(item.minutes) : '',
    finished ? `finished ${formatDate(item.doneAt)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <li class="reading-item">
      <span class="title" dir="auto">
        <OpenLink href={href} text={title} onOpen={() => actions.openItem(item)} />
      </span>
      {meta && (
        <p class="meta" dir="auto">
          {meta}
        </p>
      )}
      <div class="actions">
        {!finished && (
          <button type="button" onClick={() => void actions.finishItem(item)}>
            Finished
          </button>
        )}
        <button type="button" onClick={() => void actions.removeItem(item)}>
          Remove
        </button>
      </div>
    </li>
  );
}
