/**
 * The options page's Data section: OPML import (a preview first, then one click that asks for
 * every new blog's site in one prompt and follows them) and export, the full JSON backup and its
 * restore (a bad or foreign file changes nothing), and "Delete everything". Loaded with its code
 * on demand (`OptionsState.loadData`). Files come in as `Blob`s from a file input and go out
 * through `downloadFile`.
 */
import { signal, type ReadonlySignal } from '@preact/signals';
import {
  backupFileName,
  createBackup,
  parseBackup,
  restoreBackup,
  serializeBackup,
  type Backup,
} from '@/utils/backup';
import { refreshBadge } from '@/utils/badge';
import {
  askForOrigins,
  permissions as browserPermissions,
  type OptionalPermissionsAdapter,
  type PermissionsAdapter,
} from '@/utils/browser/permissions';
import { getDb, type DispatchDb } from '@/utils/db/db';
import { feedIdentityKey, feedsByIdentity, listFeeds } from '@/utils/db/feeds';
import { deleteEverything } from '@/utils/db/wipe';
import { downloadFile, type DownloadFile } from '@/utils/export/download';
import { errorMessage, formatDate, originPattern, plural } from '@/utils/format';
import { sendMessage } from '@/utils/messaging';
import {
  describeOpmlExport,
  importOpml,
  opmlExportable,
  parseOpml,
  serializeOpml,
  type OpmlOutline,
} from '@/utils/opml';
import { logError, type ErrorReporter } from '@/utils/state/live';
import { nudgeSync } from '@/utils/state/settings-state';

/** The question "Delete everything" asks (docs/ui-contract.md). */
export const DELETE_EVERYTHING_QUESTION =
  'Delete all blogs, posts, your reading list and settings from this browser? This cannot be undone.';

/** The functions of utils/opml.ts, utils/backup.ts and utils/db/wipe.ts the section uses. */
export interface DataOperations {
  parseOpml: typeof parseOpml;
  serializeOpml: typeof serializeOpml;
  importOpml: typeof importOpml;
  createBackup: typeof createBackup;
  parseBackup: typeof parseBackup;
  restoreBackup: typeof restoreBackup;
  backupFileName: typeof backupFileName;
  deleteEverything: typeof deleteEverything;
}

const OPERATIONS: DataOperations = {
  parseOpml,
  serializeOpml,
  importOpml,
  createBackup,
  parseBackup,
  restoreBackup,
  backupFileName,
  deleteEverything,
};

export interface DataStateOptions {
  db?: DispatchDb;
  now?: () => number;
  permissions?: PermissionsAdapter & Partial<OptionalPermissionsAdapter>;
  send?: typeof sendMessage;
  confirm?: (question: string) => boolean;
  badge?: (db: DispatchDb) => Promise<unknown>;
  /** Whether sync is on (changes are then followed by `syncNow`). */
  syncOn?: () => Promise<boolean>;
  download?: DownloadFile;
  operations?: Partial<DataOperations>;
  onError?: ErrorReporter;
}

/** A file to read: what a file input gives (`File`), or any `Blob` with a name. */
export type InputFile = Blob & { name?: string };

/** What an OPML file holds, before anything is followed. */
export interface OpmlPreview {
  fileName: string;
  /** The feeds not followed yet, each once: what "Follow N blogs" follows. */
  fresh: OpmlOutline[];
  /** Addresses already followed. */
  followed: string[];
  /** Addresses listed more than once in the file (after their first listing; their tags merged). */
  repeated: string[];
  /** Entries that could not be read, in words. */
  problems: string[];
  /** "12 blogs found: 9 new, 2 already followed, 1 could not be read: …" */
  summary: string;
}

export interface DataState {
  /** What the last action did or why it failed, in words. */
  status: ReadonlySignal<string>;
  /** An action is running. */
  busy: ReadonlySignal<boolean>;
  /** The OPML file read, waiting for "Follow N blogs". */
  opmlPreview: ReadonlySignal<OpmlPreview | undefined>;
  /** Reads an OPML file and shows what following it would do (nothing is written). */
  previewOpml(file: InputFile): Promise<void>;
  /**
   * Follows the preview's new blogs. Call it directly from the click: it asks for all their
   * sites in one prompt first. Then polls them and says what it found.
   */
  followImported(): Promise<boolean>;
  cancelImport(): void;
  exportOpml(): Promise<void>;
  backUp(): Promise<void>;
  /** Reads a backup; bad: says why (nothing changes); good: asks, then restores it. */
  restore(file: InputFile): Promise<boolean>;
  /**
   * After a restore: the sites of restored blogs that Dispatch has no access to (origin
   * patterns). Access can only be asked for in a click, and the restore ran after a file
   * choice and a confirmation, so the page offers "Allow access to N sites" for these.
   */
  restoredWithoutAccess: ReadonlySignal<string[]>;
  /** Asks for `restoredWithoutAccess` (call it from the click), then checks those blogs. */
  allowRestored(): Promise<boolean>;
  /** Asks, then deletes every record and setting and gives back the sites' access. */
  deleteAll(): Promise<boolean>;
  dispose(): void;
}

/** "dispatch-blogs-2026-11-29.opml". */
export function opmlFileName(now: number): string {
  return `dispatch-blogs-${new Date(now).toISOString().slice(0, 10)}.opml`;
}

/** Problems the summary line names; the others are counted ("and 4 more"). */
export const PROBLEMS_SHOWN = 3;

/** The preview's summary line; at most {@link PROBLEMS_SHOWN} problems are named. */
export function describeOpmlPreview(
  preview: Pick<OpmlPreview, 'fresh' | 'followed' | 'repeated' | 'problems'>,
): string {
  const found =
    preview.fresh.length +
    preview.followed.length +
    preview.repeated.length +
    preview.problems.length;
  if (found === 0) return 'No blogs found in this file.';
  const parts = [`${preview.fresh.length} new`];
  if (preview.followed.length > 0) parts.push(`${preview.followed.length} already followed`);
  if (preview.repeated.length > 0) parts.push(`${preview.repeated.length} listed twice`);
  if (preview.problems.length > 0) {
    const shown = preview.problems.slice(0, PROBLEMS_SHOWN).join('; ');
    const more = preview.problems.length - PROBLEMS_SHOWN;
    parts.push(
      `${preview.problems.length} could not be read: ${shown}${more > 0 ? `; and ${more} more` : ''}`,
    );
  }
  const text = `${plural(found, 'blog')} found: ${parts.join(', ')}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const PARTS: Record<string, string> = {
  feeds: 'blog',
  posts: 'post',
  readingList: 'reading-list item',
};

/** "3 blogs, 120 posts, 8 reading-list items and your settings": what a backup holds. */
export function describeBackup(backup: Backup): string {
  const parts: string[] = [];
  for (const [name, noun] of Object.entries(PARTS)) {
    const part = (backup as unknown as Record<string, unknown>)[name];
    if (Array.isArray(part)) parts.push(plural(part.length, noun));
  }
  if (backup.settings && typeof backup.settings === 'object') parts.push('your settings');
  if (parts.length === 0) return 'nothing Dispatch can restore';
  if (parts.length === 1) return parts[0]!;
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

const MB = 1024 * 1024;

/**
 * The largest files read, in bytes. A list of 5,000 blogs (all an OPML import reads) is under
 * 2 MB; a backup of 50,000 posts is about 27 MB. Anything larger is not what it says, and
 * reading it would hold the whole file in the page's memory.
 */
export const MAX_FILE_BYTES = { opml: 10 * MB, backup: 200 * MB } as const;

/** A file's size in words, rounded up (so never equal to a limit it passed): "12.3 MB", "850 KB". */
function fileSize(bytes: number): string {
  if (bytes >= MB) return `${(Math.ceil((bytes / MB) * 10) / 10).toLocaleString('en-US')} MB`;
  return `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;
}

/** Why a file is too large to read ("… is 12.3 MB; …"), or undefined when it is not. */
export function fileTooLarge(
  file: InputFile,
  kind: keyof typeof MAX_FILE_BYTES,
): string | undefined {
  const max = MAX_FILE_BYTES[kind];
  if (file.size <= max) return undefined;
  const what = kind === 'opml' ? 'an OPML file' : 'a backup';
  return `${file.name ?? 'The file'} is ${fileSize(file.size)}, more than the ${fileSize(max)} ${what} can be; it was not read. Nothing was changed.`;
}

function readText(file: InputFile): Promise<string> {
  return file.text();
}

export function createDataState({
  db = getDb(),
  now = Date.now,
  permissions = browserPermissions,
  send = sendMessage,
  confirm = (question) => window.confirm(question),
  badge = refreshBadge,
  syncOn,
  download = downloadFile,
  operations = {},
  onError = logError,
}: DataStateOptions = {}): DataState {
  const ops: DataOperations = { ...OPERATIONS, ...operations };
  const status = signal('');
  const busy = signal(false);
  const opmlPreview = signal<OpmlPreview | undefined>(undefined);
  const restoredWithoutAccess = signal<string[]>([]);
  const afterSyncedChange = () => nudgeSync(send, syncOn, onError);

  function fail(what: string, error: unknown): void {
    status.value = `${what}: ${errorMessage(error)}`;
    onError(error);
  }

  /** Runs `work` with `busy` set; a failure is said as "<what>: <error>". */
  async function run<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    try {
      return await work();
    } catch (error) {
      fail(what, error);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  async function previewOpml(file: InputFile): Promise<void> {
    const fileName = file.name ?? 'The file';
    opmlPreview.value = undefined;
    const tooLarge = fileTooLarge(file, 'opml');
    if (tooLarge) {
      status.value = tooLarge;
      return;
    }
    await run(`Could not read ${fileName}`, async () => {
      let parsed;
      try {
        parsed = ops.parseOpml(await readText(file));
      } catch (error) {
        status.value = `${fileName} could not be read: ${errorMessage(error)}`;
        return;
      }
      const followed = await feedsByIdentity(db);
      const preview: Omit<OpmlPreview, 'summary'> = {
        fileName,
        fresh: [],
        followed: [],
        // parseOpml lists each feed once; a feed's later listings are its `duplicates`.
        repeated: [...(parsed.duplicates ?? [])],
        problems: parsed.problems,
      };
      for (const outline of parsed.feeds) {
        if (followed.has(identity(outline.url))) preview.followed.push(outline.url);
        else preview.fresh.push(outline);
      }
      const summary = describeOpmlPreview(preview);
      opmlPreview.value = { ...preview, summary };
      status.value = summary;
    });
  }

  function followImported(): Promise<boolean> {
    const preview = opmlPreview.peek();
    if (!preview || preview.fresh.length === 0) return Promise.resolve(false);
    const origins = [...new Set(preview.fresh.map((outline) => originPattern(outline.url)))];
    // In the click, before any await: one prompt for every site.
    const granted = requestAccess(origins);
    return run('Could not follow the blogs', async () => {
      if (!(await granted)) {
        status.value = 'Access to the blogs’ sites was not granted; nothing was imported.';
        return false;
      }
      const { added, duplicates } = await ops.importOpml(db, preview.fresh, now());
      opmlPreview.value = undefined;
      const skipped = duplicates.length > 0 ? ` (${duplicates.length} already followed)` : '';
      status.value = `Following ${plural(added.length, 'new blog')}${skipped}; checking them now…`;
      await badge(db);
      afterSyncedChange();
      const summary = await send('pollNow', { due: true });
      const failed =
        summary.failed > 0 ? `; ${plural(summary.failed, 'blog')} could not be checked` : '';
      status.value = `Followed ${plural(added.length, 'new blog')}${skipped}: ${plural(summary.newPosts, 'new post')}${failed}.`;
      return true;
    }).then((done) => done ?? false);
  }

  /** Requests access now, in the caller's user gesture; a rejection counts as a refusal. */
  const requestAccess = (origins: string[]) => askForOrigins(permissions, origins, onError);

  async function exportOpml(): Promise<void> {
    await run('Could not export your blogs', async () => {
      const feeds = await listFeeds(db);
      const at = now();
      const name = opmlFileName(at);
      // A blog followed through its page has no feed address for OPML to hold: it is left
      // out, and the status line says so (and that a backup keeps it).
      if (opmlExportable(feeds).length > 0) {
        download({ name, type: 'text/x-opml', text: ops.serializeOpml(feeds, at) });
      }
      status.value = describeOpmlExport(feeds, name);
    });
  }

  async function backUp(): Promise<void> {
    await run('Could not back up', async () => {
      const at = now();
      const backup = await ops.createBackup(db, at);
      const name = ops.backupFileName(at);
      download({ name, type: 'application/json', text: serializeBackup(backup) });
      status.value = `Saved ${describeBackup(backup)} to ${name}.`;
    });
  }

  async function restore(file: InputFile): Promise<boolean> {
    const fileName = file.name ?? 'The file';
    const tooLarge = fileTooLarge(file, 'backup');
    if (tooLarge) {
      status.value = tooLarge;
      return false;
    }
    const done = await run(`Could not restore ${fileName}`, async () => {
      const parsed = ops.parseBackup(await readText(file), now());
      if (!parsed.ok) {
        status.value = `${parsed.message} Nothing was changed.`;
        return false;
      }
      const { backup } = parsed;
      const made = Date.parse(backup.exportedAt);
      const from = Number.isFinite(made) ? ` of ${formatDate(made)}` : '';
      const question = `Restore the backup${from}? It holds ${describeBackup(backup)}, merged into what Dispatch holds now.`;
      if (!confirm(question)) {
        status.value = 'Nothing was restored.';
        return false;
      }
      status.value = `Restoring ${fileName}…`;
      const summary = await ops.restoreBackup(db, backup, now());
      await badge(db);
      afterSyncedChange();
      status.value = summary.message;
      restoredWithoutAccess.value = await originsWithoutAccess(backup);
      return true;
    });
    return done ?? false;
  }

  /** The restored blogs' sites that Dispatch holds no access to, each once. */
  async function originsWithoutAccess(backup: Backup): Promise<string[]> {
    const feeds = (backup as { feeds?: { url?: unknown }[] }).feeds ?? [];
    const origins = new Set<string>();
    for (const feed of feeds) {
      if (typeof feed.url === 'string') origins.add(originPattern(feed.url));
    }
    const missing: string[] = [];
    for (const origin of origins) {
      if (!(await permissions.hasOrigins([origin]).catch(() => false))) missing.push(origin);
    }
    return missing;
  }

  function allowRestored(): Promise<boolean> {
    const origins = restoredWithoutAccess.peek();
    if (origins.length === 0) return Promise.resolve(false);
    // In the click, before any await: one prompt for every site.
    const granted = requestAccess(origins);
    return run('Could not check the restored blogs', async () => {
      if (!(await granted)) {
        status.value =
          'Access was not granted: the restored blogs stay unchecked until you allow it (“Check now” asks again).';
        return false;
      }
      restoredWithoutAccess.value = [];
      status.value = 'Checking the restored blogs…';
      const summary = await send('pollNow', { due: true });
      await badge(db);
      status.value = `Checked the restored blogs: ${plural(summary.newPosts, 'new post')}.`;
      return true;
    }).then((done) => done ?? false);
  }

  async function deleteAll(): Promise<boolean> {
    if (!confirm(DELETE_EVERYTHING_QUESTION)) return false;
    const done = await run('Could not delete everything', async () => {
      opmlPreview.value = undefined;
      await ops.deleteEverything(db);
      let access = '';
      try {
        const origins = (await permissions.grantedOptionalOrigins?.()) ?? [];
        if (origins.length > 0) await permissions.removeOrigins?.(origins);
      } catch (error) {
        onError(error);
        access =
          ' Access to the blogs’ sites could not be given back; remove it in the browser’s extension settings.';
      }
      await badge(db);
      status.value = `Deleted all blogs, posts, your reading list and settings.${access}`;
      return true;
    });
    return done ?? false;
  }

  return {
    status,
    busy,
    opmlPreview,
    previewOpml,
    followImported,
    cancelImport() {
      opmlPreview.value = undefined;
      status.value = 'Nothing was imported.';
    },
    exportOpml,
    backUp,
    restore,
    restoredWithoutAccess,
    allowRestored,
    deleteAll,
    dispose() {},
  };
}

/** `feedIdentityKey`, or the address itself when it is not a URL. */
function identity(url: string): string {
  try {
    return feedIdentityKey(url);
  } catch {
    return url;
  }
}
