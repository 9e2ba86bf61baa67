/**
 * HTML tokens → element events, without a DOM: start tags, end tags and text, with the open
 * elements tracked the way htmlparser2's `Parser` tracks them in HTML mode (which text
 * extraction and feed discovery were built on), so that broken markup closes what a reader
 * expects: an end tag closes the elements left open inside it, `<p>` closes an open `<p>`,
 * `<li>` an `<li>`, void elements (`<br>`, `<img>`) close at once, `</p>` and `</br>` alone
 * stand for `<p></p>` and `<br>`, a second `<form>` is ignored. Inside SVG and MathML, `/>`
 * closes an element and `<script>`, `<style>`, `<title>` hold markup, not raw text.
 *
 * Names are lower-cased, references decoded in text and attribute values. Elements still open
 * at the end get no close event. Unlike htmlparser2, SVG's camel-cased names (`clipPath`) are
 * not restored inside `<svg>`: they only matched an end tag written in another context, and an
 * SVG `foreignObject` inside MathML inside SVG (nothing else) was an HTML integration point.
 */
import { tokenizeHtml } from '@/utils/html/tokenizer';

/** What the parser reports. Set `stopped` to end parsing. */
export interface HtmlHandler {
  /** A start tag; `attributes` (with `withAttributes`) keeps the first of each name. */
  open(name: string, attributes: ReadonlyMap<string, string>): void;
  /** An element closes, by its end tag or implied by other markup. */
  close(name: string): void;
  text(text: string): void;
  /** Set by a callback to stop: nothing more is read. */
  stopped?: boolean;
}

export interface HtmlParserOptions {
  /** Report attributes to `open` (else every element gets an empty map). */
  withAttributes?: boolean;
  /** Report CDATA sections as text (else, as browsers do in HTML, they are comments). */
  cdataAsText?: boolean;
}

const words = (list: string): ReadonlySet<string> => new Set(list.split(' '));

/**
 * Which open element (on top) a start tag closes first, as `openers: closed` rules: `<li>`
 * closes an open `<li>`, a block closes an open `<p>`…
 */
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>();
for (const rule of [
  'tr: tr th td',
  'th: th',
  'td: thead th td',
  'body: head link script',
  'a: a',
  'li: li',
  'option: option',
  'optgroup: optgroup option',
  'h1 h2 h3 h4 h5 h6: h1 h2 h3 h4 h5 h6 p',
  'select input output button datalist textarea: input option optgroup select button datalist textarea',
  'dd dt: dd dt',
  'rt rp: rt rp',
  'tbody tfoot: thead tbody',
  'p address article aside blockquote details div dl fieldset figcaption figure footer form header hr main nav ol pre section table ul: p',
]) {
  const [openers = '', closed = ''] = rule.split(': ');
  const closes = words(closed);
  for (const name of openers.split(' ')) OPEN_IMPLIES_CLOSE.set(name, closes);
}

/**
 * HTML's void elements, without content or end tag (as parsers read them and serializers write
 * them). Also used to write inline XHTML as HTML and sanitized HTML.
 */
export const VOID_ELEMENTS = words(
  'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr',
);

/**
 * SVG and MathML elements whose content is HTML again (`foreignobject` only inside SVG: its
 * name is SVG's `foreignObject`).
 */
const HTML_INTEGRATION_POINTS = words('mi mo mn ms mtext annotation-xml desc title');

const enum Context {
  Html,
  Svg,
  MathMl,
}

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/** Parses `html`, reporting to `handler`. */
export function parseHtml(
  html: string,
  handler: HtmlHandler,
  { withAttributes = false, cdataAsText = false }: HtmlParserOptions = {},
): void {
  /** Open elements, innermost last. */
  const stack: string[] = [];
  /** The contexts SVG, MathML and their integration points opened, innermost last… */
  const contexts: Context[] = [Context.Html];
  /** …and how many elements were open, that one included, when each was opened. */
  const contextDepths: number[] = [0];
  /** The start tag being read (`''` when it is ignored). */
  let tagName = '';
  let attributes: Map<string, string> | undefined;

  const isForeign = (): boolean => contexts.at(-1) !== Context.Html;

  const readName = (raw: string): string => {
    const name = raw.toLowerCase();
    return name === 'image' && !isForeign() ? 'img' : name;
  };

  const pop = (): void => {
    if (contextDepths.at(-1) === stack.length) {
      contexts.pop();
      contextDepths.pop();
    }
    handler.close(stack.pop()!);
  };

  const openElement = (name: string): void => {
    tagName = name;
    // A second `<form>` is ignored (HTML's form element pointer).
    if (name === 'form' && stack.includes('form')) {
      tagName = '';
      return;
    }
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    while (closes && stack.length > 0 && closes.has(stack.at(-1)!)) pop();
    if (!VOID_ELEMENTS.has(name)) {
      const context =
        name === 'svg'
          ? Context.Svg
          : name === 'math'
            ? Context.MathMl
            : HTML_INTEGRATION_POINTS.has(name) ||
                (name === 'foreignobject' && contexts.at(-1) === Context.Svg)
              ? Context.Html
              : undefined;
      stack.push(name);
      if (context !== undefined) {
        contexts.push(context);
        contextDepths.push(stack.length);
      }
    }
    attributes = withAttributes ? new Map() : undefined;
  };

  /** The start tag's `>`: reports it, and closes it at once when it is void. */
  const endOpenTag = (): void => {
    const name = tagName;
    tagName = '';
    if (name === '') return;
    handler.open(name, attributes ?? NO_ATTRIBUTES);
    attributes = undefined;
    if (VOID_ELEMENTS.has(name)) handler.close(name);
  };

  tokenizeHtml(
    html,
    {
      get stopped() {
        return handler.stopped;
      },
      openTag(raw) {
        openElement(readName(raw));
      },
      attribute(raw, value) {
        if (!attributes) return;
        const name = raw.toLowerCase();
        if (!attributes.has(name)) attributes.set(name, value);
      },
      openTagEnd(selfClosing) {
        const name = tagName;
        endOpenTag();
        if (selfClosing && isForeign() && name !== '' && stack.at(-1) === name) pop();
      },
      closeTag(raw) {
        const name = readName(raw);
        if (VOID_ELEMENTS.has(name)) {
          if (name === 'br') {
            handler.open('br', NO_ATTRIBUTES);
            handler.close('br');
          }
          return;
        }
        const at = stack.lastIndexOf(name);
        if (at !== -1) {
          while (stack.length > at) pop();
        } else if (name === 'p') {
          openElement('p');
          endOpenTag();
          pop();
        }
      },
      text(text) {
        handler.text(text);
      },
      cdata(text) {
        if (cdataAsText || isForeign()) handler.text(text);
      },
    },
    { decode: true, isForeign },
  );
}
