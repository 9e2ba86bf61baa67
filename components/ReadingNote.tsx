/**
 * A reading-list item's one-line note: the note as text (`dir="auto"`), and "Add note" /
 * "Edit note" revealing a labelled input. Enter or Save keeps it, Escape or Cancel leaves it
 * as it was; focus returns to the button. The length is capped here and again when stored.
 */
import { useSignal } from '@preact/signals';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { NOTE_MAX_LENGTH } from '@/utils/db/reading-list';
import type { ReadingListItem } from '@/utils/db/types';

export function ReadingNoteText({ note }: { note?: string }) {
  if (!note) return null;
  return (
    <p class="reading-note">
      <span class="reading-note-label">Note: </span>
      <span dir="auto">{note}</span>
    </p>
  );
}

export function ReadingNoteEditor({
  item,
  title,
  onSave,
  onEditing,
}: {
  item: ReadingListItem;
  /** The item's title as shown, for the button's name. */
  title: string;
  onSave: (note: string) => unknown;
  /** Told when editing starts and ends (the row is not draggable meanwhile). */
  onEditing?: (editing: boolean) => void;
}) {
  const editing = useSignal(false);
  const draft = useSignal('');
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  /** Where focus goes after the next render: the input when opened, the button when closed. */
  const focusNext = useRef<'input' | 'button' | undefined>(undefined);
  const inputId = `reading-note-${item.id}`;

  useLayoutEffect(() => {
    const target = focusNext.current === 'input' ? input.current : toggle.current;
    if (focusNext.current && target) target.focus();
    focusNext.current = undefined;
  });

  function setEditing(value: boolean) {
    editing.value = value;
    focusNext.current = value ? 'input' : 'button';
    onEditing?.(value);
  }

  function open() {
    draft.value = item.note ?? '';
    setEditing(true);
  }

  function save() {
    void onSave(draft.value);
    setEditing(false);
  }

  if (!editing.value) {
    const verb = item.note ? 'Edit note' : 'Add note';
    return (
      <button
        ref={toggle}
        type="button"
        aria-label={item.note ? `Edit note on ${title}` : `Add note to ${title}`}
        data-control="note"
        onClick={open}
      >
        {verb}
      </button>
    );
  }

  return (
    <div class="reading-note-editor">
      <label for={inputId}>Note</label>
      <input
        ref={input}
        id={inputId}
        type="text"
        maxLength={NOTE_MAX_LENGTH}
        value={draft.value}
        onInput={(event) => (draft.value = event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            save();
          } else if (event.key === 'Escape') {
            // Kept from the page, so Escape in the popup cancels the note, not the popup.
            event.preventDefault();
            event.stopPropagation();
            setEditing(false);
          }
        }}
      />
      <button type="button" onClick={save}>
        Save note
      </button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </div>
  );
}
