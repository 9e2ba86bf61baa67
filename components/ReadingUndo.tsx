/**
 * The undo on offer ("Removed “…”. Undo"), in a live region so it is heard as well as seen.
 * The region is always there (an empty live region announces what later appears in it).
 */
import type { ReadingState } from '@/utils/state/reading-state';

export function ReadingUndo({ state }: { state: Pick<ReadingState, 'undo' | 'runUndo'> }) {
  const offer = state.undo.current.value;
  return (
    <div class="reading-undo" aria-live="polite">
      {offer && (
        <>
          <span>{offer.message}</span>
          <button type="button" onClick={() => void state.runUndo()}>
            Undo
          </button>
        </>
      )}
    </div>
  );
}
