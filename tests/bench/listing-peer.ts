/**
 * The listing bench's peer: our learned extractor applied with htmlparser2's `parseDocument`
 * (a domhandler DOM) and css-select, the worker-safe libraries issue 6 names. Our paths are
 * CSS already (`select.ts`); what differs is class matching, which is on normalized names
 * (hash suffixes cut), so the peer first rewrites every `class` with `normalizeClasses`, as a
 * product built on these libraries would have to. Fields are read as `extractFromTree` reads
 * them (same URL rules, caps, date and "N min read" readers), so both give the same posts.
 */
import { compile, selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { findOne, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { FieldRole, ListingExtractor, ListingPost } from '@/utils/listing/extract';
import { normalizeClasses } from '@/utils/listing/tree';
import { safeHttpUrl } from '@/utils/url';
import { cardPosts } from './listing-card';

// css-select 5.2.2 (the copy cheerio brings) is typed against domhandler 5; htmlparser2 12
// builds domhandler 6 nodes, which it reads the same way (type, name, attribs, children).
type Node = Parameters<typeof selectAll>[1] & object;
const asNodes = (nodes: AnyNode | AnyNode[]) => nodes as unknown as Node;
const asElement = (node: unknown) => node as Element;

/** Element nodes below `node` (iteratively: a hostile page may nest 100,000 deep). */
function eachElement(node: AnyNode, visit: (element: Element) => void): void {
  const pending: AnyNode[] = [node];
  for (let at = pending.pop(); at; at = pending.pop()) {
    if (at.type === 'tag' || at.type === 'script' || at.type === 'style') visit(at as Element);
    if ('children' in at) for (const child of at.children) pending.push(child);
  }
}

/** `parseDocument`, then every `class` attribute normalized as our tree does. */
export function parseNormalized(html: string) {
  const document = parseDocument(html);
  eachElement(document, (element) => {
    const classes = element.attribs.class;
    if (classes !== undefined) element.attribs.class = normalizeClasses(classes).join(' ');
  });
  return document;
}

/** The element `steps` parents above `element`, if any. */
function ancestor(element: Element, steps: number): AnyNode | null {
  let at: AnyNode | null = element;
  for (let i = 0; i < steps && at; i += 1) at = at.parent;
  return at;
}

/**
 * `extractPosts` with htmlparser2 + css-select instead of our tree and paths. Each field
 * selector is compiled once per extraction, not once per card (which took 2× as long), and a
 * field path keeps its meaning (each step a child of the one before, from the card).
 */
export function extractWithCssSelect(
  html: string,
  pageUrl: string,
  extractor: ListingExtractor,
): ListingPost[] {
  const document = parseNormalized(html);
  const baseElement = findOne(
    (element) => element.name === 'base' && 'href' in element.attribs,
    document.children,
  );
  const base = (baseElement && safeHttpUrl(baseElement.attribs.href, pageUrl)) || pageUrl;
  const fields = new Map(
    extractor.fields.map((field) => [
      field.role,
      field.path
        ? { steps: field.path.split('>').length, test: compile<Node, Node>(field.path) }
        : undefined,
    ]),
  );
  return cardPosts(
    selectAll(extractor.cards, asNodes(document)),
    (node) => {
      const card = asElement(node);
      return {
        part: (role: FieldRole): Element | undefined => {
          if (!fields.has(role)) return undefined;
          const field = fields.get(role);
          if (!field) return card;
          return (
            findOne(
              (element) => ancestor(element, field.steps) === card && field.test(asNodes(element)),
              card.children,
            ) ?? undefined
          );
        },
        text: (element: Element) => textContent(element),
        href: (link: Element) =>
          (link.name === 'a' ? link : findOne((element) => element.name === 'a', link.children))
            ?.attribs.href,
        datetime: (date: Element) =>
          ('datetime' in date.attribs
            ? date
            : findOne((element) => 'datetime' in element.attribs, date.children)
          )?.attribs.datetime,
      };
    },
    base,
    pageUrl,
  );
}
