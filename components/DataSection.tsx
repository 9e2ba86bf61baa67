/**
 * The Data section's controls (loaded with their code on demand): OPML import with a preview
 * and "Follow N blogs", OPML export, backup and restore, and "Delete everything". A chosen
 * file is read at once and the input cleared, so the same file can be chosen again.
 */
import { plural } from '@/utils/format';
import type { DataState, InputFile } from '@/utils/state/data-state';

/** The file chosen in a file input (then cleared), or undefined. */
function takeFile(event: Event): InputFile | undefined {
  const input = event.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  return file;
}

export function DataSection({ state }: { state: DataState }) {
  const preview = state.opmlPreview.value;
  const busy = state.busy.value;
  return (
    <div class="data">
      <p role="status" class="status data-status" dir="auto">
        {state.status.value}
      </p>

      <h3>Blogs as OPML</h3>
      <p class="hint">
        OPML is the list of blogs other feed readers import and export. Folders become tags.
      </p>
      <div class="data-actions">
        <label class="file-button">
          Import OPML…
          <input
            type="file"
            accept=".opml,.xml,text/x-opml,application/xml,text/xml"
            disabled={busy}
            onChange={(event) => {
              const file = takeFile(event);
              if (file) void state.previewOpml(file);
            }}
          />
        </label>
        <button type="button" disabled={busy} onClick={() => void state.exportOpml()}>
          Export OPML
        </button>
      </div>
      {preview && (
        <div class="opml-preview" aria-label={`Import from ${preview.fileName}`} role="group">
          <p dir="auto">{preview.summary}</p>
          {preview.fresh.length > 0 && (
            <button
              type="button"
              class="primary"
              disabled={busy}
              // Synchronous: following asks for every new blog's site inside this click.
              onClick={() => void state.followImported()}
            >
              {`Follow ${plural(preview.fresh.length, 'blog')}`}
            </button>
          )}{' '}
          <button type="button" disabled={busy} onClick={() => state.cancelImport()}>
            Cancel import
          </button>
        </div>
      )}

      <h3>Backup</h3>
      <p class="hint">
        Everything in one file: blogs, posts and what you read, the reading list and settings.
      </p>
      <div class="data-actions">
        <button type="button" disabled={busy} onClick={() => void state.backUp()}>
          Back up
        </button>
        <label class="file-button">
          Restore from backup…
          <input
            type="file"
            accept=".json,application/json"
            disabled={busy}
            onChange={(event) => {
              const file = takeFile(event);
              if (file) void state.restore(file);
            }}
          />
        </label>
      </div>

      {state.restoredWithoutAccess.value.length > 0 && (
        <p class="restore-access">
          <button
            type="button"
            class="primary"
            disabled={busy}
            // Synchronous: asks for every restored blog's site inside this click.
            onClick={() => void state.allowRestored()}
          >
            {`Allow access to ${plural(state.restoredWithoutAccess.value.length, 'site')}`}
          </button>{' '}
          so Dispatch can check the restored blogs.
        </p>
      )}

      <h3>Delete everything</h3>
      <p class="hint">
        Removes all blogs, posts, the reading list and settings from this browser, and gives back
        access to the blogs’ sites.
      </p>
      <button type="button" class="danger" disabled={busy} onClick={() => void state.deleteAll()}>
        Delete everything
      </button>
    </div>
  );
}
