/**
 * The items still to read, in the user's order (`<ol aria-label="Reading list">`), reordered by
 * the rows' Move buttons, `Alt+ArrowUp/Down`, or drag and drop (HTML5: a line shows where the
 * row would land; dropping writes the new place in one transaction). Focus stays on the
 * control that moved the item, and goes to the next row's link when an item leaves the list.
 */
import { useSignal } from '@preact/signals';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ReadingListItem } from '@/utils/db/types';
import type { ReadingState } from '@/utils/state/reading-state';
import { ReadingItem, type ItemDrag } from './ReadingItem';

export type ReadingListState = Pick<
  ReadingState,
  'items' | 'moveItem' | 'openItem' | 'finishItem' | 'unfinishItem' | 'removeItem' | 'saveNote'
>;

/** Where a dragged row would land: before or after the row with `id`. */
interface DropTarget {
  id: number;
  after: boolean;
}

/**
 * The 0-based index a dragged item ends up at when dropped before or after the row at
 * `targetIndex` (indexes of the list as it is, the dragged item included).
 */
export function dropIndex(fromIndex: number, targetIndex: number, after: boolean): number {
  const insertAt = after ? targetIndex + 1 : targetIndex;
  return insertAt > fromIndex ? insertAt - 1 : insertAt;
}

export function ReadingList({
  state,
  describedBy,
}: {
  state: ReadingListState;
  /** The id of the text that explains how to reorder. */
  describedBy?: string;
}) {
  const items = state.items.value;
  const dragged = useSignal<number | undefined>(undefined);
  const target = useSignal<DropTarget | undefined>(undefined);
  const list = useRef<HTMLOListElement>(null);
  /** Run once the list has changed: puts focus back where the person was. */
  const afterChange = useRef<(() => void) | undefined>(undefined);

  // Before paint, so focus never visibly jumps to the page and back.
  useLayoutEffect(() => {
    const run = afterChange.current;
    afterChange.current = undefined;
    run?.();
  }, [items]);

  /** Keeps focus on `element` (or the row's first control) when its row is moved. */
  function keepFocus(element: Element | null) {
    if (!(element instanceof HTMLElement)) return;
    afterChange.current = () => {
      if (element.isConnected && document.activeElement !== element) element.focus();
    };
  }

  /** Focus moves to the next row's link (else the previous row's) when `item` leaves. */
  function focusNeighbour(item: ReadingListItem) {
    const index = items.indexOf(item);
    const neighbour = items[index + 1] ?? items[index - 1];
    afterChange.current = () => {
      if (!neighbour) return;
      list.current
        ?.querySelector<HTMLElement>(
          `[data-item-id="${neighbour.id}"] a, [data-item-id="${neighbour.id}"] button`,
        )
        ?.focus();
    };
  }

  function move(item: ReadingListItem, toIndex: number) {
    keepFocus(document.activeElement);
    void state.moveItem(item, toIndex);
  }

  function clearDrag() {
    dragged.value = undefined;
    target.value = undefined;
  }

  function dragFor(item: ReadingListItem, index: number): ItemDrag {
    const current = target.value;
    return {
      dragging: dragged.value === item.id,
      indicator:
        current?.id === item.id && dragged.value !== item.id
          ? current.after
            ? 'after'
            : 'before'
          : undefined,
      onDragStart(event) {
        dragged.value = item.id;
        if (event.dataTransfer) {
          event.dataTransfer.effectAllowed = 'move';
          event.dataTransfer.setData('text/plain', item.url);
        }
      },
      onDragOver(event, row) {
        if (dragged.value === undefined) return;
        event.preventDefault();
        if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
        const box = row.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        if (current?.id !== item.id || current.after !== after) {
          target.value = { id: item.id, after };
        }
      },
      onDrop(event) {
        const id = dragged.value;
        const after = target.value?.id === item.id ? target.value.after : false;
        clearDrag();
        const from = items.findIndex((candidate) => candidate.id === id);
        const moving = items[from];
        if (!moving) return;
        event.preventDefault();
        if (moving.id === item.id) return;
        void state.moveItem(moving, dropIndex(from, index, after));
      },
      onDragEnd: clearDrag,
    };
  }

  return (
    <ol
      ref={list}
      aria-label="Reading list"
      aria-describedby={describedBy}
      class="reading-list"
      onDragLeave={(event) => {
        const to = event.relatedTarget;
        if (!(to instanceof Node) || !list.current?.contains(to)) target.value = undefined;
      }}
    >
      {items.map((item, index) => (
        <ReadingItem
          key={item.id}
          item={item}
          actions={state}
          order={{ index, count: items.length, move: (to) => move(item, to) }}
          drag={dragFor(item, index)}
          onLeave={() => focusNeighbour(item)}
        />
      ))}
    </ol>
  );
}
