/**
 * The All tab: a labelled search box over every post (read and unread: titles, summaries,
 * categories), answered as you type, "N results", and the newest matches with the words found
 * highlighted. Only the answer to what is in the box is shown (an older query's answer that
 * arrives late is dropped by the state; the latest answer stays until the next one comes).
 * Loaded with `import()` on first use, and the search code with it.
 */
import type { ReadonlySignal } from '@preact/signals';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { Post } from '@/utils/db/types';
import { plural } from '@/utils/format';
import { SEARCH_MARK, markAfterPaint } from '@/utils/perf';
import { loadSearch, type PopupState } from '@/utils/state/popup-state';
import { Highlight } from './Highlight';
import { PostRow, PROBE_BLOG, PROBE_POST, postCommand } from './PostRow';
import { VirtualList } from './VirtualList';

// The search code comes with this panel's (which the popup fetches once its first rows are on
// screen), so the first query does not wait for it. A failure to load it is the first
// search's to say.
loadSearch().catch(() => {});

/** "3 results"; "about 4,000 results, the newest 50 shown" when not all are listed. */
export function resultCount(total: number, exact: boolean, shown: number): string {
  const results = exact ? plural(total, 'result') : `about ${plural(total, 'result')}`;
  return total > shown ? `${results}, the newest ${shown} shown` : results;
}

/** Where a result's words were found: its categories and its summary, matches marked. */
function Excerpt({ post, tokens }: { post: Post; tokens: string[] }) {
  const summary = post.summary?.trim() ?? '';
  return (
    <p class="excerpt">
      <span dir="auto">
        <Highlight text={post.categories.join(', ')} tokens={tokens} />
      </span>
      {summary && (
        <>
          {' — '}
          <span dir="auto">
            <Highlight text={summary} tokens={tokens} fromFirstMatch />
          </span>
        </>
      )}
    </p>
  );
}

export function SearchPanel({
  state,
  focusRequest,
}: {
  state: PopupState;
  /** Increases each time the search box should take focus (the `/` key). */
  focusRequest: ReadonlySignal<number>;
}) {
  const input = useRef<HTMLInputElement>(null);
  const query = state.query.value;
  // The latest answer stays until the next one arrives (the list does not blink while typing).
  const shown = state.searchAnswer.value;
  const current = shown?.query === query;
  const request = focusRequest.value;

  // Before the next key press is handled: what is typed right after `/` lands in the box.
  useLayoutEffect(() => {
    if (request > 0) input.current?.focus();
  }, [request]);
  // Right after the answer is in the DOM: the mark then comes with the next frame painted (an
  // effect would run a frame later, after Preact's own wait for a paint).
  useLayoutEffect(() => {
    if (shown && current) markAfterPaint(SEARCH_MARK + shown.query);
  }, [shown, current]);

  const count = shown ? resultCount(shown.total, shown.exact, shown.posts.length) : '';
  // The rows change with the answer only: a key typed re-renders the box, not every row.
  const results = useMemo(() => {
    if (!shown || shown.posts.length === 0) return undefined;
    const mark = (text: string) => <Highlight text={text} tokens={shown.tokens} />;
    return (
      <VirtualList
        groups={[{ key: 'results', label: 'Search results', rows: shown.posts.length }]}
        probeKind="result"
        probe={
          <PostRow post={PROBE_POST} blogName={PROBE_BLOG} state={state}>
            <Excerpt post={PROBE_POST} tokens={[]} />
          </PostRow>
        }
        row={(_group, index, slot) => {
          const post = shown.posts[index];
          return (
            post && (
              <PostRow key={post.id} post={post} state={state} slot={slot} mark={mark}>
                <Excerpt post={post} tokens={shown.tokens} />
              </PostRow>
            )
          );
        }}
        onCommand={(command, _group, index) => {
          const post = shown.posts[index];
          return !!post && postCommand(command, post, state);
        }}
      />
    );
  }, [shown, state]);

  return (
    <>
      <div class="search">
        <label for="search-posts">Search posts</label>
        <input
          ref={input}
          id="search-posts"
          type="search"
          autoComplete="off"
          placeholder="Search titles, summaries, categories"
          value={query}
          onInput={(event) => state.search(event.currentTarget.value)}
        />
      </div>
      <div class="results" aria-live="polite" aria-busy={!current}>
        {count && <h2>{count}</h2>}
      </div>
      {results}
    </>
  );
}
