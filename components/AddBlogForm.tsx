/**
 * "Add a blog": one address field, Add, a status line in words, "Allow access to …" when the
 * feed lives on another site, a list to pick from when the page advertises several feeds, and
 * "Follow this page" with a preview of its posts when it has no feed but lists posts (issue 6;
 * its code loaded when first shown). The form skips the browser's URL validation so a bare
 * `blog.example` is accepted (the state assumes https).
 */
import { useSignal } from '@preact/signals';
import { feedChoiceLabel } from '@/utils/format';
import type { OptionsState } from '@/utils/state/options-state';
import { withoutBidiControls } from '@/utils/bidi';
import { LazyListingPreview } from './LazyListingPreview';

export type AddBlogState = Pick<
  OptionsState,
  | 'addBlog'
  | 'allowPending'
  | 'chooseFeed'
  | 'status'
  | 'pendingPermission'
  | 'feedChoices'
  | 'adding'
  | 'listingPreview'
  | 'listingBusy'
  | 'previewWith'
  | 'followListing'
  | 'cancelListing'
>;

export function AddBlogForm({ state }: { state: AddBlogState }) {
  const address = useSignal('');
  const pending = state.pendingPermission.value;
  const choices = state.feedChoices.value;
  const listing = state.listingPreview.value;

  function onSubmit(event: Event) {
    event.preventDefault();
    // Called synchronously: addBlog asks for host access inside this user gesture.
    void state.addBlog(address.value).then((followed) => {
      if (followed) address.value = '';
    });
  }

  return (
    <form aria-label="Add a blog" class="add-blog" noValidate onSubmit={onSubmit}>
      <label htmlFor="blog-url">Blog or feed URL</label>
      <div class="row">
        <input
          id="blog-url"
          name="url"
          type="url"
          autoComplete="url"
          placeholder="https://blog.example"
          value={address.value}
          onInput={(event) => (address.value = event.currentTarget.value)}
        />
        <button type="submit" disabled={state.adding.value}>
          Add
        </button>
      </div>
      {pending && (
        <button type="button" onClick={() => void state.allowPending()}>
          {`Allow access to ${pending.host}`}
        </button>
      )}
      <p role="status" class="status" dir="auto">
        {state.status.value}
      </p>
      {choices && choices.length > 0 && (
        <ul class="feed-choices" aria-label="Feeds on this site">
          {choices.map((choice) => (
            <li key={choice.url}>
              <button
                type="button"
                disabled={state.adding.value}
                onClick={() =>
                  void state.chooseFeed(choice).then((followed) => {
                    if (followed) address.value = '';
                  })
                }
              >
                <span dir="auto">{`Follow ${feedChoiceLabel(choice)}`}</span>
              </button>{' '}
              <span class="feed-url" dir="ltr">
                {withoutBidiControls(choice.url)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {listing && (
        <LazyListingPreview
          preview={listing}
          mode="follow"
          busy={state.listingBusy.value || state.adding.value}
          onExtractor={(extractor) => void state.previewWith(extractor)}
          onConfirm={() =>
            void state.followListing().then((followed) => {
              if (followed) address.value = '';
            })
          }
          onCancel={() => state.cancelListing()}
        />
      )}
    </form>
  );
}
