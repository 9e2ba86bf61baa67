/** The toolbar popup: header (unread count, last check, Refresh, Settings) and two tabs. */
import { formatRelativeTime } from '@/utils/format';
import type { PopupState } from '@/utils/state/popup-state';
import { ReadingList } from './ReadingList';
import { Tabs } from './Tabs';
import { UnreadList } from './UnreadList';

export function Popup({ state }: { state: PopupState }) {
  const lastChecked = state.lastCheckedAt.value;
  const checked = lastChecked
    ? `checked ${formatRelativeTime(lastChecked, state.clock.value)}`
    : 'not checked yet';
  const refreshing = state.refreshing.value;
  const openOptions = () => void state.openOptions();

  return (
    <div class="popup">
      <header class="bar">
        <h1>Dispatch</h1>
        <p class="summary">
          <span class="unread">{`${state.unreadTotal.value} unread`}</span>
          <span>{checked}</span>
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
      </header>
      <p role="status" class="message">
        {state.message.value}
      </p>
      {state.loaded.value && !state.readFailed.value && (
        <Tabs
          label="Posts"
          tabs={[
            {
              id: 'unread',
              label: 'Unread',
              content: (
                <UnreadList
                  hasBlogs={state.feeds.value.length > 0}
                  sections={state.sections.value}
                  savedUrls={state.savedUrls.value}
                  actions={state}
                  onAddBlog={openOptions}
                />
              ),
            },
            {
              id: 'reading',
              label: 'Reading list',
              content: (
                <ReadingList
                  items={state.readingList.value}
                  finished={state.finishedItems.value}
                  actions={state}
                />
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
