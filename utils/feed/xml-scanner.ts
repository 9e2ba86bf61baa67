/**
 * A forgiving XML tokenizer for feeds, fed piece by piece. It reads the same tokens as
 * htmlparser2's `Tokenizer` in XML mode with entity decoding off (what `parseFeed` used
 * before), but finds the ends of text, CDATA sections and comments with `indexOf` instead of
 * a state machine stepping through every character: in a feed nearly every character is
 * article text or CDATA, so this is most of the work (measured: see docs/decisions.md).
 *
 * Forgiving as htmlparser2 is: anything after `<` that cannot start a tag is text; attribute
 * values may be unquoted; a CDATA section or comment left open runs to the end; a tag left
 * open at the end is dropped. Entities are not decoded here, DOCTYPEs are not interpreted.
 */
import * as chars from '@/utils/html/chars';

/** Local bindings for the per-character loops (why: `utils/html/chars.ts`). */
const endsTagName = chars.endsTagName;
const isWhitespace = chars.isWhitespace;

/** What the scanner reports. Strings are as written (entities not decoded). */
export interface XmlScanHandler {
  /** A start tag; `attributes` as [name, raw value] pairs (`''` for a bare attribute). */
  openTag(
    name: string,
    attributes: readonly (readonly [string, string])[],
    selfClosing: boolean,
  ): void;
  closeTag(name: string): void;
  /**
   * Character data, possibly in several calls for one run (at piece ends). It holds no `<`
   * unless `recovered`: markup that turned out to be text (`a < b`, `</>`, `<?` left open).
   */
  text(raw: string, recovered?: boolean): void;
  /** The content of a CDATA section, possibly in several calls for one section. */
  cdata(text: string): void;
  /** A comment, processing instruction or declaration: it separates text runs. */
  separator(): void;
  /** Something was recovered from, in words. */
  warn(message: string): void;
}

const enum State {
  Text,
  Cdata,
  Comment,
  /** `<?…?>` and `<!…>`: skipped; if the document ends first, their text is text. */
  Markup,
  /** The rest of a malformed end tag (`</a b>`), up to `>`. */
  EndTagRest,
}

const NO_ATTRIBUTES: readonly (readonly [string, string])[] = [];

/** How much of a new piece is joined to a tag left unfinished by the previous one, at first. */
const BOUNDARY_WINDOW = 4096;

/** Characters a tag may take across pieces before it is given up on. */
const MAX_TAG_LENGTH = 1024 * 1024;

/** Whether `text` begins with a start tag's `<` and the first character of its name. */
function isStartTag(text: string): boolean {
  const code = text.charCodeAt(1);
  return !Number.isNaN(code) && !endsTagName(code) && code !== 0x21 && code !== 0x3f;
}

export class XmlScanner {
  #state = State.Text;
  /** Unprocessed text carried over from the previous piece (an unfinished tag, say). */
  #pending = '';
  /** What ends the markup being skipped: `?>` or `>`. */
  #markupEnd = '>';
  /** The text of that markup so far, kept in case the document ends inside it. */
  #markupText: string[] = [];

  readonly #handler: XmlScanHandler;

  constructor(handler: XmlScanHandler) {
    this.#handler = handler;
  }

  /** Scans the next piece of the document. */
  write(piece: string): void {
    const from = this.#pending.length > 0 ? this.#resume(piece) : 0;
    if (from !== -1) this.#scan(piece, from, false);
  }

  /**
   * The document is complete: an open CDATA section ends here, an open comment or tag is
   * dropped, and open `<?…`/`<!…` markup turns out to have been text (as htmlparser2 reads it).
   */
  end(): void {
    const text = this.#pending;
    this.#pending = '';
    if (text.length > 0) this.#scan(text, 0, true);
    if (this.#state === State.Markup) {
      const markup = this.#markupText.join('');
      this.#markupText = [];
      if (markup.length > 0) this.#handler.text(markup, true);
    }
    this.#state = State.Text;
  }

  /**
   * Finishes what the previous piece left open, without joining the two pieces (a string
   * built from a piece and a few characters costs a copy of the whole piece once it is
   * searched). Returns where to go on scanning `piece`, or -1 when it is all pending.
   */
  #resume(piece: string): number {
    const carried = this.#pending;
    this.#pending = '';
    if (this.#state === State.Text) {
      // An unfinished tag (or `<!`, `<?`): join it to the start of the piece, then to all of
      // it if the tag goes on longer than that. A start tag can only end at a `>`.
      if (
        isStartTag(carried) &&
        !piece.includes('>') &&
        carried.length + piece.length <= MAX_TAG_LENGTH
      ) {
        this.#pending = carried + piece;
        return -1;
      }
      for (let window = BOUNDARY_WINDOW; ; window = piece.length) {
        const joined = carried + piece.slice(0, window);
        const next = this.#scanMarkup(joined, 0, false);
        if (next !== -1) return next - carried.length;
        if (window >= piece.length) break;
      }
      if (carried.length + piece.length <= MAX_TAG_LENGTH) {
        this.#pending = carried + piece;
        return -1;
      }
      // No feed has tags this long: dropped, and the rest read from its next `>` on, so
      // that a hostile one cannot make each piece re-read all of it.
      this.#handler.warn('ill-formed XML: a tag longer than 1 MiB dropped');
      this.#state = State.EndTagRest;
      return 0;
    }
    // The last characters of a CDATA section, comment or markup, held back because the
    // terminator may begin in them.
    const terminator = this.#terminator();
    if (piece.length < terminator.length - 1) {
      // A piece this short is cheaply scanned joined to what was carried.
      this.#scan(carried + piece, 0, false);
      return -1;
    }
    const boundary = carried + piece.slice(0, terminator.length - 1);
    const close = boundary.indexOf(terminator);
    if (close === -1) {
      this.#sectionText(carried);
      return 0;
    }
    this.#sectionText(carried.slice(0, close));
    this.#endSection();
    return close + terminator.length - carried.length;
  }

  #terminator(): string {
    if (this.#state === State.Cdata) return ']]>';
    if (this.#state === State.Comment) return '-->';
    return this.#markupEnd;
  }

  /** Text inside the open CDATA section or markup (a comment's is dropped). */
  #sectionText(text: string): void {
    if (text.length === 0) return;
    if (this.#state === State.Cdata) this.#handler.cdata(text);
    else if (this.#state === State.Markup) this.#markupText.push(text);
  }

  #endSection(): void {
    if (this.#state !== State.Cdata) this.#handler.separator();
    this.#markupText = [];
    this.#state = State.Text;
  }

  #scan(text: string, from: number, atEnd: boolean): void {
    const handler = this.#handler;
    let index = from;
    const length = text.length;
    while (index < length) {
      switch (this.#state) {
        case State.Cdata:
        case State.Comment:
        case State.Markup: {
          const terminator = this.#terminator();
          const close = text.indexOf(terminator, index);
          if (close === -1) {
            // Keep the last characters back: the terminator may begin in them.
            const cut = atEnd ? length : Math.max(index, length - terminator.length + 1);
            this.#sectionText(text.slice(index, cut));
            this.#pending = text.slice(cut);
            return;
          }
          this.#sectionText(text.slice(index, close));
          index = close + terminator.length;
          this.#endSection();
          break;
        }
        case State.EndTagRest: {
          const close = text.indexOf('>', index);
          if (close === -1) return;
          index = close + 1;
          this.#state = State.Text;
          break;
        }
        default: {
          const open = text.indexOf('<', index);
          if (open === -1) {
            handler.text(index === 0 ? text : text.slice(index));
            return;
          }
          if (open > index) handler.text(text.slice(index, open));
          const next = this.#scanMarkup(text, open, atEnd);
          if (next === -1) {
            // An unfinished tag: read again with the next piece (dropped at the end).
            if (!atEnd) this.#pending = text.slice(open);
            return;
          }
          index = next;
        }
      }
    }
  }

  /**
   * Reads the construct starting with the `<` at `open`; returns where scanning goes on, or -1
   * when the construct is not complete in `text`.
   */
  #scanMarkup(text: string, open: number, atEnd: boolean): number {
    const next = text.charCodeAt(open + 1);
    if (Number.isNaN(next)) {
      if (atEnd) this.#handler.text('<', true);
      return atEnd ? open + 1 : -1;
    }
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', open)) {
        this.#state = State.Comment;
        return open + 4;
      }
      if (text.startsWith('<![CDATA[', open)) {
        this.#handler.separator();
        this.#state = State.Cdata;
        return open + 9;
      }
      // `<!-` or `<![CDA` cut off at the end of the piece: wait for the rest.
      if (!atEnd && text.length - open < 9) {
        const start = text.slice(open);
        if ('<!--'.startsWith(start) || '<![CDATA['.startsWith(start)) return -1;
      }
      return this.#startMarkup(open, '>');
    }
    if (next === 0x3f /* ? */) return this.#startMarkup(open, '?>');
    if (next === 0x2f /* / */) return this.#scanEndTag(text, open + 2, atEnd);
    // `<` before whitespace or `>` starts no tag: it is text.
    if (isWhitespace(next) || next === 0x3e) {
      this.#handler.text('<', true);
      return open + 1;
    }
    return this.#scanStartTag(text, open + 1);
  }

  #startMarkup(open: number, end: string): number {
    this.#state = State.Markup;
    this.#markupEnd = end;
    this.#markupText = [];
    return open + 2;
  }

  #scanEndTag(text: string, start: number, atEnd: boolean): number {
    const length = text.length;
    let index = start;
    while (index < length && isWhitespace(text.charCodeAt(index))) index += 1;
    if (index >= length) {
      // `</` and spaces at the very end: text.
      if (atEnd) this.#handler.text(text.slice(start - 2), true);
      return atEnd ? length : -1;
    }
    const first = text.charCodeAt(index);
    if (first === 0x3e /* > */) {
      // `</>` names nothing; read as text, as htmlparser2 does.
      this.#handler.text(text.slice(start - 2, index + 1), true);
      return index + 1;
    }
    if (first === 0x2f /* / */) {
      // `<//x>`: a bogus comment up to `>`.
      const close = text.indexOf('>', index);
      if (close === -1) return atEnd ? length : -1;
      this.#handler.separator();
      return close + 1;
    }
    const nameStart = index;
    while (index < length && !endsTagName(text.charCodeAt(index))) index += 1;
    if (index >= length) return -1;
    // The tag counts once its name ends, `>` or not (`</feed` + newline at the very end).
    this.#handler.closeTag(text.slice(nameStart, index));
    const close = text.indexOf('>', index);
    if (close !== -1) return close + 1;
    this.#state = State.EndTagRest;
    return length;
  }

  #scanStartTag(text: string, start: number): number {
    const length = text.length;
    let index = start;
    while (index < length && !endsTagName(text.charCodeAt(index))) index += 1;
    if (index >= length) return -1;
    const name = text.slice(start, index);
    let attributes: (readonly [string, string])[] | undefined;
    for (;;) {
      while (index < length && isWhitespace(text.charCodeAt(index))) index += 1;
      if (index >= length) return -1;
      let code = text.charCodeAt(index);
      if (code === 0x3e /* > */) {
        this.#handler.openTag(name, attributes ?? NO_ATTRIBUTES, false);
        return index + 1;
      }
      if (code === 0x2f /* / */) {
        index += 1;
        while (index < length && isWhitespace(text.charCodeAt(index))) index += 1;
        if (index >= length) return -1;
        if (text.charCodeAt(index) === 0x3e) {
          this.#handler.openTag(name, attributes ?? NO_ATTRIBUTES, true);
          return index + 1;
        }
        continue;
      }
      const nameStart = index;
      while (index < length) {
        code = text.charCodeAt(index);
        if (code === 0x3d /* = */ || endsTagName(code)) break;
        index += 1;
      }
      if (index >= length) return -1;
      const attributeName = text.slice(nameStart, index);
      while (index < length && isWhitespace(text.charCodeAt(index))) index += 1;
      if (index >= length) return -1;
      let value = '';
      if (text.charCodeAt(index) === 0x3d) {
        index += 1;
        while (index < length && isWhitespace(text.charCodeAt(index))) index += 1;
        if (index >= length) return -1;
        const quote = text.charCodeAt(index);
        if (quote === 0x22 || quote === 0x27) {
          const close = text.indexOf(quote === 0x22 ? '"' : "'", index + 1);
          if (close === -1) return -1;
          value = text.slice(index + 1, close);
          index = close + 1;
        } else {
          const valueStart = index;
          while (index < length) {
            code = text.charCodeAt(index);
            if (isWhitespace(code) || code === 0x3e) break;
            index += 1;
          }
          if (index >= length) return -1;
          value = text.slice(valueStart, index);
        }
      }
      (attributes ??= []).push([attributeName, value]);
    }
  }
}
