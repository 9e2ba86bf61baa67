/**
 * Test-only reader of Netscape bookmarks HTML, the way a browser's importer walks it: folders
 * are `<H3>` headings followed by a `<DL>`, bookmarks are `<A>` (attributes HREF, ADD_DATE,
 * LAST_MODIFIED) and a `<DD>` after one is its description. Entities are decoded as HTML does.
 */
import { Parser } from 'htmlparser2';

export interface ReadBookmark {
  /** Folder names from the outermost, e.g. ['Dispatch reading list', 'Finished']. */
  folders: string[];
  url: string;
  title: string;
  /** ADD_DATE, in seconds. */
  added: number;
  /** LAST_MODIFIED, in seconds, when present. */
  modified?: number;
  note?: string;
}

export function readBookmarks(html: string): ReadBookmark[] {
  const bookmarks: ReadBookmark[] = [];
  const folders: string[] = [];
  let pendingFolder: string | undefined;
  let text = '';
  let reading: 'folder' | 'bookmark' | 'note' | undefined;
  let current: ReadBookmark | undefined;

  const endNote = () => {
    if (reading === 'note' && current) current.note = text.trim();
    if (reading === 'note') reading = undefined;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        endNote();
        if (name === 'h3') {
          reading = 'folder';
          text = '';
        } else if (name === 'dl' && pendingFolder !== undefined) {
          folders.push(pendingFolder);
          pendingFolder = undefined;
        } else if (name === 'a') {
          reading = 'bookmark';
          text = '';
          current = {
            folders: [...folders],
            url: attributes.href ?? '',
            title: '',
            added: Number(attributes.add_date),
            ...(attributes.last_modified && { modified: Number(attributes.last_modified) }),
          };
          bookmarks.push(current);
        } else if (name === 'dd') {
          reading = 'note';
          text = '';
        }
      },
      ontext(chunk) {
        if (reading) text += chunk;
      },
      onclosetag(name) {
        if (name === 'h3' && reading === 'folder') {
          pendingFolder = text.trim();
          reading = undefined;
        } else if (name === 'a' && reading === 'bookmark' && current) {
          current.title = text;
          reading = undefined;
        } else if (name === 'dd') {
          endNote();
        } else if (name === 'dl') {
          endNote();
          folders.pop();
        }
      },
    },
    { lowerCaseAttributeNames: true, decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return bookmarks;
}
