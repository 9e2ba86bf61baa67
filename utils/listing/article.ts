/**
 * An article page's own length (issue 6): when a listing card links to a post, Dispatch counts
 * the words of the post itself rather than trusting the card's "N min read". Worker-safe (our
 * HTML parser, no `DOMParser`), one pass over the page.
 */
import { parseHtml } from '@/utils/html/parser';
import { countWords } from '@/utils/text';

/** Fewer words than this is not an article (a login wall, a "not found" page). */
export const MIN_ARTICLE_WORDS = 50;

/**
 * Text read at most, in UTF-16 code units (2 MB: about 300,000 words, twenty hours of reading).
 * A hostile or broken page stops being read there, so the count is bounded in time and memory;
 * a real article is far shorter, and a longer one is counted as this long.
 */
export const MAX_ARTICLE_TEXT = 2_000_000;

/** Images counted at most (a page of a million `<img>` tags is no article). */
const MAX_IMAGES = 10_000;

/** Elements whose content is never article text, wherever they are. */
const DROPPED = new Set(
  'head title script style noscript template svg math iframe object embed canvas nav aside form select textarea button dialog'.split(
    ' ',
  ),
);
/** The page's own header and footer: dropped, unless inside the `<article>` or `<main>`. */
const PAGE_CHROME = new Set(['header', 'footer']);
/** Text flows through these without a break; other elements separate words. */
const INLINE = new Set(
  'a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var'.split(
    ' ',
  ),
);

/** A run of text (or an image) and where it stands. */
interface Piece {
  text: string;
  /** The outermost `<article>` it is in (its index), if any. */
  article?: number;
  inMain: boolean;
  /** Not in the page's header or footer. */
  inBody: boolean;
  image?: boolean;
}

/** Per open element: what it makes of its content. */
interface Open {
  dropped: boolean;
  article?: number;
  inMain: boolean;
  chrome: boolean;
}

const ROOT: Open = { dropped: false, inMain: false, chrome: false };

/** What an element opening inside `parent` makes of its content. */
function openIn(parent: Open, name: string, attributes: ReadonlyMap<string, string>): Open {
  const dropped =
    parent.dropped ||
    DROPPED.has(name) ||
    attributes.has('hidden') ||
    attributes.get('aria-hidden') === 'true';
  const inArticleOrMain = parent.article !== undefined || parent.inMain;
  return {
    dropped,
    article: parent.article,
    inMain: parent.inMain || name === 'main' || attributes.get('role') === 'main',
    chrome: parent.chrome || (PAGE_CHROME.has(name) && !inArticleOrMain),
  };
}

/** The page's text and images, each piece marked with where it stands. */
function readPieces(html: string): Piece[] {
  const pieces: Piece[] = [];
  const stack: Open[] = [ROOT];
  let articles = 0;
  let read = 0;
  let images = 0;
  let pendingBreak = false;
  const add = (top: Open, text: string, image?: boolean) =>
    pieces.push({
      text,
      ...(top.article === undefined ? {} : { article: top.article }),
      inMain: top.inMain,
      inBody: !top.chrome,
      ...(image ? { image } : {}),
    });
  parseHtml(
    html,
    {
      open(name, attributes) {
        const top = openIn(stack.at(-1)!, name, attributes);
        if (name === 'article' && top.article === undefined && !top.dropped) {
          top.article = articles;
          articles += 1;
        }
        stack.push(top);
        if (!INLINE.has(name)) pendingBreak = true;
        if (name === 'img' && !top.dropped && images < MAX_IMAGES) {
          add(top, '', true);
          images += 1;
        }
      },
      close(name) {
        if (stack.length > 1) stack.pop();
        if (!INLINE.has(name)) pendingBreak = true;
      },
      text(text) {
        const top = stack.at(-1)!;
        if (top.dropped) return;
        // (Whitespace alone is a word gap, kept as the next piece's leading space.)
        if (!/\S/.test(text)) {
          pendingBreak = true;
          return;
        }
        const kept = text.slice(0, MAX_ARTICLE_TEXT - read);
        add(top, pendingBreak ? ` ${kept}` : kept);
        pendingBreak = false;
        read += kept.length;
        if (read >= MAX_ARTICLE_TEXT) this.stopped = true;
      },
    },
    { withAttributes: true },
  );
  return pieces;
}

/** The words and images of the pieces `within` keeps. */
function measure(pieces: readonly Piece[], within: (piece: Piece) => boolean) {
  let text = '';
  let images = 0;
  for (const piece of pieces) {
    if (!within(piece)) continue;
    if (piece.image) images += 1;
    else text += piece.text;
  }
  return { words: countWords(text), images, length: text.length };
}

/** The outermost `<article>` holding the most text, if the page has any. */
function largestArticle(pieces: readonly Piece[]): number | undefined {
  const lengths = new Map<number, number>();
  for (const { article, text } of pieces) {
    if (article !== undefined) lengths.set(article, (lengths.get(article) ?? 0) + text.length);
  }
  let best: number | undefined;
  for (const [article, length] of lengths) {
    if (best === undefined || length > lengths.get(best)!) best = article;
  }
  return best;
}

/**
 * Words and images of the article on `html` (an article page): the text of its `<article>`
 * (the one with the most text, when there are several), else `<main>`, else the body without
 * navigation, header, footer, sidebars, forms and scripts; a region under `MIN_ARTICLE_WORDS`
 * words gives way to the next. Words are counted as `countWords` counts a feed's content, so
 * both estimates agree. `undefined` when the page shows no article (under `MIN_ARTICLE_WORDS`
 * words: a login wall, an error page). Reads at most `MAX_ARTICLE_TEXT` of text.
 */
export function articleText(html: string): { words: number; images: number } | undefined {
  const pieces = readPieces(html);
  const article = largestArticle(pieces);
  const regions: ((piece: Piece) => boolean)[] = [
    ...(article === undefined ? [] : [(piece: Piece) => piece.article === article]),
    (piece) => piece.inMain,
    (piece) => piece.inBody,
  ];
  for (const within of regions) {
    const { words, images } = measure(pieces, within);
    if (words >= MIN_ARTICLE_WORDS) return { words, images };
  }
  return undefined;
}
