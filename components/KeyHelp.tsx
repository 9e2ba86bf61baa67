/**
 * The keys of the popup, in a modal `<dialog>` with a heading: opened with `?`, closed with
 * Escape or its Close button (the popup then returns focus where it was). Loaded on first use.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';

/** The keys `keys.ts` answers, as the dialog lists them. */
export const KEYS: ReadonlyArray<readonly [keys: string, does: string]> = [
  ['j or ↓', 'Next post'],
  ['k or ↑', 'Previous post'],
  ['Enter or o', 'Open the post'],
  ['m', 'Mark read / unread'],
  ['s', 'Save to the reading list'],
  ['Shift + A', "Mark the post's section read"],
  ['/', 'Search'],
  ['?', 'Show these keys'],
];

export function KeyHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    close.current?.focus();
    return () => element.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      class="key-help"
      aria-labelledby="key-help-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="key-help-title">Keyboard shortcuts</h2>
      <dl>
        {KEYS.map(([keys, does]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{does}</dd>
          </div>
        ))}
      </dl>
      <button ref={close} type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
