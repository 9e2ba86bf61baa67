/**
 * A small element tree of a listing page, built from our worker-safe HTML parser's events
 * (`utils/html/parser.ts`; the service worker has no DOM). It keeps what finding post cards
 * needs: tags, class names as selectors use them (`normalizeClasses`), a few attributes, and
 * text. Content that is never a post card is left out (scripts, styles, SVG, forms, page
 * navigation, sidebars, the page's own header and footer), and hostile input is bounded: at
 * most `MAX_ELEMENTS` elements, nested at most `MAX_DEPTH` deep (deeper content is dropped).
 */
import { parseHtml } from '@/utils/html/parser';

export const MAX_ELEMENTS = 50_000;
export const MAX_DEPTH = 100;

export interface ListingElement {
  tag: string;
  /** Class names as selectors use them: hash suffixes cut, utility and hash classes dropped. */
  classes: string[];
  /** The attributes extraction reads, when present. */
  attrs: { href?: string; datetime?: string; rel?: string; itemprop?: string };
  parent?: ListingElement;
  children: ListingElement[];
  /** Children and text runs in document order. */
  content: (ListingElement | string)[];
  /** Memo of `textOf`. */
  text?: string;
}

export interface ListingTree {
  root: ListingElement;
  /** The first `<base href>`, as written. */
  base?: string;
}

/** Elements whose content is never part of a post card. */
const SKIPPED = new Set(
  'script style svg math template noscript iframe object head title nav aside form select button textarea dialog'.split(
    ' ',
  ),
);
const SKIPPED_ROLES = /^(?:navigation|banner|contentinfo|complementary|search|dialog)$/;
/** `header`/`footer` belong to the page unless inside one of these (a card's own header). */
const SECTIONING = /^(?:article|li|main|section)$/;
/** Text flows through these without a break; other elements separate words. */
const INLINE = new Set(
  'a abbr b bdi cite code em i kbd mark q s small span strong sub sup u'.split(' '),
);

/**
 * Tailwind-like utility classes (they style, they do not name a part), and Medium-like atomic
 * one- and two-letter classes: dropped, so a restyled page keeps its selectors.
 */
const UTILITY =
  /[:[\]/.!%#@(),]|^-?(?:[mp][xytrbl]?|[wh]|min-[wh]|max-[wh]|size|gap(?:-[xy])?|space-[xy]|text|bg|border(?:-[xytrbl])?|rounded(?:-[a-z]+)?|shadow|font|leading|tracking|items|justify|self|place-[a-z]+|order|z|top|left|right|bottom|inset(?:-[xy])?|opacity|duration|delay|ease|overflow(?:-[xy])?|line-clamp|aspect|object|ring|divide(?:-[xy])?|from|to|via|translate-[xy]|scale|rotate|cursor|select|decoration|grid-cols|grid-rows|col-span|row-span|col|flex|basis|grow|shrink|outline|fill|stroke|whitespace|break|align|transition)-|^(?:flex|block|inline|inline-block|inline-flex|hidden|relative|absolute|fixed|sticky|static|group|peer|truncate|uppercase|lowercase|capitalize|italic|underline|shadow|rounded|border|transition|antialiased|grow|shrink|sr-only|(?!ad$)[a-z]{1,2})$/;
/** A class that is only a build hash: `astro-J7PV25F6`, `svelte-1x2y3z`, `css-1q2w3e`, `x7f3a`. */
const HASH_CLASS =
  /^(?:(?:astro|svelte|css|sc|jsx|emotion|styled)-[\w-]+|(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{5,})$/i;
/** A CSS-modules hash suffix: `card_x7f3a`, `Card_card__3xYz1`, `title-a8B2c` (digit or mixed case). */
const HASH_SUFFIX =
  /(?:_{1,2}|-)(?:(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{4,10}|(?=[a-z\d]*[A-Z])(?=[A-Z\d]*[a-z])[A-Za-z\d]{5,10})$/;
const CLASS_NAME = /^[A-Za-z_][\w-]{0,59}$/;

/** Class names as written → the stable, selector-safe names we match on (at most 12, unique). */
export function normalizeClasses(value: string | undefined): string[] {
  if (!value) return [];
  const classes: string[] = [];
  for (const raw of value.slice(0, 2000).split(/\s+/)) {
    if (!raw || UTILITY.test(raw) || HASH_CLASS.test(raw)) continue;
    const name = raw.replace(HASH_SUFFIX, '');
    if (CLASS_NAME.test(name) && !classes.includes(name)) classes.push(name);
    if (classes.length === 12) break;
  }
  return classes;
}

function newElement(tag: string, parent?: ListingElement): ListingElement {
  return { tag, classes: [], attrs: {}, parent, children: [], content: [] };
}

function isSkipped(name: string, attributes: ReadonlyMap<string, string>, parent: ListingElement) {
  if (SKIPPED.has(name) || attributes.has('hidden') || attributes.get('aria-hidden') === 'true') {
    return true;
  }
  if (SKIPPED_ROLES.test(attributes.get('role') ?? '')) return true;
  if (name !== 'header' && name !== 'footer') return false;
  for (let at: ListingElement | undefined = parent; at; at = at.parent) {
    if (SECTIONING.test(at.tag)) return false;
  }
  return true;
}

/** Builds the tree of `html` (never throws; bounded by `MAX_ELEMENTS` and `MAX_DEPTH`). */
export function buildTree(html: string): ListingTree {
  const tree: ListingTree = { root: newElement('#root') };
  let current = tree.root;
  let depth = 0;
  let count = 0;
  /** How many open elements are being skipped (their content with them). */
  let skipping = 0;
  parseHtml(
    html,
    {
      open(name, attributes) {
        if (name === 'base' && tree.base === undefined) tree.base = attributes.get('href');
        if (
          skipping > 0 ||
          count >= MAX_ELEMENTS ||
          depth >= MAX_DEPTH ||
          isSkipped(name, attributes, current)
        ) {
          skipping += 1;
          return;
        }
        const element = newElement(name, current);
        element.classes = normalizeClasses(attributes.get('class'));
        for (const key of ['href', 'datetime', 'rel', 'itemprop'] as const) {
          const value = attributes.get(key);
          if (value !== undefined) element.attrs[key] = value.slice(0, 2048);
        }
        current.children.push(element);
        current.content.push(element);
        current = element;
        depth += 1;
        count += 1;
      },
      close() {
        // The parser's events nest: each close matches the innermost open element.
        if (skipping > 0) {
          skipping -= 1;
        } else if (current.parent) {
          current = current.parent;
          depth -= 1;
        }
      },
      text(text) {
        if (skipping === 0) current.content.push(text);
      },
    },
    { withAttributes: true },
  );
  return tree;
}

/** The element's text, whitespace collapsed, words of adjacent blocks kept apart. */
export function textOf(element: ListingElement): string {
  if (element.text !== undefined) return element.text;
  let text = '';
  for (const part of element.content) {
    if (typeof part === 'string') text += part;
    else text += INLINE.has(part.tag) ? textOf(part) : ` ${textOf(part)} `;
  }
  element.text = text.replace(/\s+/g, ' ').trim();
  return element.text;
}

/** Visits `element`'s descendants depth-first, in document order; `visit` returns true to stop. */
export function walk(
  element: ListingElement,
  visit: (element: ListingElement) => unknown,
): boolean {
  for (const child of element.children) {
    if (visit(child) || walk(child, visit)) return true;
  }
  return false;
}

/** Whether `inner` is `outer` or inside it. */
export function isWithin(inner: ListingElement, outer: ListingElement): boolean {
  for (let at: ListingElement | undefined = inner; at; at = at.parent)
    if (at === outer) return true;
  return false;
}
