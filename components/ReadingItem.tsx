/**
 * One reading-list entry: its link, what it is, and Finished / Remove. The title and the blog
 * name are text only, each in its own `dir="auto"` element (D33, D37).
 */
import type { ReadingListItem } from '@/utils/db/types';
import { OpenLink } from '@/components/OpenLink';
import { formatDate } from '@/utils/format';
import { formatReadingTime } from '@/utils/reading-time';
import type { PopupState } from '@/utils/state/popup-state';
import { safeHttpUrl } from '@/utils/url';
import { withoutBidiControls } from './bidi';

export type ReadingActions = Pick<PopupState, 'openItem' | 'finishItem' | 'removeItem'>;

export function ReadingItem({ item, actions }: { item: ReadingListItem; actions: ReadingActions }) {
  const href = safeHttpUrl(item.url);
  const title = item.title.trim() || withoutBidiControls(item.url);
  const finished = item.doneAt !== 0;
  const facts = [
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
      {(item.source || facts) && (
        <p class="meta">
          {item.source && <span dir="auto">{item.source}</span>}
          {item.source && facts && ' · '}
          {facts}
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
