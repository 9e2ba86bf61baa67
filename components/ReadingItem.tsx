/**
 * One reading-list entry: its link, what it is (blog · reading time, or the finished date),
 * its note, and its buttons — Move up / Move down (and `Alt+ArrowUp` / `Alt+ArrowDown` from
 * anything focused in the row), Finished or Not finished, Add/Edit note, Remove — each named
 * with the item's title. The row can be dragged (the list places it). Feed and page text
 * (title, blog name, note) is text only, each in its own `dir="auto"` element (D33, D37).
 */
import { useSignal } from '@preact/signals';
import type { TargetedKeyboardEvent } from 'preact';
import type { ReadingListItem } from '@/utils/db/types';
import { formatDate } from '@/utils/format';
import { formatReadingTime } from '@/utils/format';
import type { ReadingState } from '@/utils/state/reading-state';
import { safeHttpUrl } from '@/utils/url';
import { withoutBidiControls } from '@/utils/bidi';
import { OpenLink } from './OpenLink';
import { ReadingNoteEditor, ReadingNoteText } from './ReadingNote';

export type ReadingItemActions = Pick<
  ReadingState,
  'openItem' | 'finishItem' | 'unfinishItem' | 'removeItem' | 'saveNote'
>;

/** The item's place in a list that can be reordered. */
export interface ItemOrder {
  /** 0-based. */
  index: number;
  count: number;
  /** Moves the item to `toIndex` (past either end: the state says it cannot). */
  move(toIndex: number): void;
}

/** Drag and drop on the row, handled by the list. */
export interface ItemDrag {
  /** Where the dragged row would land, shown as a line on this row. */
  indicator?: 'before' | 'after';
  dragging: boolean;
  onDragStart(event: DragEvent): void;
  onDragOver(event: DragEvent, row: HTMLElement): void;
  onDrop(event: DragEvent): void;
  onDragEnd(): void;
}

/** The title to show: the address (without bidi controls) when the page had none. */
export function itemTitle(item: Pick<ReadingListItem, 'title' | 'url'>): string {
  return item.title.trim() || withoutBidiControls(item.url);
}

export function ReadingItem({
  item,
  actions,
  order,
  drag,
  onLeave,
}: {
  item: ReadingListItem;
  actions: ReadingItemActions;
  order?: ItemOrder;
  drag?: ItemDrag;
  /** Called before the item leaves this list (finished, put back or removed). */
  onLeave?: () => void;
}) {
  const editing = useSignal(false);
  const href = safeHttpUrl(item.url);
  const title = itemTitle(item);
  const finished = item.doneAt !== 0;
  const facts = [
    !finished && item.minutes ? formatReadingTime(item.minutes) : '',
    finished ? `finished ${formatDate(item.doneAt)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

  function onKeyDown(event: TargetedKeyboardEvent<HTMLLIElement>) {
    if (!order || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target instanceof HTMLInputElement) return;
    const step = event.key === 'ArrowUp' ? -1 : event.key === 'ArrowDown' ? 1 : 0;
    if (step === 0) return;
    event.preventDefault();
    order.move(order.index + step);
  }

  const leave = (action: (item: ReadingListItem) => Promise<void>) => () => {
    onLeave?.();
    void action(item);
  };

  const dropClass = drag?.indicator ? ` drop-${drag.indicator}` : '';
  return (
    <li
      class={`reading-item${drag?.dragging ? ' dragging' : ''}${dropClass}`}
      data-item-id={item.id}
      data-drop={drag?.indicator}
      draggable={drag && !editing.value ? true : undefined}
      onDragStart={drag && ((event) => drag.onDragStart(event))}
      onDragOver={drag && ((event) => drag.onDragOver(event, event.currentTarget))}
      onDrop={drag && ((event) => drag.onDrop(event))}
      onDragEnd={drag && (() => drag.onDragEnd())}
      onKeyDown={onKeyDown}
    >
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
      <ReadingNoteText note={item.note} />
      <div class="actions">
        {order && (
          <>
            <button
              type="button"
              class="reading-move"
              aria-label={`Move ${title} up`}
              aria-disabled={order.index === 0 ? 'true' : undefined}
              onClick={() => order.move(order.index - 1)}
            >
              <span aria-hidden="true">↑</span>
            </button>
            <button
              type="button"
              class="reading-move"
              aria-label={`Move ${title} down`}
              aria-disabled={order.index === order.count - 1 ? 'true' : undefined}
              onClick={() => order.move(order.index + 1)}
            >
              <span aria-hidden="true">↓</span>
            </button>
          </>
        )}
        {finished ? (
          <button
            type="button"
            aria-label={`Mark ${title} not finished`}
            onClick={leave(actions.unfinishItem)}
          >
            Not finished
          </button>
        ) : (
          <button
            type="button"
            aria-label={`Mark ${title} finished`}
            onClick={leave(actions.finishItem)}
          >
            Finished
          </button>
        )}
        <ReadingNoteEditor
          item={item}
          title={title}
          onSave={(note) => actions.saveNote(item, note)}
          onEditing={(value) => (editing.value = value)}
        />
        <button type="button" aria-label={`Remove ${title}`} onClick={leave(actions.removeItem)}>
          Remove
        </button>
      </div>
    </li>
  );
}
