/**
 * OPML import and export (issue 5): the list of blogs every feed reader reads and writes.
 *
 * Parsing is pure JS on our own XML scanner (`utils/feed/xml-scanner.ts`) with the feed
 * parser's entity decoding, so it runs in the service worker (no `DOMParser`) and in Node
 * tests. It reads what readers actually export, not only what the spec says: any nesting of
 * folders, OPML 1.0 to 2.0 with or without a version or a `<head>`, attribute names in any case
 * (`xmlUrl`, `xmlurl`, `XMLURL`), a BOM, a DOCTYPE (never expanded), comments and CDATA. A
 * DOCTYPE's internal subset is not interpreted: entities it declares stay as written.
 *
 * A blog followed through its listing page (issue 6) has no feed, and what Dispatch reads on
 * its page (the extractor) has no place in OPML: an export leaves such blogs out and says how
 * many ({@link describeOpmlExport}); the backup keeps them. An imported entry without a feed
 * address (`xmlUrl`) is not followed, whatever page (`htmlUrl`) it gives: one that says it is a
 * feed is named among the problems; the user can add its page as a blog.
 *
 * Depends on: the XML scanner and entity decoding of `utils/feed/`, `parseWebAddress`
 * (the address rules a pasted URL follows), the feeds repository (`importOpml`).
 */
import { withoutBidiControls } from '@/utils/bidi';
import type { DispatchDb } from '@/utils/db/db';
import { addFeed, feedIdentityKey, feedsByIdentity } from '@/utils/db/feeds';
import { TITLE_MAX_LENGTH } from '@/utils/db/reading-list';
import type { Feed } from '@/utils/db/types';
import { decodeXmlText } from '@/utils/feed/entities';
import { plural } from '@/utils/format';
import { type XmlScanHandler, XmlScanner } from '@/utils/feed/xml-scanner';
import { truncateText } from '@/utils/text';
import { parseWebAddress, unwrapFeedScheme } from '@/utils/url';

/** One feed found in an OPML file. */
export interface OpmlOutline {
  /** The feed address (`xmlUrl`), an absolute http(s) URL. */
  url: string;
  title?: string;
  /** `htmlUrl`, when safe. */
  siteUrl?: string;
  /** Folders it sits in (outer to inner) and its `category` attribute, as written. */
  tags: string[];
}

export interface ParsedOpml {
  feeds: OpmlOutline[];
  /** Entries that could not be read, each in words ("“Foo”: the address is not http(s)"). */
  problems: string[];
  /**
   * Addresses listed more than once in the file (the same feed by {@link feedIdentityKey}:
   * `http` = `https`, `www.` or not), after their first listing. Only the first entry is in
   * `feeds`, with the tags of every entry: Feedly lists a feed once per folder it is in.
   * Always set by {@link parseOpml}; optional so that a hand-made value may leave it out.
   */
  duplicates?: string[];
}

/** More feeds than this in one file are not read: no one follows that many blogs closely. */
export const OPML_MAX_FEEDS = 5_000;
/** Tags kept per feed, and characters per tag. */
export const MAX_TAGS = 20;
export const TAG_MAX_LENGTH = 100;

/**
 * Reads an OPML document. Throws an Error in words when the text is not OPML at all (empty,
 * binary, a web page, a feed, JSON, another XML vocabulary). Entries that cannot be followed
 * (no feed address, not http(s), relative, with a password) are left out and listed in
 * `problems`; the rest are read.
 */
export function parseOpml(text: string): ParsedOpml {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.search(/\S/);
  if (start === -1) throw new Error('This file is empty: it holds no list of blogs.');
  if (body.includes('\u0000')) {
    throw new Error('This file is not text, so it is not an OPML file.');
  }
  if (body[start] === '{' || body[start] === '[') {
    throw new Error(
      body.includes('"dispatch-backup"')
        ? 'This is a Dispatch backup, not an OPML file: use Restore backup.'
        : 'This is a JSON file, not an OPML file.',
    );
  }
  const reader = new OutlineReader();
  const scanner = new XmlScanner(reader);
  scanner.write(body);
  scanner.end();
  reader.finish();
  return { feeds: reader.feeds, problems: reader.problems, duplicates: reader.duplicates };
}

/** Why the document's root element shows it is not OPML, in words. */
function notOpml(root: string | undefined): Error {
  if (root === undefined) {
    return new Error('This is not an OPML file: it holds no XML at all.');
  }
  if (root === 'html') {
    return new Error(
      'This is a web page, not an OPML file. Export your subscriptions from your feed reader as OPML, then import that file.',
    );
  }
  if (root === 'rss' || root === 'feed' || root === 'rdf') {
    return new Error('This is a feed, not an OPML file: to follow it, add its address as a blog.');
  }
  return new Error(`This is not an OPML file: it is an XML document of another kind (<${root}>).`);
}

/** An open element below the root while reading. */
interface Frame {
  /** Its local name, lower case: a close tag closes the nearest open element of its name. */
  name: string;
  /**
   * The folders its children sit in, outer to inner: its parent's, plus its own name if it is
   * a folder with a name. Set once when it opens and capped at {@link MAX_TAGS}, so a feed
   * reads its folders without walking the open elements (a deep file stays linear).
   */
  folders: readonly string[];
  /** True once a child outline opened: an outline with children is a folder, not an entry. */
  hasChildren: boolean;
  /** An entry that says it is a feed (`type="rss"`…) without an address: reported if a leaf. */
  missingAddress?: string;
}

/**
 * Elements nested deeper than this are not read (reported once): no reader nests folders
 * that deep, and a bound on the open elements keeps a hostile file's work linear.
 */
export const OPML_MAX_DEPTH = 100;

const FEED_TYPES = new Set(['rss', 'atom', 'rdf', 'json', 'feed']);

/** Builds the outline list from scanner events; knows nothing of the file's text. */
class OutlineReader implements XmlScanHandler {
  feeds: OpmlOutline[] = [];
  problems: string[] = [];
  duplicates: string[] = [];
  #root: string | undefined;
  /** Reading stops when the root closes. */
  #done = false;
  /** Open elements below the root, at most {@link OPML_MAX_DEPTH}. */
  #stack: Frame[] = [];
  /** Elements open below the deepest one read: their close tags are counted, not matched. */
  #skipped = 0;
  #tooDeep = false;
  #byKey = new Map<string, OpmlOutline>();
  #tooMany = false;

  openTag(name: string, attributes: readonly (readonly [string, string])[], selfClosing: boolean) {
    if (this.#done) return;
    const local = localName(name);
    if (this.#root === undefined) {
      this.#root = local;
      if (local !== 'opml') throw notOpml(local);
      if (selfClosing) this.#done = true;
      return;
    }
    const parent = this.#stack.at(-1);
    if (local === 'outline' && parent) parent.hasChildren = true;
    if (this.#skipped > 0 || this.#stack.length >= OPML_MAX_DEPTH) {
      this.#tooDeep = true;
      if (!selfClosing) this.#skipped += 1;
      return;
    }
    const inherited = parent?.folders ?? [];
    // Other elements (head, body, readers' own) give their children no folder.
    let frame: Frame = { name: local, folders: inherited, hasChildren: false };
    if (local === 'outline') {
      const { folder, ...outline } = this.#readOutline(attributes, inherited);
      frame = { ...outline, name: local, folders: withFolder(inherited, folder) };
    }
    if (selfClosing) this.#closeFrame(frame);
    else this.#stack.push(frame);
  }

  /**
   * Closes the nearest open element of that name (and any left open inside it), as HTML does.
   * The innermost one in a well-formed file; the search below it is bounded by the depth cap.
   */
  closeTag(name: string) {
    if (this.#done) return;
    if (this.#skipped > 0) {
      this.#skipped -= 1;
      return;
    }
    const local = localName(name);
    if (this.#stack.at(-1)?.name === local) {
      this.#closeFrame(this.#stack.pop()!);
      return;
    }
    const open = this.#stack.findLastIndex((frame) => frame.name === local);
    if (open === -1) {
      if (local === this.#root) this.#done = true;
      return;
    }
    while (this.#stack.length > open) this.#closeFrame(this.#stack.pop()!);
  }

  text() {}
  cdata() {}
  separator() {}
  warn() {}

  /** The document ended: what it was decides whether it was OPML at all. */
  finish() {
    if (this.#root !== 'opml') throw notOpml(this.#root);
    // A truncated file: entries left open are still judged.
    while (this.#stack.length > 0) this.#closeFrame(this.#stack.pop()!);
    if (this.#tooDeep) {
      this.problems.push(
        `This file nests entries more than ${OPML_MAX_DEPTH} levels deep; the entries below that were not read.`,
      );
    }
    if (this.#tooMany) {
      const max = OPML_MAX_FEEDS.toLocaleString('en-US');
      this.problems.push(
        `This file lists more than ${max} feeds; only the first ${max} were read.`,
      );
    }
  }

  #closeFrame(frame: Frame) {
    if (frame.missingAddress !== undefined && !frame.hasChildren) {
      this.problems.push(`${frame.missingAddress}: it has no feed address (xmlUrl)`);
    }
  }

  /** Reads an outline's attributes; a feed is added with the folders it sits in. */
  #readOutline(
    raw: readonly (readonly [string, string])[],
    folders: readonly string[],
  ): Omit<Frame, 'name' | 'folders'> & { folder?: string } {
    const attributes = new Map<string, string>();
    for (const [name, value] of raw) {
      const key = name.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, decodeXmlText(value));
    }
    const title =
      cleanText(attributes.get('title') ?? '') || cleanText(attributes.get('text') ?? '');
    const address = attributes.get('xmlurl')?.trim();
    if (!address) {
      const type = attributes.get('type')?.trim().toLowerCase() ?? '';
      return {
        ...(title && { folder: truncateText(title, TAG_MAX_LENGTH) }),
        hasChildren: false,
        ...(FEED_TYPES.has(type) && { missingAddress: label(title) }),
      };
    }
    const url = readFeedAddress(address);
    if (typeof url === 'string') {
      this.problems.push(`${label(title)}: ${url}`);
    } else {
      this.#addFeed(url.href, title, attributes, folders);
    }
    // Children of a feed entry (rare: some readers nest notes) get no folder from it.
    return { hasChildren: false };
  }

  #addFeed(
    url: string,
    title: string,
    attributes: ReadonlyMap<string, string>,
    folders: readonly string[],
  ) {
    const tags = uniqueTags([...folders, ...categoryTags(attributes.get('category') ?? '')]);
    const key = feedIdentityKey(url);
    const first = this.#byKey.get(key);
    if (first) {
      first.tags = uniqueTags([...first.tags, ...tags]);
      this.duplicates.push(url);
      return;
    }
    if (this.feeds.length >= OPML_MAX_FEEDS) {
      this.#tooMany = true;
      return;
    }
    const siteUrl = readSiteAddress(attributes.get('htmlurl'));
    const outline: OpmlOutline = {
      url,
      ...(title && { title: truncateText(title, TITLE_MAX_LENGTH) }),
      ...(siteUrl && { siteUrl }),
      tags,
    };
    this.#byKey.set(key, outline);
    this.feeds.push(outline);
  }
}

/**
 * The folders of a folder's children: its parent's and its own name, unless that name is
 * there already (in any case) or the path is full ({@link MAX_TAGS}: the tags a feed keeps).
 */
function withFolder(folders: readonly string[], folder: string | undefined): readonly string[] {
  if (!folder || folders.length >= MAX_TAGS) return folders;
  const key = folder.toLocaleLowerCase();
  if (folders.some((known) => known.toLocaleLowerCase() === key)) return folders;
  return [...folders, folder];
}

/** `x:opml` → `opml`, lower case (an OPML reader should not care how a generator spelled it). */
function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1).toLowerCase();
}

/**
 * A feed address from `xmlUrl`, or why it cannot be followed (in words). Stricter than an
 * address typed by hand: a file's address without a scheme is relative to a page we do not
 * know, so it is refused rather than guessed as `https://`. `feed:` links are unwrapped.
 */
function readFeedAddress(raw: string): URL | string {
  const text = unwrapFeedScheme(raw);
  const shown = showAddress(raw);
  if (!/^[a-z][a-z\d+.-]*:/i.test(text)) {
    return `${shown} is not a full web address (it does not start with https:// or http://)`;
  }
  const url = parseWebAddress(text);
  switch (url) {
    case 'empty':
      return 'it has no feed address (xmlUrl)';
    case 'not-web':
      return `${shown} is not a web address`;
    case 'credentials':
      return 'its address holds a user name or password, which Dispatch does not store';
    case 'invalid':
      return `${shown} is not a valid web address`;
    default:
      return url;
  }
}

/** `htmlUrl`, kept only when it is an absolute http(s) address without credentials. */
function readSiteAddress(raw: string | undefined): string | undefined {
  const text = raw?.trim();
  if (!text || !/^https?:\/\//i.test(text)) return undefined;
  const url = parseWebAddress(text);
  return typeof url === 'string' ? undefined : url.href;
}

/**
 * Tags from OPML 2.0's `category` attribute: comma-separated, each either a plain tag or a
 * slash path (`/Tech/AI` = the folders Tech, then AI).
 */
function categoryTags(attribute: string): string[] {
  return attribute.split(',').flatMap((category) => {
    const trimmed = category.trim();
    return trimmed.startsWith('/') ? trimmed.split('/') : [trimmed];
  });
}

/** Cleaned, non-empty, capped tags, the first spelling of each (case-insensitive), at most {@link MAX_TAGS}. */
function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const raw of tags) {
    const tag = truncateText(cleanText(raw), TAG_MAX_LENGTH);
    const key = tag.toLocaleLowerCase();
    if (!tag || seen.has(key)) continue;
    seen.add(key);
    unique.push(tag);
    if (unique.length === MAX_TAGS) break;
  }
  return unique;
}

/** Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, U+FFFE/F, lone surrogates). */
const NOT_XML =
  // oxlint-disable-next-line no-control-regex -- control characters are what XML cannot hold
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One line of text: controls removed, whitespace runs as one space, trimmed. */
function cleanText(text: string): string {
  return text.replace(NOT_XML, '').replace(/\s+/g, ' ').trim();
}

/** How an entry is named in a problem: its title quoted, short, without bidi controls. */
function label(title: string): string {
  const shown = truncateText(withoutBidiControls(title), 60);
  return shown ? `“${shown}”` : 'An entry without a title';
}

/** An address as shown in a message: one line, short, without bidi controls. */
function showAddress(address: string): string {
  return truncateText(withoutBidiControls(cleanText(address)), 80);
}

/** `Feed.kind` → the outline `type` (readers that do not know `json` ignore the type). */
const OUTLINE_TYPES: Record<NonNullable<Feed['kind']>, string> = {
  rss: 'rss',
  atom: 'atom',
  rdf: 'rdf',
  json: 'json',
};

/**
 * The blogs an OPML file can list: all but those followed through their listing page, whose
 * address is a web page and whose extractor OPML cannot hold (a reader given the page as a
 * feed would fail on it).
 */
export function opmlExportable(feeds: readonly Feed[]): Feed[] {
  return feeds.filter((feed) => !feed.listing);
}

/**
 * What an export of `feeds` to `fileName` did, for the options page: "Exported 3 blogs to
 * dispatch-blogs-2026-11-29.opml." and, when listing blogs were left out, why and where they
 * are kept; when nothing could be exported, says so (the page then writes no file).
 */
export function describeOpmlExport(feeds: readonly Feed[], fileName: string): string {
  const exported = opmlExportable(feeds).length;
  const left = feeds.length - exported;
  const why = `${left === 1 ? 'follows its page' : 'follow their pages'} (no feed), which OPML cannot hold; a backup keeps ${left === 1 ? 'it' : 'them'}.`;
  if (exported === 0) {
    return left === 0
      ? 'You follow no blogs yet: there is nothing to export.'
      : `Nothing was exported: ${left === 1 ? 'your blog' : `your ${plural(left, 'blog')}`} ${why}`;
  }
  const done = `Exported ${plural(exported, 'blog')} to ${fileName}.`;
  return left === 0 ? done : `${done} Left out: ${plural(left, 'blog')} that ${why}`;
}

/**
 * An OPML 2.0 document of these feeds, in their order; blogs followed through their listing
 * page are left out ({@link opmlExportable}). Each feed sits in a folder named by its first
 * tag (folders in the order their first feed comes); its other tags go in the `category`
 * attribute, which {@link parseOpml} (and OPML 2.0 readers) read back as tags. A comma cannot
 * be written inside one category, so it becomes a semicolon there.
 */
export function serializeOpml(feeds: readonly Feed[], now: number): string {
  const folders = new Map<string, Feed[]>();
  const top: ({ folder: string } | { feed: Feed })[] = [];
  for (const feed of opmlExportable(feeds)) {
    const [first] = feed.tags ?? [];
    const folder = first === undefined ? '' : cleanText(first);
    if (!folder) {
      top.push({ feed });
      continue;
    }
    const members = folders.get(folder);
    if (members) members.push(feed);
    else {
      folders.set(folder, [feed]);
      top.push({ folder });
    }
  }
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    '    <title>Dispatch subscriptions</title>',
    `    <dateCreated>${new Date(now).toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
  ];
  for (const entry of top) {
    if ('feed' in entry) {
      lines.push(`    ${feedOutline(entry.feed)}`);
      continue;
    }
    const name = escapeXml(entry.folder);
    lines.push(`    <outline text="${name}" title="${name}">`);
    for (const feed of folders.get(entry.folder)!) lines.push(`      ${feedOutline(feed)}`);
    lines.push('    </outline>');
  }
  lines.push('  </body>', '</opml>');
  return `${lines.join('\n')}\n`;
}

function feedOutline(feed: Feed): string {
  const title = escapeXml(cleanText(feed.title) || feed.url);
  const categories = (feed.tags ?? [])
    .slice(1)
    .map((tag) => cleanText(tag).replace(/,/g, ';'))
    .filter(Boolean);
  const attributes = [
    `type="${OUTLINE_TYPES[feed.kind ?? 'rss']}"`,
    `text="${title}"`,
    `title="${title}"`,
    `xmlUrl="${escapeXml(feed.url)}"`,
    ...(feed.siteUrl ? [`htmlUrl="${escapeXml(feed.siteUrl)}"`] : []),
    ...(categories.length > 0 ? [`category="${escapeXml(categories.join(','))}"`] : []),
  ];
  return `<outline ${attributes.join(' ')}/>`;
}

/** Text for XML content and double-quoted attributes, without characters XML cannot hold. */
function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export interface OpmlImportSummary {
  /** Feeds added (due for their first poll at once). */
  added: Feed[];
  /** Addresses skipped because they are already followed (or twice in the file). */
  duplicates: string[];
}

/**
 * Follows the outlines not yet followed, in one transaction: all are added or, if storage
 * fails, none. A feed followed already under another spelling of its address (`http` or
 * `https`, `www.` or not, an old address it moved from) is skipped and listed in `duplicates`,
 * as is an outline given twice. Each new feed is due for polling at once; its title is the
 * outline's, or the host name as a placeholder that the first poll replaces with the feed's
 * own title (`isPlaceholderTitle` in `utils/poll/poll-feed.ts`); its folders are its `tags`.
 *
 * Host access is not asked for here: the page that imports asks for it (a user gesture).
 */
export async function importOpml(
  db: DispatchDb,
  outlines: readonly OpmlOutline[],
  now: number,
): Promise<OpmlImportSummary> {
  return db.transaction('rw', db.feeds, async () => {
    const followed = await feedsByIdentity(db);
    const seen = new Set(followed.keys());
    const added: Feed[] = [];
    const duplicates: string[] = [];
    for (const outline of outlines) {
      const key = feedIdentityKey(outline.url);
      if (seen.has(key)) {
        duplicates.push(outline.url);
        continue;
      }
      seen.add(key);
      const input = {
        url: outline.url,
        title: outline.title ?? new URL(outline.url).hostname.replace(/^www\./, ''),
        ...(outline.siteUrl && { siteUrl: outline.siteUrl }),
        // `addFeed` stores the fields it is given; tags are an optional field of the record.
        ...(outline.tags.length > 0 && { tags: [...outline.tags] }),
      };
      added.push(await addFeed(db, input, now));
    }
    return { added, duplicates };
  });
}
