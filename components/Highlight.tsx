/**
 * Feed text with the words a search matched in `<mark>` (`highlight` from utils/search.ts, the
 * rules the search itself uses). Text only: segments are rendered as text nodes.
 */
import { highlight } from '@/utils/search';

export function Highlight({ text, tokens }: { text: string; tokens: string[] }) {
  return (
    <>
      {highlight(text, tokens).map((segment, index) =>
        segment.match ? <mark key={index}>{segment.text}</mark> : segment.text,
      )}
    </>
  );
}

/** Characters of context kept before the first match of a long text. */
const LEAD = 30;

/**
 * `text` cut to start a little before its first match ("…" marks the cut), so a match deep in
 * a summary is on the line the row shows. Cut between code points, never inside one.
 */
export function aroundFirstMatch(text: string, tokens: string[]): string {
  let at = 0;
  for (const segment of highlight(text, tokens)) {
    if (segment.match) break;
    at += Array.from(segment.text).length;
  }
  if (at <= LEAD) return text;
  return `…${Array.from(text)
    .slice(at - LEAD)
    .join('')}`;
}
