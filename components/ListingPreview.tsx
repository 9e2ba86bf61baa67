/**
 * What following a page without a feed gives (issue 6), for the user to check and correct:
 * "9 posts in 2 categories: …", what Dispatch reads in words, the first posts found, and under
 * "What Dispatch reads" each part of a card with the role it plays (Title, Category… or
 * Nothing), which the user can change: the page is then read again with the correction
 * (`withFieldRole`). Then "Follow this page" (a page not followed yet) or "Save" (a followed
 * blog's editor), and "Cancel". Everything here comes from someone else's page: text only,
 * each piece in its own `dir="auto"` element, links only to http(s) addresses (D33, D37).
 * Loaded with its code on demand (`LazyListingPreview`): the options page's first paint does
 * not carry it.
 */
import { withFieldRole, type FieldRole, type ListingExtractor } from '@/utils/listing/extract';
import { describeExtractor, ROLE_NAMES } from '@/utils/listing/learn';
import { formatReadingTime } from '@/utils/format';
import type { CardPart, ListingPreview as Preview, PreviewPost } from '@/utils/messaging';
import { safeHttpUrl } from '@/utils/url';

/** The roles a card part can be given, in the order the select offers them, then none. */
const ROLE_CHOICES: readonly { value: FieldRole | 'none'; label: string }[] = [
  ...(Object.entries(ROLE_NAMES) as [FieldRole, string][]).map(([value, label]) => ({
    value,
    label,
  })),
  { value: 'none', label: 'Nothing' },
];

export interface ListingPreviewProps {
  preview: Preview;
  /** `follow`: a page not followed yet ("Follow this page"); `edit`: a followed blog ("Save"). */
  mode: 'follow' | 'edit';
  /**
   * A request is under way: the confirming button waits. The selects stay usable (a later
   * change supersedes an earlier one), so the focus stays where the user is.
   */
  busy: boolean;
  /** The user corrected a role: read the page again with `extractor`. */
  onExtractor(extractor: ListingExtractor): void;
  /** "Follow this page" / "Save", with the extractor shown. */
  onConfirm(extractor: ListingExtractor): void;
  onCancel(): void;
}

export function ListingPreview({
  preview,
  mode,
  busy,
  onExtractor,
  onConfirm,
  onCancel,
}: ListingPreviewProps) {
  const follow = mode === 'follow';
  return (
    <section
      aria-label={follow ? 'Follow this page' : 'Change what Dispatch reads'}
      class="listing-preview"
    >
      <p class="listing-summary" dir="auto">
        {preview.summary}
      </p>
      <p class="listing-description" dir="auto">
        {preview.description}
      </p>
      <ul aria-label="Posts found" class="listing-posts">
        {preview.posts.map((post, index) => (
          <PreviewPostItem key={`${index}:${post.url}`} post={post} />
        ))}
      </ul>
      {/* Open in the editor, where changing the roles is the point. */}
      <details class="card-parts" open={!follow}>
        <summary>What Dispatch reads</summary>
        <ul>
          {preview.parts.map((part) => (
            <CardPartItem
              key={part.path}
              part={part}
              onRole={(role) => onExtractor(withFieldRole(preview.extractor, part.path, role))}
            />
          ))}
        </ul>
      </details>
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => onConfirm(preview.extractor)}
        >
          {follow ? 'Follow this page' : 'Save'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/** A post found: its title (a link to it when its address is http(s)), category, "2 min read". */
function PreviewPostItem({ post }: { post: PreviewPost }) {
  const href = safeHttpUrl(post.url);
  const title = post.title.trim() || 'Untitled post';
  return (
    <li>
      {href ? (
        <a href={href} target="_blank" rel="noopener noreferrer" dir="auto">
          {title}
        </a>
      ) : (
        <span dir="auto">{title}</span>
      )}
      {post.category && (
        <>
          {' · '}
          <span class="category" dir="auto">
            {post.category}
          </span>
        </>
      )}
      {post.readingMinutes !== undefined && ` · ${formatReadingTime(post.readingMinutes)}`}
    </li>
  );
}

/** One part of a card: its text on the first card and a select of the role it plays. */
function CardPartItem({
  part,
  onRole,
}: {
  part: CardPart;
  onRole(role: FieldRole | 'none'): void;
}) {
  return (
    <li>
      <span class="part-text" dir="auto">
        {part.text}
      </span>{' '}
      <select
        aria-label={`Role of “${part.text}”`}
        value={part.role ?? 'none'}
        onChange={(event) => {
          const role = ROLE_CHOICES.find(({ value }) => value === event.currentTarget.value);
          if (role) onRole(role.value);
        }}
      >
        {ROLE_CHOICES.map(({ value, label }) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </li>
  );
}

/** A followed listing's extractor in words (`describeExtractor`), for its blog entry. */
export function ExtractorWords({ extractor }: { extractor: ListingExtractor }) {
  return (
    <p class="listing-description" dir="auto">
      {describeExtractor(extractor)}
    </p>
  );
}
