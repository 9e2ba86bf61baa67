/**
 * The Reading list tab: "Save this page" (the tab the popup was opened over) and the reading
 * list's own panel (`ReadingListPanel`, with its own status line), over the reading list's
 * state (`createReadingState`, sharing the popup's undo), loaded with their code on first use.
 */
import { useEffect } from 'preact/hooks';
import type { PopupState } from '@/utils/state/popup-state';
import { ReadingListPanel } from './ReadingListPanel';

export function ReadingTab({ state }: { state: PopupState }) {
  useEffect(() => {
    void state.loadReading();
  }, [state]);
  const reading = state.reading.value;
  if (!reading) return null;
  return (
    <div class="reading-tab">
      <button type="button" class="small save-page" onClick={() => void reading.saveCurrentTab()}>
        Save this page
      </button>
      <ReadingListPanel state={reading} />
    </div>
  );
}
