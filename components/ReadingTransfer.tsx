/**
 * Export and import on the full-page view: the list as JSON (everything, for a restore),
 * Markdown or bookmarks HTML (for any browser's "Import bookmarks"), and "Import…" to add the
 * items of a JSON export. The file is handed to the state; what happened is said in words.
 */
import type { TargetedEvent } from 'preact';
import type { ReadingState } from '@/utils/state/reading-state';

const IMPORT_ID = 'reading-import';

export function ReadingTransfer({
  state,
}: {
  state: Pick<ReadingState, 'exportList' | 'importFile'>;
}) {
  function onImport(event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    void state.importFile(file).then(() => {
      // The same file can be chosen again.
      input.value = '';
    });
  }

  return (
    <section class="reading-transfer" aria-labelledby="reading-transfer-heading">
      <h2 id="reading-transfer-heading">Export and import</h2>
      <div class="reading-transfer-row">
        <button type="button" onClick={() => void state.exportList('json')}>
          Export JSON
        </button>
        <button type="button" onClick={() => void state.exportList('markdown')}>
          Export Markdown
        </button>
        <button type="button" onClick={() => void state.exportList('bookmarks')}>
          Export bookmarks (HTML)
        </button>
        <input
          id={IMPORT_ID}
          class="reading-file"
          type="file"
          accept=".json,application/json"
          onChange={onImport}
        />
        <label for={IMPORT_ID} class="reading-file-label">
          Import…
        </label>
      </div>
      <p class="meta">
        JSON keeps everything (order, notes, finished dates) and can be imported here; importing
        adds the pages that are not in your list yet.
      </p>
    </section>
  );
}
