/**
 * Performance marks the benchmark reads (`npm run bench`, popup section): the popup marks when
 * its first rows and each search result are on screen. A mark is cheap and invisible to users.
 */

/** First rows of the Unread tab painted (not skeletons). */
export const FIRST_ROWS_MARK = 'dispatch:first-rows';
/** Results of the search for `query` painted: `${SEARCH_MARK}${query}`. */
export const SEARCH_MARK = 'dispatch:search:';

/** Marks `name` once the frame that shows the current DOM has been painted. */
export function markAfterPaint(name: string): void {
  if (typeof performance === 'undefined' || typeof requestAnimationFrame === 'undefined') return;
  requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
}
