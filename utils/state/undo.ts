/**
 * One undo offer at a time ("Marked 12 posts read. Undo"), shared by the popup and the reading
 * list. An offer lasts a few seconds, then expires; a new offer replaces the old one (the old
 * change stays done, as in every mail client). `run` performs the undo once.
 */
import { signal, type ReadonlySignal } from '@preact/signals';

/** How long an undo stays on offer. */
export const UNDO_MS = 8000;

export interface UndoOffer {
  /** What was done, in words: "Marked 12 posts read." */
  message: string;
  /** Increases with every offer, so a view can tell a new offer from the same one. */
  id: number;
}

export interface UndoState {
  /** The offer on screen; undefined when there is none. */
  readonly current: ReadonlySignal<UndoOffer | undefined>;
  /** Offers to undo what was just done; `undo` runs at most once. */
  offer(message: string, undo: () => Promise<void>, ms?: number): void;
  /** Undoes the current offer (no-op without one). Rejects when the undo itself fails. */
  run(): Promise<void>;
  dismiss(): void;
  dispose(): void;
}

export function createUndo(): UndoState {
  const current = signal<UndoOffer | undefined>(undefined);
  let pending: (() => Promise<void>) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;

  function dismiss() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
    current.value = undefined;
  }

  return {
    current,
    offer(message, undo, ms = UNDO_MS) {
      dismiss();
      pending = undo;
      current.value = { message, id: nextId++ };
      timer = setTimeout(dismiss, ms);
    },
    async run() {
      const undo = pending;
      dismiss();
      if (undo) await undo();
    },
    dismiss,
    dispose: dismiss,
  };
}
