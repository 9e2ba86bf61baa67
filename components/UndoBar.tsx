/**
 * The undo offer on screen ("Marked 12 posts read." Undo), in a live region so that a screen
 * reader hears what was done; empty (but present) when there is nothing to undo.
 */
import type { UndoState } from '@/utils/state/undo';

export function UndoBar({ undo, onUndo }: { undo: UndoState; onUndo: () => unknown }) {
  const offer = undo.current.value;
  return (
    <div class="undo" aria-live="polite">
      {offer && (
        <>
          <span>{offer.message}</span>
          <button type="button" class="small" onClick={() => void onUndo()}>
            Undo
          </button>
        </>
      )}
    </div>
  );
}
