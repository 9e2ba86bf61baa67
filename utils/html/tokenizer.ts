/**
 * An HTML tokenizer for a complete string, without a DOM (the MV3 service worker has none). It
 * reads the tokens htmlparser2's `Tokenizer` reads in HTML mode, which the sanitizer, text
 * extraction and feed discovery were built on, but finds the ends of text, comments and
 * raw-text elements with `indexOf` rather than stepping a state machine through every
 * character (the way `utils/feed/xml-scanner.ts` reads XML).
 *
 * As a browser reads HTML: `<` that cannot start a tag is text; a tag name starts with an
 * ASCII letter and ends at whitespace, `/` or `>`; attribute values may be unquoted; the
 * content of `script`, `style`, `xmp`, `iframe`, `noembed` and `noframes` is raw text up to
 * its end tag, that of `title` and `textarea` too but with references decoded, and everything
 * after `<plaintext>` is text; comments, `<!…>` and `<?…>` are skipped; nothing more is read
 * of a tag cut off by the end of the input. Names are reported as written (case included).
 *
 * Known differences from htmlparser2 12, all on broken markup: a tag cut off by the end of the
 * input yields no text, as in browsers (htmlparser2 reported the last character of `</b x` or
 * `<b /` as text, and the name of `<scr` when it could still have become `script`…);
 * in `title`/`textarea`, a reference right after a partial end tag (`</ti&amp;`) is decoded;
 * control characters never stand in for `<` or `/` in end tags of raw-text elements.
 */
import * as chars from '@/utils/html/chars';
import { decodeHtml } from '@/utils/html/entities';

/** Local bindings for the per-character loops (why: `utils/html/chars.ts`). */
const endsTagName = chars.endsTagName;
const isAsciiAlpha = chars.isAsciiAlpha;
const isWhitespace = chars.isWhitespace;

/** What the tokenizer reports, in document order. Set `stopped` to end tokenizing. */
export interface HtmlTokenHandler {
  /** A start tag's name, once it ends (the tag may still be cut off by the end of input). */
  openTag(name: string): void;
  /** An attribute of the start tag being read; `''` for a bare one. */
  attribute(name: string, value: string): void;
  /** The start tag's `>`; `selfClosing` when written `/>`. */
  openTagEnd(selfClosing: boolean): void;
  closeTag(name: string): void;
  /** Character data: runs are reported whole, or cut where markup was skipped. */
  text(text: string): void;
  /** The content of a `<![CDATA[…]]>` section (in HTML, a comment to browsers). */
  cdata(text: string): void;
  /** Set by a callback to stop: nothing more is reported. */
  stopped?: boolean;
}

export interface HtmlTokenizerOptions {
  /** Decode character references in text and attribute values (else reported as written). */
  decode?: boolean;
  /**
   * Asked at each start tag: whether it stands in SVG or MathML, where `<script>`, `<title>`…
   * hold markup rather than raw text.
   */
  isForeign?: () => boolean;
}

/** Elements whose content is text up to their end tag (`title`, `textarea`: decoded). */
const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set(
  'iframe noembed noframes plaintext script style textarea title xmp'.split(' '),
);

/** Tokenizes `html`, reporting to `handler`. */
export function tokenizeHtml(
  html: string,
  handler: HtmlTokenHandler,
  { decode = false, isForeign }: HtmlTokenizerOptions = {},
): void {
  const length = html.length;
  /** Where the text not yet reported starts. */
  let textStart = 0;

  const text = (end: number, decodeIt = decode): void => {
    if (end > textStart) {
      const raw = html.slice(textStart, end);
      handler.text(decodeIt ? decodeHtml(raw) : raw);
    }
  };

  const skipWhitespace = (from: number): number => {
    let index = from;
    while (index < length && isWhitespace(html.charCodeAt(index))) index += 1;
    return index;
  };

  /** Past the `>` at or after `from`, or the end. */
  const pastGt = (from: number): number => {
    const gt = html.indexOf('>', from);
    return gt === -1 ? length : gt + 1;
  };

  /** Reads an end tag's name from `start`; returns where text goes on. */
  const endTag = (start: number): number => {
    let index = start;
    while (index < length && !endsTagName(html.charCodeAt(index))) index += 1;
    if (index >= length) return length;
    handler.closeTag(html.slice(start, index));
    return pastGt(index);
  };

  /**
   * Reads the start tag whose name starts at `start`, and the content of a raw-text element;
   * returns where text goes on (`length` when the input ended inside).
   */
  const startTag = (start: number): number => {
    const foreign = isForeign?.() ?? false;
    let index = start;
    while (index < length && !endsTagName(html.charCodeAt(index))) index += 1;
    if (index >= length) return length;
    const name = html.slice(start, index);
    const lower = name.toLowerCase();
    handler.openTag(name);
    for (;;) {
      if (handler.stopped) return length;
      index = skipWhitespace(index);
      if (index >= length) return length;
      let code = html.charCodeAt(index);
      if (code === 0x3e /* > */ || code === 0x2f /* / */) {
        const selfClosing = code === 0x2f;
        if (selfClosing) {
          index = skipWhitespace(index + 1);
          if (index >= length) return length;
          // `/` not before `>` is ignored: `<a / href=x>`.
          if (html.charCodeAt(index) !== 0x3e) continue;
        }
        handler.openTagEnd(selfClosing);
        return foreign || !RAW_TEXT_ELEMENTS.has(lower) ? index + 1 : rawText(index + 1, lower);
      }
      // An attribute name: its first character may be anything else (`=` included).
      const nameStart = index;
      index += 1;
      while (index < length && (code = html.charCodeAt(index)) !== 0x3d && !endsTagName(code)) {
        index += 1;
      }
      const attribute = html.slice(nameStart, index);
      index = skipWhitespace(index);
      if (index >= length) return length;
      if (html.charCodeAt(index) !== 0x3d /* = */) {
        handler.attribute(attribute, '');
        continue;
      }
      index = skipWhitespace(index + 1);
      if (index >= length) return length;
      const quote = html.charCodeAt(index);
      let value: string;
      if (quote === 0x22 || quote === 0x27) {
        const close = html.indexOf(quote === 0x22 ? '"' : "'", index + 1);
        if (close === -1) return length;
        value = html.slice(index + 1, close);
        index = close + 1;
      } else {
        const valueStart = index;
        while (index < length && !isWhitespace((code = html.charCodeAt(index))) && code !== 0x3e) {
          index += 1;
        }
        if (index >= length) return length;
        value = html.slice(valueStart, index);
      }
      handler.attribute(attribute, decode && value.includes('&') ? decodeHtml(value, true) : value);
    }
  };

  /** The content of raw-text element `name` from `start`, and its end tag. */
  const rawText = (start: number, name: string): number => {
    textStart = start;
    const decodeIt = decode && (name === 'title' || name === 'textarea');
    if (name !== 'plaintext') {
      for (let lt = html.indexOf('</', start); lt !== -1; lt = html.indexOf('</', lt + 1)) {
        const nameEnd = lt + 2 + name.length;
        if (
          nameEnd < length &&
          endsTagName(html.charCodeAt(nameEnd)) &&
          html.slice(lt + 2, nameEnd).toLowerCase() === name
        ) {
          text(lt, decodeIt);
          if (handler.stopped) return length;
          return endTag(lt + 2);
        }
      }
    }
    text(length, decodeIt);
    return length;
  };

  let index = html.indexOf('<');
  while (index !== -1 && index < length) {
    const code = html.charCodeAt(index + 1);
    let next: number;
    if (isAsciiAlpha(code)) {
      text(index);
      if (handler.stopped) return;
      next = startTag(index + 1);
    } else if (code === 0x2f /* / */) {
      const after = html.charCodeAt(index + 2);
      if (Number.isNaN(after)) break;
      text(index);
      if (handler.stopped) return;
      // `</>` is nothing; `</ x>` and `</3>` are comments to browsers.
      next = isAsciiAlpha(after) ? endTag(index + 2) : pastGt(index + 2);
    } else if (code === 0x21 /* ! */) {
      text(index);
      if (handler.stopped) return;
      next = markupDeclaration(index);
    } else if (code === 0x3f /* ? */) {
      text(index);
      if (handler.stopped) return;
      next = pastGt(index + 2);
    } else {
      // Not markup: the `<` is text.
      index = html.indexOf('<', index + 1);
      continue;
    }
    if (handler.stopped) return;
    textStart = next;
    index = html.indexOf('<', next);
  }
  if (textStart < length) text(length);

  /** `<!--…-->`, `<![CDATA[…]]>`, or `<!…>` (a DOCTYPE or a bogus comment), at `open`. */
  function markupDeclaration(open: number): number {
    if (html.startsWith('<!--', open)) {
      // `<!-->` and `<!--->` are empty comments; `--!>` ends one too.
      const dashes = html.indexOf('-->', open + 2);
      const bang = html.indexOf('--!>', open + 4);
      if (dashes === -1 && bang === -1) return length;
      return dashes !== -1 && (bang === -1 || dashes < bang) ? dashes + 3 : bang + 4;
    }
    if (html.startsWith('<![CDATA[', open)) {
      const close = html.indexOf(']]>', open + 9);
      // Left open, it is a comment running to the end.
      if (close === -1) return length;
      handler.cdata(html.slice(open + 9, close));
      return close + 3;
    }
    return pastGt(open + 2);
  }
}
