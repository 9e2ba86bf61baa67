/**
 * Feed bytes or text → `ParsedFeed` (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 1.0 and 0.3, JSON Feed
 * 1/1.1), pure TypeScript for the MV3 service worker, which has no `DOMParser`.
 *
 * Bytes are decoded piece by piece (`FeedTextReader`) and XML is tokenized piece by piece
 * (`XmlScanner`, which reads as htmlparser2's XML mode does), into a small namespace-aware
 * tree that this module builds itself, so that:
 * - entities are decoded exactly once (`decodeXmlText`: XML's, numeric, and the HTML table as
 *   XHTML 1.0 has it, since `&eacute;` is common in feeds), and DOCTYPE-declared entities are
 *   never expanded nor external ones fetched (billion laughs, XXE: the DOCTYPE is cut out
 *   before tokenizing);
 * - ill-formed documents (unclosed or stray tags, truncation, bare `&`) still give the items
 *   read so far, with warnings, because a failed parse must never look like "0 items";
 * - content HTML comes out sanitized by an allowlist, its relative URLs resolved
 *   (`sanitizeHtml`), and the whole text of a large feed never exists at once.
 *
 * Adding an XML format: name its root in `formatOfRootName`, call its reader in `parseXmlFeed`.
 */
import { cleanDecodedText, FeedTextReader } from '@/utils/feed/decode';
import { parseFeedDate } from '@/utils/feed/dates';
import { decodeXmlHtml, decodeXmlText } from '@/utils/feed/entities';
import { FeedError, type FeedFormat, type ParsedFeed, type ParsedItem } from '@/utils/feed/types';
import { escapeHtmlText, sanitizeHtml } from '@/utils/feed/sanitize';
import { type XmlScanHandler, XmlScanner } from '@/utils/feed/xml-scanner';
import { VOID_ELEMENTS } from '@/utils/html/parser';
import { collapseHtmlWhitespace, htmlToText } from '@/utils/text';
import { safeHttpUrl } from '@/utils/url';

/** What the fetch knew about the body; both optional, so tests can parse bare strings. */
export interface ParseFeedOptions {
  /** The URL the body was fetched from (after redirects): base for relative links. */
  url?: string;
  /** The response's Content-Type; only its charset is used (the format is sniffed). */
  contentType?: string;
}

/**
 * Parses a feed. The format is sniffed from the body, never taken from Content-Type. Links
 * are absolute http(s) only, resolved against nested `xml:base`, else `options.url`.
 * Recoverable problems are listed in `warnings`.
 *
 * Bytes are decoded and tokenized piece by piece (`FeedTextReader`), so a large feed's text
 * never exists whole next to what is read out of it (escaped article HTML would otherwise be
 * held twice); what the result keeps of the text is copied out of the pieces.
 *
 * @throws FeedError `empty` (nothing but whitespace), `not-a-feed` (a web page, another XML
 *   vocabulary, JSON that is no feed), `invalid-json`, `invalid-structure` (JSON Feed items
 *   that are no list).
 */
export function parseFeed(body: Uint8Array | string, options: ParseFeedOptions = {}): ParsedFeed {
  const decodeWarnings: string[] = [];
  const pieces: TextPieces =
    typeof body === 'string'
      ? singlePiece(cleanDecodedText(body, decodeWarnings))
      : new FeedTextReader(body, options.contentType);
  const warnings: string[] = [];
  // Read until the prolog is complete (a DOCTYPE may be long) and what follows it can be told
  // apart (`<!DOCTYPE`, `<!--` and `<?` need their first characters).
  let head = '';
  let start = 0;
  for (let piece = pieces.next(); piece !== undefined; piece = pieces.next()) {
    head += piece;
    start = skipProlog(head);
    if (start + '<!DOCTYPE'.length <= head.length) break;
  }
  if (pieces instanceof FeedTextReader) decodeWarnings.push(...pieces.warnings);
  if (start >= head.length) throw new FeedError('empty', 'The feed is empty.');
  const first = head[start];
  let feed: ParsedFeed;
  if (first === '{' || first === '[') feed = parseJsonFeed(pieces, options, warnings);
  else if (first === '<') feed = parseXmlFeed(head, pieces, options, warnings);
  else throw notAFeed('The document is neither XML nor JSON.');
  if (pieces instanceof FeedTextReader) {
    for (const warning of pieces.warnings) {
      if (!decodeWarnings.includes(warning)) decodeWarnings.push(warning);
    }
  }
  feed.warnings = [...decodeWarnings, ...warnings];
  return feed;
}

/** Decoded text, piece by piece: `next()` is `undefined` after the last piece. */
interface TextPieces {
  next(): string | undefined;
  /** The whole text from the start, in one string; with `keepControls`, not cleaned of C0. */
  readAll(keepControls?: boolean): string;
}

function singlePiece(text: string): TextPieces {
  let done = false;
  return {
    next() {
      if (done) return undefined;
      done = true;
      return text;
    },
    readAll: () => text,
  };
}

function notAFeed(message: string): FeedError {
  return new FeedError('not-a-feed', message);
}

// ---------------------------------------------------------------------------------------------
// Sniffing

/** What the first significant construct of a document says it is. */
export type SniffedFormat = FeedFormat | 'html';

/**
 * Guesses the format from the document's root element (or `{` for JSON), after any BOM,
 * whitespace, comments, processing instructions and DOCTYPE. Cheap: looks at one tag only.
 * `undefined` means "nothing feed-like"; JSON is reported as `json` only when it names a
 * JSON Feed version near its start.
 */
export function sniffFeedFormat(text: string): SniffedFormat | undefined {
  const start = skipProlog(text);
  const first = text[start];
  if (first === '{') {
    return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(
      text.slice(start, start + 4096),
    )
      ? 'json'
      : undefined;
  }
  if (first !== '<') return undefined;
  const name = /^<([^\s/>]+)/.exec(text.slice(start, start + 256))?.[1];
  return name === undefined ? undefined : formatOfRootName(name);
}

function formatOfRootName(qualifiedName: string): Exclude<SniffedFormat, 'json'> | undefined {
  switch (localPart(qualifiedName).toLowerCase()) {
    case 'rss':
    case 'channel':
      return 'rss';
    case 'feed':
      return 'atom';
    case 'rdf':
      return 'rdf';
    case 'html':
      return 'html';
    default:
      return undefined;
  }
}

/**
 * Index of the first character after BOM, whitespace, comments, `<?…?>` and `<!DOCTYPE…>`;
 * with `toDoctype`, of the DOCTYPE itself when there is one.
 */
function skipProlog(text: string, toDoctype = false): number {
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (index < text.length && isXmlSpace(text.charCodeAt(index))) index += 1;
    if (text.startsWith('<?', index)) {
      index = endOf(text, '?>', index + 2);
    } else if (text.startsWith('<!--', index)) {
      index = endOf(text, '-->', index + 4);
    } else if (!toDoctype && isDoctype(text, index)) {
      index = endOfDoctype(text, index);
    } else {
      return index;
    }
  }
}

function isDoctype(text: string, index: number): boolean {
  return text.slice(index, index + 9).toUpperCase() === '<!DOCTYPE';
}

function endOf(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at === -1 ? text.length : at + terminator.length;
}

/**
 * End of a DOCTYPE, internal subset included: quotes and comments inside it may hold `>` and
 * `]`, so they are skipped as units.
 */
function endOfDoctype(text: string, start: number): number {
  let inSubset = false;
  for (let index = start + 9; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"' || char === "'") {
      index = endOf(text, char, index + 1) - 1;
    } else if (text.startsWith('<!--', index)) {
      index = endOf(text, '-->', index + 4) - 1;
    } else if (char === '[') {
      inSubset = true;
    } else if (char === ']') {
      inSubset = false;
    } else if (char === '>' && !inSubset) {
      return index + 1;
    }
  }
  return text.length;
}

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

// ---------------------------------------------------------------------------------------------
// A small namespace-aware XML tree

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rss10: 'http://purl.org/rss/1.0/',
  rss2Userland: 'http://backend.userland.com/rss2',
  rss2Harvard: 'http://blogs.law.harvard.edu/tech/rss',
  sy: 'http://purl.org/rss/1.0/modules/syndication/',
  xhtml: 'http://www.w3.org/1999/xhtml',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** Namespace URIs by a forgiving key, so `https://www.w3.org/2005/Atom` still means Atom. */
const KNOWN_NS = new Map(Object.values(NS).map((uri) => [namespaceKey(uri), uri]));

/** Prefixes feeds use without declaring them (ill-formed, but the intent is clear). */
const CONVENTIONAL_PREFIXES: ReadonlyMap<string, string> = new Map(
  (['atom', 'content', 'dc', 'dcterms', 'rdf', 'sy', 'xhtml'] as const).map((prefix) => [
    prefix,
    NS[prefix],
  ]),
);

function namespaceKey(uri: string): string {
  return uri
    .trim()
    .toLowerCase()
    .replace(/^https:/, 'http:')
    .replace(/[/#]+$/, '');
}

function canonicalNamespace(uri: string): string {
  return KNOWN_NS.get(namespaceKey(uri)) ?? uri;
}

interface XmlAttribute {
  /** Lower-cased local name. */
  local: string;
  ns: string;
  value: string;
}

interface XmlElement {
  /** Qualified name as written. */
  name: string;
  /** Lower-cased local name: feeds disagree on `pubDate`/`pubdate`. */
  local: string;
  ns: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Effective `xml:base` (resolved against the parent's), else the document URL. */
  base: string | undefined;
  /**
   * The absolute base that `xml:base` attributes alone establish, without the document URL:
   * identities are resolved against this only, so they never change with the fetch URL.
   */
  declaredBase: string | undefined;
  /** Still open when the document ended: its content may be cut off. */
  truncated: boolean;
  /**
   * Its content is text only (no CDATA, no child elements), and that text, read as HTML, is
   * already what `sanitizeHtml(text, base)` returns: checked while decoding (`decodeXmlHtml`).
   */
  safeHtml: boolean;
}

type XmlNode = XmlElement | string;

interface OpenElement {
  element: XmlElement;
  namespaces: ReadonlyMap<string, string>;
}

const NO_NAMESPACES: ReadonlyMap<string, string> = new Map();

/** Shared by every element without attributes (never added to). */
const NO_ATTRIBUTES: XmlAttribute[] = [];

/** Qualified names split into prefix and lower-cased local part, once per distinct name. */
const splitNames = new Map<string, { prefix: string; local: string }>();
const SPLIT_NAMES_LIMIT = 4096;

function splitName(qualifiedName: string): { prefix: string; local: string } {
  let split = splitNames.get(qualifiedName);
  if (split === undefined) {
    const colon = qualifiedName.indexOf(':');
    split = {
      prefix: colon === -1 ? '' : qualifiedName.slice(0, colon),
      local: qualifiedName.slice(colon + 1).toLowerCase(),
    };
    if (splitNames.size < SPLIT_NAMES_LIMIT) splitNames.set(qualifiedName, split);
  }
  return split;
}

/**
 * Deeper elements are parsed but left out of the tree, so a hostile document nested a million
 * levels deep cannot overflow the stack of the recursive readers below.
 */
const MAX_DEPTH = 256;

/**
 * Builds the tree from the scanner's reports. Its own element stack lets it tell a stray end
 * tag from an unclosed element from a truncated document.
 */
class XmlTreeBuilder implements XmlScanHandler {
  readonly topLevel: XmlElement[] = [];
  readonly warnings = new Set<string>();
  readonly #stack: OpenElement[] = [];
  #pendingText = '';
  /** `pendingText` holds markup that was recovered as text, so it may hold `<`. */
  #pendingRecovered = false;
  #tagName = '';
  #rawAttributes: readonly (readonly [string, string])[] = [];
  /** Element and attribute names, kept once each: few, and repeated in every item. */
  readonly #names = new Map<string, string>();

  readonly #documentUrl: string | undefined;

  constructor(documentUrl: string | undefined) {
    this.#documentUrl = documentUrl;
  }

  openTag(
    name: string,
    attributes: readonly (readonly [string, string])[],
    selfClosing: boolean,
  ): void {
    this.#flushText();
    this.#tagName = this.#intern(name);
    this.#rawAttributes =
      attributes.length === 0
        ? attributes
        : attributes.map(([attributeName, raw]) => {
            const value = this.#decode(raw);
            return [this.#intern(attributeName), value === raw ? detach(raw) : value] as const;
          });
    this.#openElement();
    if (selfClosing) this.#stack.pop();
  }

  closeTag(raw: string): void {
    this.#flushText();
    const name = this.#intern(raw);
    let index = this.#stack.length - 1;
    while (index >= 0 && this.#stack[index]?.element.name !== name) index -= 1;
    if (index < 0) {
      const lower = name.toLowerCase();
      index = this.#stack.length - 1;
      while (index >= 0 && this.#stack[index]?.element.name.toLowerCase() !== lower) index -= 1;
    }
    if (index < 0) {
      this.warnings.add('ill-formed XML: end tag without a start tag ignored');
      return;
    }
    if (index < this.#stack.length - 1) this.warnings.add('ill-formed XML: unclosed element');
    this.#stack.length = index;
  }

  text(raw: string, recovered = false): void {
    this.#pendingText += raw;
    if (recovered) this.#pendingRecovered = true;
  }

  cdata(text: string): void {
    this.#flushText();
    this.#appendText(detach(text), false);
  }

  separator(): void {
    this.#flushText();
  }

  warn(message: string): void {
    this.warnings.add(message);
  }

  end(): void {
    this.#flushText();
    if (this.#stack.length > 0) {
      this.warnings.add('ill-formed XML: the document ends before its elements are closed');
      for (const { element } of this.#stack) element.truncated = true;
      this.#stack.length = 0;
    }
  }

  #intern(name: string): string {
    let known = this.#names.get(name);
    if (known === undefined) {
      known = detach(name);
      this.#names.set(known, known);
    }
    return known;
  }

  #openElement(): void {
    const parent = this.#stack.at(-1);
    let declared: Map<string, string> | undefined;
    for (const [name, value] of this.#rawAttributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        declared ??= new Map(parent?.namespaces);
        declared.set(name.slice(6), canonicalNamespace(value));
      }
    }
    const namespaces = declared ?? parent?.namespaces ?? NO_NAMESPACES;
    let xmlBase: string | undefined;
    const attributes: XmlAttribute[] = this.#rawAttributes.length === 0 ? NO_ATTRIBUTES : [];
    for (const [name, value] of this.#rawAttributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const { prefix, local } = splitName(name);
      const ns = prefix === '' ? '' : resolvePrefix(namespaces, prefix);
      if (ns === NS.xml && local === 'base') xmlBase = value;
      attributes.push({ local, ns, value });
    }
    const { prefix, local } = splitName(this.#tagName);
    const parentBase = parent ? parent.element.base : this.#documentUrl;
    const parentDeclaredBase = parent?.element.declaredBase;
    const element: XmlElement = {
      name: this.#tagName,
      local,
      ns: resolvePrefix(namespaces, prefix),
      attributes,
      children: [],
      base: xmlBase === undefined ? parentBase : resolveReference(xmlBase, parentBase),
      declaredBase:
        xmlBase === undefined ? parentDeclaredBase : absoluteReference(xmlBase, parentDeclaredBase),
      truncated: false,
      safeHtml: true,
    };
    if (parent) parent.element.safeHtml = false;
    if (this.#stack.length >= MAX_DEPTH) this.warnings.add('elements nested too deeply ignored');
    else if (parent) parent.element.children.push(element);
    else this.topLevel.push(element);
    this.#stack.push({ element, namespaces });
  }

  #flushText(): void {
    if (this.#pendingText.length === 0) return;
    const raw = this.#pendingText;
    const recovered = this.#pendingRecovered;
    this.#pendingText = '';
    this.#pendingRecovered = false;
    const parent = this.#stack.at(-1);
    if (recovered || !parent) {
      const text = this.#decode(raw);
      this.#appendText(text === raw ? detach(raw) : text, false);
      return;
    }
    const { text, safeHtml } = decodeXmlHtml(raw, parent.element.base, this.#onBareAmpersand);
    this.#appendText(text === raw ? detach(raw) : text, safeHtml);
  }

  /** Adds text to the open element; `safeHtml` is what `decodeXmlHtml` said of it. */
  #appendText(text: string, safeHtml: boolean): void {
    const parent = this.#stack.at(-1);
    if (!parent || text.length === 0) return;
    parent.element.children.push(text);
    if (!safeHtml) parent.element.safeHtml = false;
  }

  /** XML text → characters: numeric references and (XHTML 1.0's) named entities, once. */
  #decode(raw: string): string {
    return decodeXmlText(raw, this.#onBareAmpersand);
  }

  readonly #onBareAmpersand = (): void => {
    this.warnings.add('ill-formed XML: bare "&" kept as text');
  };
}

function resolvePrefix(namespaces: ReadonlyMap<string, string>, prefix: string): string {
  if (prefix === 'xml') return NS.xml;
  const declared = namespaces.get(prefix);
  if (declared !== undefined) return declared;
  if (prefix === '') return '';
  return CONVENTIONAL_PREFIXES.get(prefix.toLowerCase()) ?? `urn:undeclared-prefix:${prefix}`;
}

/** `reference` made absolute against `base`, or `undefined` when it cannot be (no base). */
function absoluteReference(reference: string, base: string | undefined): string | undefined {
  try {
    return new URL(reference.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Resolves a URL reference of any scheme (a base may be `tag:` or `file:`), else the base. */
function resolveReference(reference: string, base: string | undefined): string | undefined {
  return absoluteReference(reference, base) ?? base;
}

/**
 * Tokenizes the document piece by piece into the tree. `head` holds at least the whole
 * prolog (so the DOCTYPE, which is cut out unread, is complete in it); `pieces` the rest.
 */
function buildXmlTree(
  head: string,
  pieces: TextPieces,
  documentUrl: string | undefined,
  warnings: string[],
): XmlElement {
  const normalize = lineEndingNormalizer();
  let first = normalize(head);
  const start = skipProlog(first, true);
  if (isDoctype(first, start)) {
    const end = endOfDoctype(first, start);
    if (/<!ENTITY/i.test(first.slice(start, end))) {
      warnings.push('DOCTYPE entity declarations ignored');
    }
    first = first.slice(0, start) + first.slice(end);
  }
  const builder = new XmlTreeBuilder(documentUrl);
  const scanner = new XmlScanner(builder);
  scanner.write(first);
  for (let piece = pieces.next(); piece !== undefined; piece = pieces.next()) {
    scanner.write(normalize(piece));
  }
  scanner.end();
  builder.end();
  warnings.push(...builder.warnings);
  const root =
    builder.topLevel.find((element) => formatOfRootName(element.name) !== undefined) ??
    builder.topLevel[0];
  if (!root) throw notAFeed('The document has no XML element.');
  return root;
}

/** XML line-end normalization (CRLF and CR to LF), for pieces in order: a CRLF may be split. */
function lineEndingNormalizer(): (piece: string) => string {
  let endedWithCr = false;
  return (piece) => {
    let text = endedWithCr && piece.charCodeAt(0) === 0x0a ? piece.slice(1) : piece;
    endedWithCr = text.charCodeAt(text.length - 1) === 0x0d;
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    return text;
  };
}

/** Text longer than this stays a view into its piece: it is article text, kept anyway. */
const DETACH_LIMIT = 2048;

/**
 * A copy of `text` that does not keep the piece it was sliced from alive. V8 (and other
 * engines) make a substring of 13 characters or more a view sharing its parent's storage, so
 * one kept title would otherwise hold a whole 128 KB piece, and escaped article HTML, which is
 * decoded into new strings, would be held twice. Flattening a concatenation copies.
 */
function detach(text: string): string {
  if (text.length < 13 || text.length > DETACH_LIMIT) return text;
  return (' ' + text).slice(1);
}

// ---------------------------------------------------------------------------------------------
// Tree queries

function localPart(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.indexOf(':') + 1);
}

type NamespaceSet = ReadonlySet<string>;

function childElements(element: XmlElement, ns: NamespaceSet, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (typeof child !== 'string' && child.local === local && ns.has(child.ns)) found.push(child);
  }
  return found;
}

function childElement(
  element: XmlElement,
  ns: NamespaceSet,
  local: string,
): XmlElement | undefined {
  for (const child of element.children) {
    if (typeof child !== 'string' && child.local === local && ns.has(child.ns)) return child;
  }
  return undefined;
}

/** First of several candidate children, in order of preference. */
function firstChild(
  element: XmlElement,
  candidates: readonly (readonly [NamespaceSet, string])[],
): XmlElement | undefined {
  for (const [ns, local] of candidates) {
    const found = childElement(element, ns, local);
    if (found) return found;
  }
  return undefined;
}

/**
 * Like `firstChild`, but of repeated elements the last one: a feed that repeats a date element
 * is read as correcting it (the reference parser, feedparser, overwrites likewise).
 */
function lastChild(
  element: XmlElement,
  candidates: readonly (readonly [NamespaceSet, string])[],
): XmlElement | undefined {
  for (const [ns, local] of candidates) {
    let found: XmlElement | undefined;
    for (const child of element.children) {
      if (typeof child !== 'string' && child.local === local && ns.has(child.ns)) found = child;
    }
    if (found) return found;
  }
  return undefined;
}

function attribute(element: XmlElement, local: string, ns?: string): string | undefined {
  for (const attr of element.attributes) {
    if (attr.local !== local) continue;
    if (ns === undefined ? attr.ns === '' || attr.ns === element.ns : attr.ns === ns) {
      return attr.value;
    }
  }
  return undefined;
}

function textContent(node: XmlNode): string {
  if (typeof node === 'string') return node;
  let text = '';
  for (const child of node.children) text += textContent(child);
  return text;
}

function hasElementChildren(element: XmlElement): boolean {
  return element.children.some((child) => typeof child !== 'string');
}

function collapseWhitespace(text: string): string {
  return collapseHtmlWhitespace(text).trim();
}

function trimmedText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  return textContent(element).trim() || undefined;
}

// ---------------------------------------------------------------------------------------------
// HTML out of the tree

const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'cite', 'background']);

function escapeHtmlAttribute(text: string): string {
  return text.replace(/[&"']/g, (char) =>
    char === '&' ? '&amp;' : char === '"' ? '&quot;' : '&#39;',
  );
}

/**
 * Inline markup (Atom xhtml, unescaped RSS HTML) as HTML, relative URLs resolved against each
 * element's own `xml:base`. Not sanitized: callers that keep HTML pass it to `sanitizeHtml`.
 */
function innerHtml(element: XmlElement): string {
  const out: string[] = [];
  for (const child of element.children) serializeNode(child, out);
  return out.join('');
}

function serializeNode(node: XmlNode, out: string[]): void {
  if (typeof node === 'string') {
    out.push(escapeHtmlText(node));
    return;
  }
  const name = node.ns === NS.xhtml || node.ns === '' ? localPart(node.name) : node.name;
  out.push('<', name);
  for (const attr of node.attributes) {
    let value = attr.value;
    if (URL_ATTRIBUTES.has(attr.local) && node.base !== undefined && !hasScheme(value)) {
      value = resolveReference(value, node.base) ?? value;
    }
    const attrName = attr.ns === NS.xml ? `xml:${attr.local}` : attr.local;
    out.push(' ', attrName, '="', escapeHtmlAttribute(value), '"');
  }
  out.push('>');
  if (VOID_ELEMENTS.has(node.local)) return;
  for (const child of node.children) serializeNode(child, out);
  out.push('</', name, '>');
}

function hasScheme(url: string): boolean {
  return /^\s*[a-z][a-z0-9+.-]*:/i.test(url) || url.trim().startsWith('#');
}

// ---------------------------------------------------------------------------------------------
// Shared field helpers

/**
 * Plain text in, plain text out: ASCII whitespace collapsed (a no-break space is deliberate),
 * ends trimmed. Never decodes entities again.
 */
function plainText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return collapseWhitespace(text) || undefined;
}

/** Element holding HTML (escaped, or as inline markup) → plain text. */
function htmlElementToText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const html = hasElementChildren(element) ? innerHtml(element) : textContent(element);
  return htmlToText(html) || undefined;
}

/** Element holding HTML (escaped, or as inline markup) → sanitized HTML with absolute URLs. */
function htmlElementToHtml(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const html = hasElementChildren(element)
    ? sanitizeHtml(innerHtml(element))
    : sanitizeHtml(textContent(element), element.base, element.safeHtml);
  return hasText(html) ? html : undefined;
}

/** Whether `text` holds anything but whitespace (without copying it, as `trim()` would). */
function hasText(text: string): boolean {
  return /\S/.test(text);
}

/**
 * A person as feeds write it: `Name`, `email (Name)`, `Name (email)`, `Name <email>`, `email`.
 * Returns the name, or the email when that is all there is.
 */
export function authorName(raw: string | undefined): string | undefined {
  const text = plainText(raw);
  if (!text) return undefined;
  const parenthesized = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  if (parenthesized?.[1]) return parenthesized[1].trim();
  const nameFirst = /^(.+?)\s*\(\s*\S+@\S+\s*\)$/.exec(text);
  if (nameFirst?.[1]) return nameFirst[1].trim();
  const angled = /^(.+?)\s*<[^<>]*@[^<>]*>$/.exec(text);
  if (angled?.[1]) return angled[1].replace(/^"(.*)"$/, '$1').trim();
  return text;
}

/**
 * Trimmed, whitespace collapsed, de-duplicated on `categoryKey`, the first spelling kept as it
 * was written (zero-width joiners and all: they shape emoji and Indic or Persian words).
 */
export function normalizeCategories(raw: Iterable<string | undefined>): string[] {
  const seen = new Set<string>();
  const categories: string[] = [];
  for (const value of raw) {
    const category = plainText(value);
    if (!category) continue;
    const key = categoryKey(category);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    categories.push(category);
  }
  return categories;
}

/** Invisible characters that only split or mark words: ZWSP, word joiner, BOM / ZWNBSP. */
const INVISIBLE_IN_KEYS = /[\u200B\u2060\uFEFF]/g;

/**
 * The comparison key of a category: NFKC (full-width and compatibility forms fold), case
 * folded (upper then lower case, so `ß` meets `SS`), zero-width spaces and BOMs removed,
 * whitespace collapsed. ZWJ and ZWNJ stay: they change which word it is.
 */
export function categoryKey(category: string): string {
  let key = categoryKeys.get(category);
  if (key === undefined) {
    key = category
      .normalize('NFKC')
      .replace(INVISIBLE_IN_KEYS, '')
      .toUpperCase()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
    if (category.length <= 256 && categoryKeys.size < CATEGORY_KEYS_LIMIT) {
      categoryKeys.set(category, key);
    }
  }
  return key;
}

/**
 * Keys of the categories seen so far (short ones: a long one may be a view into a decoded
 * piece, which the cache would keep alive): a feed repeats a few in every item.
 */
const categoryKeys = new Map<string, string>();
const CATEGORY_KEYS_LIMIT = 4096;

/**
 * A stable 53-bit hash (cyrb53-style: two 32-bit multiply-xor lanes), as base 36. Sync and
 * pure: `crypto.subtle` is async, and ids must not depend on the runtime.
 */
export function stableHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x9e3779b1);
    h2 = Math.imul(h2 ^ code, 0x5f356495);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return (0x100000000 * (h2 & 0x1fffff) + (h1 >>> 0)).toString(36);
}

interface ItemDraft {
  guid?: string;
  url?: string;
  title?: string;
  summary?: string;
  contentHtml?: string;
  author?: string;
  categories: (string | undefined)[];
  published?: string;
  updated?: string;
  /**
   * Source text for the fallback key: title, date and summary as the feed wrote them. A
   * function, because most items never need it.
   */
  hashSource: () => string;
  truncated?: boolean;
}

/**
 * The one place an item gets its identity: guid/id, else the link, else a hash of the
 * title, date and summary text as written in the feed (so it survives parser changes).
 */
function finishItem(draft: ItemDraft): ParsedItem {
  const updatedAt = parseDate(draft.updated);
  const item: ParsedItem = {
    guid: draft.guid ?? draft.url ?? hashKey(draft),
    title: draft.title ?? '',
    categories: normalizeCategories(draft.categories),
  };
  if (draft.url !== undefined) item.url = draft.url;
  if (draft.summary !== undefined) item.summary = draft.summary;
  if (draft.contentHtml !== undefined) item.contentHtml = draft.contentHtml;
  if (draft.author !== undefined) item.author = draft.author;
  // An entry with only an update date was first published no later than that.
  const publishedAt = parseDate(draft.published) ?? updatedAt;
  if (publishedAt !== undefined) item.publishedAt = publishedAt;
  if (updatedAt !== undefined) item.updatedAt = updatedAt;
  return item;
}

function hashKey(draft: ItemDraft): string {
  return `hash:${stableHash(draft.hashSource())}`;
}

function parseDate(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseFeedDate(text);
}

/**
 * How many items must share one id before the id is taken for a generator bug (every item
 * with the blog's address as its guid) rather than a repeated post.
 */
const BROKEN_ID_SHARE = 3;

/**
 * Items cut off by truncation are kept only when they name their identity (guid/id or link):
 * an item keyed by a hash of half its title would come back as a duplicate once complete.
 *
 * Ids repeated within the document: all items are returned, and storage keeps the first of
 * each id. When `BROKEN_ID_SHARE` or more items share one id, that id identifies nothing, so
 * those items (all of them: which one comes first changes from poll to poll) are keyed by
 * their link, else by the hash, and a warning says so. Distinct posts are never merged.
 */
function finishItems(drafts: ItemDraft[], warnings: string[]): ParsedItem[] {
  const kept: ItemDraft[] = [];
  let dropped = 0;
  for (const draft of drafts) {
    if (draft.truncated && draft.guid === undefined && draft.url === undefined) dropped += 1;
    else kept.push(draft);
  }
  if (dropped > 0) warnings.push(`${dropped} truncated item(s) without an id dropped`);
  const items = kept.map(finishItem);

  const sharing = new Map<string, number>();
  for (const item of items) sharing.set(item.guid, (sharing.get(item.guid) ?? 0) + 1);
  if (sharing.size === items.length) return items;

  const links = new Map<string, number>();
  for (const draft of kept) {
    if (draft.url !== undefined) links.set(draft.url, (links.get(draft.url) ?? 0) + 1);
  }
  let rekeyed = 0;
  for (const [index, item] of items.entries()) {
    const draft = kept[index];
    if (draft && (sharing.get(item.guid) ?? 0) >= BROKEN_ID_SHARE) {
      item.guid =
        draft.url !== undefined && links.get(draft.url) === 1 ? draft.url : hashKey(draft);
      rekeyed += 1;
    }
  }
  if (rekeyed > 0) {
    warnings.push(`${rekeyed} items share an id with 2 or more others: keyed by link or content`);
  }
  const seen = new Set<string>();
  let repeats = 0;
  for (const item of items) {
    if (seen.has(item.guid)) repeats += 1;
    seen.add(item.guid);
  }
  if (repeats > 0) warnings.push(`${repeats} item(s) repeat the id of an earlier item`);
  return items;
}

function feedResult(
  format: FeedFormat,
  title: string | undefined,
  siteUrl: string | undefined,
  description: string | undefined,
  items: ParsedItem[],
  warnings: string[],
): ParsedFeed {
  const feed: ParsedFeed = { format, title: title ?? '', items, warnings };
  if (siteUrl !== undefined) feed.siteUrl = siteUrl;
  if (description !== undefined) feed.description = description;
  return feed;
}

// ---------------------------------------------------------------------------------------------
// XML formats

const ATOM_NS: NamespaceSet = new Set([NS.atom, NS.atom03]);
const ATOM10_NS: NamespaceSet = new Set([NS.atom]);
const CONTENT_NS: NamespaceSet = new Set([NS.content]);
const DC_NS: NamespaceSet = new Set([NS.dc]);
const DCTERMS_NS: NamespaceSet = new Set([NS.dcterms]);
const XHTML_NS: NamespaceSet = new Set([NS.xhtml]);
const SY_NS: NamespaceSet = new Set([NS.sy]);
const RSS_CORE_NS = [NS.rss10, NS.rss090, NS.rss2Userland, NS.rss2Harvard, ''];

function parseXmlFeed(
  head: string,
  pieces: TextPieces,
  options: ParseFeedOptions,
  warnings: string[],
): ParsedFeed {
  const root = buildXmlTree(head, pieces, options.url, warnings);
  // One reader per root element; a new format is named in `formatOfRootName` and read here.
  const format = formatOfRootName(root.name);
  if (format === 'html') throw notAFeed('This is a web page, not a feed.');
  if (!format) throw notAFeed(`The document is XML (<${root.name}>) but not a feed.`);
  return format === 'atom' ? readAtom(root, warnings) : readRss(root, format, warnings);
}

/** RSS 0.9x/2.0 and RSS 1.0 (RDF): same vocabulary, items inside or beside the channel. */
function readRss(root: XmlElement, format: 'rss' | 'rdf', warnings: string[]): ParsedFeed {
  const channel = root.local === 'channel' ? root : findRssChannel(root);
  const core: NamespaceSet = new Set([...RSS_CORE_NS, ...(channel ? [channel.ns] : [])]);

  // RSS 2.0 nests items in the channel, RSS 1.0 puts them beside it; broken feeds mix both.
  const itemElements: XmlElement[] = [];
  const collect = (parent: XmlElement): void => {
    for (const child of parent.children) {
      if (typeof child === 'string') continue;
      if (child === channel && parent === root) collect(child);
      else if (child.local === 'item' && core.has(child.ns)) itemElements.push(child);
    }
  };
  collect(root);

  const plan = rssItemPlan(core);
  const drafts = itemElements.map((element) => readRssItem(element, plan));
  const items = finishItems(drafts, warnings);
  if (!channel) {
    warnings.push('no <channel> element');
    return feedResult(format, undefined, undefined, undefined, items, warnings);
  }
  const title = plainText(
    textContentOf(
      firstChild(channel, [
        [core, 'title'],
        [DC_NS, 'title'],
        [ATOM_NS, 'title'],
      ]),
    ),
  );
  const linkElement = childElement(channel, core, 'link');
  const siteUrl = linkUrl(linkElement) ?? alternateLink(childElements(channel, ATOM10_NS, 'link'));
  const description =
    htmlElementToText(
      firstChild(channel, [
        [core, 'description'],
        [DC_NS, 'description'],
      ]),
    ) ?? textConstructToText(childElement(channel, ATOM_NS, 'subtitle'));
  const feed = feedResult(format, title, siteUrl, description, items, warnings);
  const interval = publisherInterval(channel, core);
  if (interval !== undefined) feed.publisherIntervalMs = interval;
  return feed;
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

/** `sy:updatePeriod` values, in ms (a month and a year by their average length). */
const UPDATE_PERIODS: ReadonlyMap<string, number> = new Map([
  ['hourly', HOUR],
  ['daily', 24 * HOUR],
  ['weekly', 7 * 24 * HOUR],
  ['monthly', 730 * HOUR],
  ['yearly', 8766 * HOUR],
]);

/** A publisher hint above a week is read as a week: no user maximum is longer. */
export const MAX_PUBLISHER_INTERVAL_MS = 7 * 24 * HOUR;

/**
 * How often the channel says it changes (ms): RSS 2.0 `<ttl>` (minutes) and the syndication
 * module's `sy:updatePeriod` ÷ `sy:updateFrequency` (RSS 1.0 and 2.0; an absent period is
 * `daily`, an absent frequency 1, as the module says). When both are given the longer wins:
 * both are floors. A value that is no positive number (`0`, `-5`, `soon`, an unknown period)
 * is dropped, since it says nothing; one above a week is clamped to a week. Channel-level
 * only: nothing of this runs per item.
 */
function publisherInterval(channel: XmlElement, core: NamespaceSet): number | undefined {
  const ttl = positiveNumber(trimmedText(childElement(channel, core, 'ttl')));
  const periodText = trimmedText(childElement(channel, SY_NS, 'updateperiod'));
  const frequencyText = trimmedText(childElement(channel, SY_NS, 'updatefrequency'));
  let sy: number | undefined;
  if (periodText !== undefined || frequencyText !== undefined) {
    const period = UPDATE_PERIODS.get(periodText?.toLowerCase() ?? 'daily');
    const frequency = frequencyText === undefined ? 1 : positiveNumber(frequencyText);
    if (period !== undefined && frequency !== undefined) sy = period / frequency;
  }
  if (ttl === undefined && sy === undefined) return undefined;
  const interval = Math.max((ttl ?? 0) * MINUTE, sy ?? 0);
  return Math.round(Math.min(interval, MAX_PUBLISHER_INTERVAL_MS));
}

function positiveNumber(text: string | undefined): number | undefined {
  const value = text === undefined ? NaN : Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

function findRssChannel(root: XmlElement): XmlElement | undefined {
  for (const child of root.children) {
    if (typeof child !== 'string' && child.local === 'channel') return child;
  }
  return undefined;
}

function textContentOf(element: XmlElement | undefined): string | undefined {
  return element ? textContent(element) : undefined;
}

/** An RSS `<link>`: its text, or (a common mistake) an Atom-style `href` attribute. */
function linkUrl(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  return safeHttpUrl(trimmedText(element) ?? attribute(element, 'href'), element.base);
}

type Candidates = readonly (readonly [NamespaceSet, string])[];

/** Where an RSS item's fields may be, in order of preference, for one RSS core namespace set. */
interface RssItemPlan {
  core: NamespaceSet;
  title: Candidates;
  description: Candidates;
  body: Candidates;
  published: Candidates;
  updated: Candidates;
  author: Candidates;
}

function rssItemPlan(core: NamespaceSet): RssItemPlan {
  return {
    core,
    title: [
      [core, 'title'],
      [DC_NS, 'title'],
      [ATOM_NS, 'title'],
    ],
    description: [
      [core, 'description'],
      [DC_NS, 'description'],
    ],
    body: [
      [XHTML_NS, 'body'],
      [core, 'body'],
      [core, 'fullitem'],
    ],
    published: [
      [core, 'pubdate'],
      [DCTERMS_NS, 'issued'],
      [ATOM_NS, 'published'],
      [DCTERMS_NS, 'created'],
    ],
    updated: [
      [DCTERMS_NS, 'modified'],
      [ATOM_NS, 'updated'],
      [DC_NS, 'date'],
    ],
    author: [
      [DC_NS, 'creator'],
      [core, 'author'],
      [DC_NS, 'author'],
    ],
  };
}

function readRssItem(item: XmlElement, plan: RssItemPlan): ItemDraft {
  const { core } = plan;
  const titleElement = firstChild(item, plan.title);
  const guidElement = childElement(item, core, 'guid');
  const guid = trimmedText(guidElement) ?? (attribute(item, 'about', NS.rdf)?.trim() || undefined);
  const isPermaLink = guidElement
    ? attribute(guidElement, 'ispermalink')?.trim().toLowerCase() !== 'false'
    : false;
  const url =
    linkUrl(childElement(item, core, 'link')) ??
    alternateLink(childElements(item, ATOM10_NS, 'link')) ??
    (isPermaLink && guid !== undefined ? safeHttpUrl(guid) : undefined);

  const descriptionElement = firstChild(item, plan.description);
  // RSS has no <summary>, but some generators add one beside the description; the element
  // named summary is then the summary and the description the full text.
  const summaryElement = childElement(item, core, 'summary');
  const summary =
    htmlElementToText(summaryElement ?? descriptionElement) ??
    textConstructToText(childElement(item, ATOM_NS, 'summary'));
  const contentHtml =
    htmlElementToHtml(childElement(item, CONTENT_NS, 'encoded')) ??
    htmlElementToHtml(firstChild(item, plan.body)) ??
    textConstructToHtml(childElement(item, ATOM_NS, 'content')) ??
    (summaryElement ? htmlElementToHtml(descriptionElement) : undefined);

  const published = lastChild(item, plan.published);
  const updated = lastChild(item, plan.updated);
  const author = authorName(
    textContentOf(firstChild(item, plan.author)) ??
      atomPersonName(childElement(item, ATOM_NS, 'author')),
  );
  const dateText = trimmedText(published) ?? trimmedText(updated);
  const categories: string[] = [];
  for (const child of item.children) {
    if (typeof child === 'string') continue;
    if (child.local === 'category' && core.has(child.ns)) categories.push(textContent(child));
    else if (child.local === 'subject' && DC_NS.has(child.ns)) categories.push(textContent(child));
    else if (child.local === 'category' && ATOM_NS.has(child.ns)) {
      categories.push(atomCategory(child));
    }
  }
  return {
    guid,
    url,
    title: plainText(textContentOf(titleElement)),
    summary,
    contentHtml,
    author,
    categories,
    published: trimmedText(published),
    updated: trimmedText(updated),
    hashSource: () =>
      hashSource(textContentOf(titleElement), dateText, textContentOf(descriptionElement)),
    truncated: item.truncated,
  };
}

function hashSource(title = '', date = '', summary = ''): string {
  return `${title.trim()}\n${date}\n${summary.trim()}`;
}

/** Atom 1.0 and 0.3 (0.3's `tagline`, `issued`, `modified`, content `mode` are understood). */
function readAtom(root: XmlElement, warnings: string[]): ParsedFeed {
  const atom: NamespaceSet = new Set([root.ns, ...ATOM_NS]);
  const feedAuthor = atomPersonName(childElement(root, atom, 'author'));
  const drafts = childElements(root, atom, 'entry').map((entry) =>
    readAtomEntry(entry, atom, feedAuthor),
  );
  const title = textConstructToText(childElement(root, atom, 'title'));
  const siteUrl = alternateLink(childElements(root, atom, 'link'));
  const description = textConstructToText(
    firstChild(root, [
      [atom, 'subtitle'],
      [atom, 'tagline'],
    ]),
  );
  return feedResult('atom', title, siteUrl, description, finishItems(drafts, warnings), warnings);
}

function readAtomEntry(entry: XmlElement, atom: NamespaceSet, feedAuthor?: string): ItemDraft {
  const titleElement = childElement(entry, atom, 'title');
  const summaryElement = childElement(entry, atom, 'summary');
  const url = alternateLink(childElements(entry, atom, 'link'));
  const published = lastChild(entry, [
    [atom, 'published'],
    [atom, 'issued'],
    [DCTERMS_NS, 'issued'],
    [atom, 'created'],
  ]);
  const updated = lastChild(entry, [
    [atom, 'updated'],
    [atom, 'modified'],
    [DC_NS, 'date'],
  ]);
  const source = childElement(entry, atom, 'source');
  const author =
    atomPersonName(childElement(entry, atom, 'author')) ??
    authorName(textContentOf(childElement(entry, DC_NS, 'creator'))) ??
    (source ? atomPersonName(childElement(source, atom, 'author')) : undefined) ??
    feedAuthor;
  return {
    guid: atomId(childElement(entry, atom, 'id')),
    url,
    title: textConstructToText(titleElement),
    summary: textConstructToText(summaryElement),
    contentHtml: textConstructToHtml(childElement(entry, atom, 'content')),
    author,
    categories: [
      ...childElements(entry, atom, 'category').map(atomCategory),
      ...childElements(entry, DC_NS, 'subject').map(textContent),
    ],
    published: trimmedText(published),
    updated: trimmedText(updated),
    hashSource: () =>
      hashSource(
        textContentOf(titleElement),
        trimmedText(published) ?? trimmedText(updated),
        textContentOf(summaryElement),
      ),
    truncated: entry.truncated,
  };
}

/**
 * An Atom id as written. A relative one (invalid: RFC 4287 wants an absolute IRI) is resolved
 * against `xml:base` when the document declares an absolute one, but never against the URL
 * the feed was fetched from: a feed that moves to https would otherwise change every id and
 * come back as all-new posts.
 */
function atomId(element: XmlElement | undefined): string | undefined {
  const id = trimmedText(element);
  if (id === undefined || element?.declaredBase === undefined || hasScheme(id)) return id;
  return absoluteReference(id, element.declaredBase) ?? id;
}

function atomCategory(element: XmlElement): string {
  return attribute(element, 'term') ?? attribute(element, 'label') ?? textContent(element);
}

/** `<author><name>…</name></author>`, or the bare text some feeds put in `<author>`. */
function atomPersonName(person: XmlElement | undefined): string | undefined {
  if (!person) return undefined;
  const name = childElements(person, new Set([person.ns, ...ATOM_NS]), 'name')[0];
  if (name) return authorName(textContent(name));
  return hasElementChildren(person) ? undefined : authorName(textContent(person));
}

/**
 * The `alternate` link among Atom `<link>`s (no `rel` means alternate), preferring an HTML
 * type; resolved against the link's own `xml:base`, http(s) only.
 */
function alternateLink(links: XmlElement[]): string | undefined {
  let fallback: string | undefined;
  for (const link of links) {
    const rel = (attribute(link, 'rel') ?? 'alternate').trim().toLowerCase();
    if (rel !== 'alternate' && rel !== 'http://www.iana.org/assignments/relation/alternate') {
      continue;
    }
    // A link with its URL as text instead of `href` is wrong, but its meaning is plain.
    const url = safeHttpUrl(attribute(link, 'href') ?? trimmedText(link), link.base);
    if (url === undefined) continue;
    const type = attribute(link, 'type')?.trim().toLowerCase();
    if (type === undefined || type === 'text/html' || type === 'application/xhtml+xml') return url;
    fallback ??= url;
  }
  return fallback;
}

type TextConstructKind = 'text' | 'html' | 'xhtml' | 'other';

/** Atom text construct kind from `type` (1.0 names or MIME types, as 0.3 used). */
function textConstructKind(element: XmlElement): TextConstructKind {
  const type = attribute(element, 'type')?.trim().toLowerCase() || 'text';
  if (type === 'text' || type === 'text/plain') return 'text';
  if (type === 'html' || type === 'text/html') return 'html';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  return type.startsWith('text/') ? 'text' : 'other';
}

/**
 * The text of a construct, base64-decoded for Atom 0.3 `mode="base64"` and for Atom 1.0
 * content of a non-text, non-XML media type (RFC 4287 §4.1.3.3), read as UTF-8 text.
 */
function constructText(element: XmlElement, kind: TextConstructKind): string | undefined {
  const text = textContent(element);
  if (!isBase64(element, kind)) return text;
  try {
    const binary = atob(text.replace(/\s+/g, ''));
    const decoded = new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
    // Binary media (an image inlined as base64) is no text to show.
    return decoded.includes('\uFFFD') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function isBase64(element: XmlElement, kind: TextConstructKind): boolean {
  const type = attribute(element, 'type')?.trim().toLowerCase() ?? '';
  return (
    attribute(element, 'mode')?.trim().toLowerCase() === 'base64' ||
    (kind === 'other' && !type.endsWith('xml'))
  );
}

/**
 * The markup inside an Atom 1.0 `type="xhtml"` construct, without its wrapping `<div>` (RFC
 * 4287 §3.1.1.3). Other inline XML (Atom 0.3 `mode="xml"`, an XML media type) has no wrapper
 * to remove: its markup is the content as it is.
 */
function xhtmlInner(element: XmlElement): string {
  if (attribute(element, 'type')?.trim().toLowerCase() !== 'xhtml') return innerHtml(element);
  const elements = element.children.filter(
    (child): child is XmlElement => typeof child !== 'string',
  );
  const noTextOutside = element.children.every(
    (child) => typeof child !== 'string' || child.trim() === '',
  );
  const wrapper = elements[0];
  if (elements.length === 1 && noTextOutside && wrapper && wrapper.local === 'div') {
    return innerHtml(wrapper);
  }
  return innerHtml(element);
}

/** Atom 0.3 `mode="xml"` and inline markup in a text/html construct are xhtml in practice. */
function isInlineMarkup(element: XmlElement, kind: TextConstructKind): boolean {
  return kind === 'xhtml' || (kind !== 'other' && hasElementChildren(element));
}

/**
 * The HTML of a construct, not yet sanitized, with the base its relative URLs need (inline
 * markup comes with its URLs already resolved). Inline markup is serialized, except that
 * escaped HTML inside a wrapper `<div>` in a `type="html"` construct (TypePad did this) is
 * taken as the HTML it spells.
 */
function constructHtml(element: XmlElement, kind: TextConstructKind): ConstructHtml | undefined {
  if (isInlineMarkup(element, kind)) {
    const wrapper = element.children.find((child) => typeof child !== 'string');
    if (kind === 'html' && wrapper && wrapper.local === 'div' && !hasElementChildren(wrapper)) {
      return { html: textContent(wrapper), base: wrapper.base, safe: wrapper.safeHtml };
    }
    return { html: xhtmlInner(element), base: undefined, safe: false };
  }
  const text = constructText(element, kind);
  if (text === undefined) return undefined;
  return kind === 'text'
    ? { html: escapeHtmlText(text.trim()), base: undefined, safe: false }
    : { html: text, base: element.base, safe: element.safeHtml && !isBase64(element, kind) };
}

/** A construct's HTML, not yet sanitized. */
interface ConstructHtml {
  html: string;
  /** What its relative URLs are resolved against (inline markup has them resolved). */
  base: string | undefined;
  /** Known to pass `sanitizeHtml` unchanged against `base` (see `XmlElement.safeHtml`). */
  safe: boolean;
}

function textConstructToText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const kind = textConstructKind(element);
  if (kind !== 'text') {
    return htmlToText(constructHtml(element, kind)?.html ?? '') || undefined;
  }
  return plainText(constructText(element, kind));
}

function textConstructToHtml(element: XmlElement | undefined): string | undefined {
  if (!element || attribute(element, 'src') !== undefined) return undefined;
  const construct = constructHtml(element, textConstructKind(element));
  if (!construct || !hasText(construct.html)) return undefined;
  const html = sanitizeHtml(construct.html, construct.base, construct.safe);
  return hasText(html) ? html : undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON Feed

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonString(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseJsonFeed(
  pieces: TextPieces,
  options: ParseFeedOptions,
  warnings: string[],
): ParsedFeed {
  // The whole text is needed by JSON.parse, and by nothing after it: dropped right away.
  // Control characters are only looked for when JSON.parse fails (raw ones are a syntax
  // error in JSON strings), which spares well-formed feeds a pass over all their text.
  let text = pieces.readAll(true);
  let document: Json | undefined;
  try {
    document = JSON.parse(text) as Json;
  } catch {
    const cleaned = cleanDecodedText(text, warnings);
    if (cleaned !== text) document = parseJsonOrUndefined(cleaned);
  } finally {
    text = '';
  }
  if (document === undefined) throw new FeedError('invalid-json', 'The feed is not valid JSON.');
  if (!isObject(document)) throw notAFeed('The JSON document is not a JSON Feed.');
  // The version URL is what tells a JSON Feed from any other JSON API answer.
  const version = jsonString(document.version);
  if (version === undefined || !/^https?:\/\/jsonfeed\.org\/version\//.test(version)) {
    throw notAFeed('The JSON document is not a JSON Feed.');
  }
  const rawItems = document.items;
  if (rawItems !== undefined && !Array.isArray(rawItems)) {
    throw new FeedError('invalid-structure', 'The JSON Feed\u2019s "items" is not a list.');
  }
  if (rawItems === undefined) warnings.push('JSON Feed without items');

  const base = options.url ?? jsonString(document.feed_url);
  const feedAuthor = jsonAuthor(document);
  const drafts: ItemDraft[] = [];
  let discarded = 0;
  for (const raw of rawItems ?? []) {
    const draft = isObject(raw) ? readJsonItem(raw, base, feedAuthor) : undefined;
    if (draft) drafts.push(draft);
    else discarded += 1;
  }
  if (discarded > 0) warnings.push(`${discarded} item(s) without a usable id discarded`);
  return feedResult(
    'json',
    plainText(jsonString(document.title)),
    safeHttpUrl(jsonString(document.home_page_url), base),
    plainText(jsonString(document.description)),
    finishItems(drafts, warnings),
    warnings,
  );
}

function parseJsonOrUndefined(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** JSON Feed items without a usable id must be discarded (spec, "Suggestions for readers"). */
function readJsonItem(
  item: JsonObject,
  base: string | undefined,
  feedAuthor?: string,
): ItemDraft | undefined {
  const rawId = item.id;
  const id =
    typeof rawId === 'number' && Number.isFinite(rawId)
      ? String(rawId)
      : typeof rawId === 'string' && rawId.trim() !== ''
        ? rawId.trim()
        : undefined;
  if (id === undefined) return undefined;
  const html = jsonString(item.content_html);
  const text = jsonString(item.content_text);
  const tags = Array.isArray(item.tags) ? item.tags.map(jsonString) : [];
  return {
    guid: id,
    url:
      safeHttpUrl(jsonString(item.url), base) ?? safeHttpUrl(jsonString(item.external_url), base),
    title: plainText(jsonString(item.title)),
    summary: plainText(jsonString(item.summary)),
    contentHtml:
      html !== undefined && hasText(html)
        ? sanitizeHtml(html, base)
        : text !== undefined && hasText(text)
          ? escapeHtmlText(text)
          : undefined,
    // Items inherit the feed's authors only when they name none themselves (spec, "Items").
    author: hasJsonAuthors(item) ? jsonAuthor(item) : feedAuthor,
    categories: tags,
    published: jsonString(item.date_published),
    updated: jsonString(item.date_modified),
    // Only needed when many items share one id (then the id cannot tell them apart).
    hashSource: () =>
      hashSource(
        jsonString(item.title),
        jsonString(item.date_published) ?? jsonString(item.date_modified),
        jsonString(item.summary) ?? text ?? html,
      ),
  };
}

function hasJsonAuthors(holder: JsonObject): boolean {
  return (Array.isArray(holder.authors) && holder.authors.length > 0) || isObject(holder.author);
}

/** `authors` (1.1) beats `author` (1.0); the first named author is the display author. */
function jsonAuthor(holder: JsonObject): string | undefined {
  const authors = Array.isArray(holder.authors) ? holder.authors : [];
  for (const person of [...authors, holder.author]) {
    if (isObject(person)) {
      const name = plainText(jsonString(person.name));
      if (name) return name;
    }
  }
  return undefined;
}
