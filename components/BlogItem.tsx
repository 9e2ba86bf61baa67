/**
 * One followed blog: title, feed URL, "checked 1 min ago · 9 posts", its health (last new post,
 * next check, requests this week; a problem or a long silence highlighted), its tags, its own
 * notifications and check interval, and Check now / Remove. The title is text in a `dir="auto"`
 * element; the address reads left to right without bidi controls, and so does the error line,
 * which may quote addresses (D33, D37).
 *
 * A blog followed through its listing page (issue 6) says so, with what Dispatch reads there in
 * words; while the page no longer fits, an alert says "The page layout changed — re-learn?"
 * with the reason, beside a "Re-learn" button; "Change what Dispatch reads" opens the parts
 * editor (`ListingPreview`) in the entry. The words and the editor are loaded on demand, with
 * the code that reads extractors.
 */
import type { Feed } from '@/utils/db/types';
import { blogTitle, formatRelativeTime, plural } from '@/utils/format';
import type { ListingPreview } from '@/utils/messaging';
import type { BlogEntry, OptionsState } from '@/utils/state/options-state';
import { formatInterval } from '@/utils/state/settings-state';
import { withoutBidiControls } from '@/utils/bidi';
import { LazyExtractorWords, LazyListingPreview } from './LazyListingPreview';

/** What a blog's entry can do; without the per-blog parts it shows the feed's own lines only. */
export type BlogActions = Pick<OptionsState, 'checkNow' | 'removeBlog'> &
  Partial<
    Pick<
      OptionsState,
      | 'healthOf'
      | 'setBlogNotify'
      | 'setBlogInterval'
      | 'relearn'
      | 'editListing'
      | 'previewWith'
      | 'saveListing'
      | 'cancelListing'
    >
  >;

/** A listing blog's entry while its page is being learned again or its reading corrected. */
export interface ListingActivity {
  /** "Re-learn" is running. */
  relearning: boolean;
  /** The page as it reads now, while "Change what Dispatch reads" is open. */
  editor?: ListingPreview | undefined;
  /** A listing request is under way ("Save" waits). */
  busy: boolean;
}

const IDLE: ListingActivity = { relearning: false, busy: false };

/** The check intervals a blog can have of its own, in minutes. */
export const INTERVAL_CHOICES = [15, 30, 60, 3 * 60, 6 * 60, 12 * 60, 24 * 60];

export function blogStatus(feed: Feed, posts: number, now: number): string {
  const checked = feed.lastCheckedAt
    ? `checked ${formatRelativeTime(feed.lastCheckedAt, now)}`
    : 'not checked yet';
  return `${checked} · ${plural(posts, 'post')}`;
}

export function BlogItem({
  entry: { feed, posts },
  now,
  checking,
  defaultInterval,
  actions,
  activity = IDLE,
}: {
  entry: BlogEntry;
  now: number;
  checking: boolean;
  /** The `pollIntervalMinutes` setting, for "Default (30 min)"; undefined until read. */
  defaultInterval?: number | undefined;
  actions: BlogActions;
  /** A listing blog's re-learn and editor. */
  activity?: ListingActivity;
}) {
  const title = blogTitle(feed);
  const listing = feed.listing;
  const drift = listing?.drift;
  const editor = activity.editor;
  const health = actions.healthOf?.(feed);
  const problem = health ? health.problem : feed.lastError?.message;
  const own = feed.intervalMinutes;
  const choices =
    own !== undefined && !INTERVAL_CHOICES.includes(own)
      ? [...INTERVAL_CHOICES, own].sort((a, b) => a - b)
      : INTERVAL_CHOICES;
  const idBase = `blog-${feed.id}`;
  return (
    <li class="blog">
      <h3 dir="auto">{title}</h3>
      <p class="url" dir="ltr">
        {withoutBidiControls(feed.url)}
      </p>
      <p class="meta">{blogStatus(feed, posts, now)}</p>
      {listing && (
        <div class="listing">
          <p>Follows its page (no feed).</p>
          <LazyExtractorWords extractor={listing.extractor} />
          {drift && (
            <p role="alert" class="error drift">
              The page layout changed — re-learn? <span dir="auto">{drift.reason}</span>
            </p>
          )}
        </div>
      )}
      {health ? (
        <div class="health">
          <p>{health.lastNewPost}</p>
          <p>{health.nextCheck}</p>
          <p>{health.requests}</p>
        </div>
      ) : (
        feed.status === 'gone' && <p class="error">The feed is gone; it is not checked any more.</p>
      )}
      {problem && (
        <p class="error problem" dir="auto">
          {`Last error: ${withoutBidiControls(problem)}`}
        </p>
      )}
      {health?.quiet && <p class="quiet">{health.quiet}</p>}
      {feed.tags && feed.tags.length > 0 && (
        <p class="tags" dir="auto">{`Tags: ${feed.tags.join(', ')}`}</p>
      )}
      {actions.setBlogNotify && actions.setBlogInterval && (
        <div class="blog-settings">
          <label class="choice">
            <input
              type="checkbox"
              checked={feed.notify !== false}
              aria-label={`Notifications: ${title}`}
              onChange={(event) => void actions.setBlogNotify?.(feed, event.currentTarget.checked)}
            />
            Notifications
          </label>
          <label htmlFor={`${idBase}-interval`}>Check every</label>
          <select
            id={`${idBase}-interval`}
            aria-label={`Check every: ${title}`}
            value={own === undefined ? '' : String(own)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void actions.setBlogInterval?.(feed, value === '' ? undefined : Number(value));
            }}
          >
            <option value="">
              {defaultInterval === undefined
                ? 'Default'
                : `Default (${formatInterval(defaultInterval)})`}
            </option>
            {choices.map((minutes) => (
              <option key={minutes} value={String(minutes)}>
                {formatInterval(minutes)}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="actions">
        <button
          type="button"
          aria-label={`Check now: ${title}`}
          disabled={checking}
          onClick={() => void actions.checkNow(feed)}
        >
          {checking ? 'Checking…' : 'Check now'}
        </button>
        <button
          type="button"
          aria-label={`Remove ${title}`}
          onClick={() => void actions.removeBlog(feed)}
        >
          Remove
        </button>
        {drift && actions.relearn && (
          <button
            type="button"
            disabled={activity.relearning}
            onClick={() => void actions.relearn?.(feed.id)}
          >
            {activity.relearning ? 'Re-learning…' : 'Re-learn'}
          </button>
        )}
        {listing && actions.editListing && (
          <button
            type="button"
            aria-expanded={editor !== undefined}
            onClick={() =>
              editor ? actions.cancelListing?.(feed.id) : void actions.editListing?.(feed)
            }
          >
            Change what Dispatch reads
          </button>
        )}
      </div>
      {editor && (
        <LazyListingPreview
          preview={editor}
          mode="edit"
          busy={activity.busy}
          onExtractor={(extractor) => void actions.previewWith?.(extractor, feed.id)}
          onConfirm={(extractor) => void actions.saveListing?.(feed.id, extractor)}
          onCancel={() => actions.cancelListing?.(feed.id)}
        />
      )}
    </li>
  );
}
