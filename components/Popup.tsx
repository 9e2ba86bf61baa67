/**
 * The toolbar popup: a header (unread posts and minutes, last check, Refresh, Settings, and a
 * line when a blog has been failing for a day or is gone), the tabs Unread, Reading list and
 * All (search), and a footer with the status line and the undo offer. The keyboard works
 * everywhere but in a text field (`keys.ts`). Only the Unread tab is in the code loaded at
 * open; the other tabs and the key help are loaded with `import()` on first use, and fetched
 * in the background once the first rows are on screen.
 */
import { useSignal } from '@preact/signals';
import { useCallback, useEffect, useMemo, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { formatMinutes, formatRelativeTime } from '@/utils/format';
import { FIRST_ROWS_MARK, markAfterPaint } from '@/utils/perf';
import type { PopupState } from '@/utils/state/popup-state';
import { HealthAlert } from './HealthAlert';
import { commandFor, RowListContext, type RowList } from './keys';
import { lazy } from './lazy';
import { Tabs } from './Tabs';
import { UndoBar } from './UndoBar';
import { BudgetList, ReadList, UnreadList } from './UnreadList';

const SearchPanel = lazy(() => import('./SearchPanel').then((module) => module.SearchPanel));
const ReadingTab = lazy(() => import('./ReadingTab').then((module) => module.ReadingTab));
const KeyHelp = lazy(() => import('./KeyHelp').then((module) => module.KeyHelp));

/** Runs `then` once the next frame has been painted (at once where there are no frames). */
function afterNextFrame(then: () => void) {
  if (typeof requestAnimationFrame === 'undefined') setTimeout(then, 0);
  else requestAnimationFrame(() => setTimeout(then, 0));
}

function Header({ state, openOptions }: { state: PopupState; openOptions: () => void }) {
  const loaded = state.loaded.value;
  const lastChecked = state.lastCheckedAt.value;
  const checked = lastChecked
    ? `checked ${formatRelativeTime(lastChecked, state.clock.value)}`
    : 'not checked yet';
  const refreshing = state.refreshing.value;
  return (
    <header class="bar">
      <h1>Dispatch</h1>
      <p class="summary">
        <span class="counts" aria-live="polite">
          {loaded && (
            <>
              <span class="unread">{`${state.unreadTotal.value} unread`}</span>
              {' · '}
              <span>{formatMinutes(state.unreadMinutes.value)}</span>
            </>
          )}
        </span>
        {loaded && <span>{checked}</span>}
      </p>
      <div class="bar-actions">
        <button type="button" disabled={refreshing} onClick={() => void state.refresh()}>
          {refreshing ? 'Checking…' : 'Refresh'}
        </button>
        <a
          href="options.html"
          onClick={(event) => {
            event.preventDefault();
            openOptions();
          }}
        >
          Settings
        </a>
      </div>
      <HealthAlert text={state.alert.value} onOpenSettings={openOptions} />
    </header>
  );
}

/** Gives the lists inside it to the popup's key handler, under the tab they are in. */
function RowListScope({
  tab,
  lists,
  children,
}: {
  tab: string;
  lists: Map<string, RowList>;
  children: ComponentChildren;
}) {
  const register = useCallback(
    (list: RowList | undefined) => (list ? lists.set(tab, list) : lists.delete(tab)),
    [tab, lists],
  );
  return <RowListContext.Provider value={register}>{children}</RowListContext.Provider>;
}

export function Popup({ state }: { state: PopupState }) {
  const tab = useSignal('unread');
  const searchRequest = useSignal(0);
  const helpOpen = useSignal(false);
  const lists = useMemo(() => new Map<string, RowList>(), []);
  /** Where focus was when the key help opened: it goes back there when it closes. */
  const opener = useRef<HTMLElement | null>(null);
  const shown = useRef(false);

  const onFirstRows = useCallback(() => {
    if (shown.current) return;
    shown.current = true;
    markAfterPaint(FIRST_ROWS_MARK);
    // The rest, once the first rows are on screen: the reading list (for "Saved") and the
    // code of the other tabs, so that switching to them is instant. After the frame the mark
    // waits for (its callbacks are queued first), so the mark times the rows, not this.
    afterNextFrame(() => {
      void state.loadReading();
      void SearchPanel.preload();
      void ReadingTab.preload();
      void KeyHelp.preload();
      void BudgetList.preload();
      void ReadList.preload();
    });
  }, [state]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (helpOpen.value) return;
      const command = commandFor(event);
      if (!command) return;
      if (command === 'help') {
        opener.current = document.activeElement as HTMLElement | null;
        helpOpen.value = true;
      } else if (command === 'search') {
        tab.value = 'all';
        searchRequest.value += 1;
      } else if (!lists.get(tab.value)?.run(command)) {
        return;
      }
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [lists]);

  function closeHelp() {
    helpOpen.value = false;
    opener.current?.focus();
  }

  const openOptions = () => void state.openOptions();
  // The reading list's own outcomes show here too, except on its tab, which has its own line.
  const message =
    state.message.value ||
    (tab.value === 'reading' ? '' : (state.reading.value?.message.value ?? ''));
  return (
    <div class="popup">
      <Header state={state} openOptions={openOptions} />
      <main class="main">
        {!state.readFailed.value && (
          <Tabs
            label="Posts"
            selected={tab}
            tabs={[
              {
                id: 'unread',
                label: 'Unread',
                content: (
                  <RowListScope tab="unread" lists={lists}>
                    <UnreadList state={state} onAddBlog={openOptions} onReady={onFirstRows} />
                  </RowListScope>
                ),
              },
              { id: 'reading', label: 'Reading list', content: <ReadingTab state={state} /> },
              {
                id: 'all',
                label: 'All',
                content: (
                  <RowListScope tab="all" lists={lists}>
                    <SearchPanel state={state} focusRequest={searchRequest} />
                  </RowListScope>
                ),
              },
            ]}
          />
        )}
      </main>
      <footer class="foot-bar">
        <p role="status" class="message">
          {message}
        </p>
        <UndoBar undo={state.undo} onUndo={state.runUndo} />
      </footer>
      {helpOpen.value && <KeyHelp onClose={closeHelp} />}
    </div>
  );
}
