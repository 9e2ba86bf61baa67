/**
 * The reading list, as the popup's Reading list tab and as the full-page view (`full`): the
 * count and total minutes to read, the ordered list, the collapsed "Finished" section, and a
 * live status line for what each action did. The popup's version links to the full page; the
 * full page adds a heading, export and import, and the undo offer (the popup shows its own).
 * Loaded lazily by the popup, with its styles.
 */
import type { ComponentChildren } from 'preact';
import type { ReadingState } from '@/utils/state/reading-state';
import { ReadingFinished } from './ReadingFinished';
import { ReadingList } from './ReadingList';
import { ReadingTransfer } from './ReadingTransfer';
import { ReadingUndo } from './ReadingUndo';
import './reading.css';

const HINT_ID = 'reading-order-hint';

/** "7 to read · 31 min" (minutes left out while no item has an estimate). */
export function readingSummary(count: number, minutes: number): string {
  return minutes > 0 ? `${count} to read · ${minutes} min` : `${count} to read`;
}

export function ReadingListPanel({ state, full = false }: { state: ReadingState; full?: boolean }) {
  const items = state.items.value;
  const finished = state.finished.value;
  const ready = state.loaded.value && !state.readFailed.value;

  let body: ComponentChildren;
  if (!state.loaded.value) body = <div class="reading-loading" aria-busy="true" />;
  else if (!ready) body = null;
  else if (items.length === 0 && finished.length === 0) {
    body = <p class="empty">Nothing saved yet.</p>;
  } else {
    body = (
      <>
        {items.length > 0 ? (
          <>
            <ReadingList state={state} describedBy={HINT_ID} />
            <p id={HINT_ID} class="reading-hint">
              Reorder with ↑ and ↓, Alt+Arrow Up or Down in a row, or by dragging a row.
            </p>
          </>
        ) : (
          <p class="empty">Nothing left to read.</p>
        )}
        <ReadingFinished state={state} />
      </>
    );
  }

  const content = (
    <>
      <div class="reading-head">
        {full && <h1>Reading list</h1>}
        {ready && (
          <p class="reading-summary">{readingSummary(items.length, state.totalMinutes.value)}</p>
        )}
        {!full && (
          <a
            class="reading-open-full"
            href="reading.html"
            onClick={(event) => {
              event.preventDefault();
              void state.openFullPage();
            }}
          >
            Open full page
          </a>
        )}
      </div>
      <p role="status" class="reading-message">
        {state.message.value}
      </p>
      {full && <ReadingUndo state={state} />}
      {body}
      {full && ready && <ReadingTransfer state={state} />}
    </>
  );

  return full ? (
    <main class="reading-panel reading-full">{content}</main>
  ) : (
    <div class="reading-panel">{content}</div>
  );
}
