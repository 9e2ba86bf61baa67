/**
 * Feed text with the words a search matched in `<mark>` (`highlight` from utils/search.ts, the
 * rules the search itself uses). Text only: segments are rendered as text nodes.
 */
import { highlight, type Segment } from '@/utils/search';

export function Highlight({
  text,
  tokens,
  fromFirstMatch = false,
}: {
  text: string;
  tokens: string[];
  /** Start a little before the first match ({@link aroundFirstMatch}). */
  fromFirstMatch?: boolean;
}) {
  const segments = highlight(text, tokens);
  return (
    <>
      {(fromFirstMatch ? aroundFirstMatch(segments) : segments).map((segment, index) =>
        segment.match ? <mark key={index}>{segment.text}</mark> : segment.text,
      )}
    </>
  );
}

/** Characters of context kept before the first match of a long text. */
const LEAD = 30;

/**
 * `segments` cut to start a little before the first match ("…" marks the cut), so a match deep
 * in a summary is on the line the row shows. Cut between code points, never inside one.
 */
export function aroundFirstMatch(segments: Segment[]): Segment[] {
  let at = 0;
  let first = 0;
  for (; first < segments.length && !segments[first]!.match; first += 1) {
    at += Array.from(segments[first]!.text).length;
  }
  if (first === segments.length || at <= LEAD) return segments;
  // The context kept lies in the unmatched segment just before the match (segments alternate).
  const kept = Array.from(segments[first - 1]!.text)
    .slice(-LEAD)
    .join('');
  return [{ text: `…${kept}`, match: false }, ...segments.slice(first)];
}
