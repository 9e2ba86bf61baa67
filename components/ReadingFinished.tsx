/**
 * The finished items, under a heading that is a disclosure button ("Finished" and how many,
 * `aria-expanded`), collapsed at first: finished reading is history, not the list. Most
 * recently finished first, each with its date and "Not finished" to put it back.
 */
import { useSignal } from '@preact/signals';
import type { ReadingState } from '@/utils/state/reading-state';
import { ReadingItem } from './ReadingItem';

export type ReadingFinishedState = Pick<
  ReadingState,
  'finished' | 'openItem' | 'finishItem' | 'unfinishItem' | 'removeItem' | 'saveNote'
>;

const LIST_ID = 'reading-finished-list';

export function ReadingFinished({ state }: { state: ReadingFinishedState }) {
  const open = useSignal(false);
  const finished = state.finished.value;
  if (finished.length === 0) return null;

  return (
    <section class="reading-finished">
      <h2 class="finished-heading">
        <button
          type="button"
          class="reading-disclosure"
          aria-expanded={open.value ? 'true' : 'false'}
          aria-controls={LIST_ID}
          onClick={() => (open.value = !open.value)}
        >
          <span class="reading-chevron" aria-hidden="true">
            {open.value ? '▾' : '▸'}
          </span>
          Finished <span class="count">{finished.length}</span>
        </button>
      </h2>
      <ol id={LIST_ID} aria-label="Finished" class="reading-list" hidden={!open.value}>
        {open.value &&
          finished.map((item) => <ReadingItem key={item.id} item={item} actions={state} />)}
      </ol>
    </section>
  );
}
