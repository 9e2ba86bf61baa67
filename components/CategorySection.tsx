/**
 * A category section's header: its name and unread count as a heading whose button collapses
 * or expands the section (remembered between openings), its total reading time, and "Mark all
 * read" for the section (undoable). The name is feed text: text only, in its own `dir="auto"`.
 */
import type { SectionSummary } from '@/utils/db/sections';
import { formatMinutes } from '@/utils/format';

export function SectionHeader({
  section,
  expanded,
  rowsId,
  onToggle,
  onMarkRead,
}: {
  section: SectionSummary;
  expanded: boolean;
  /** The id of the section's rows, which the button controls while they are shown. */
  rowsId: string;
  onToggle: () => void;
  onMarkRead: () => void;
}) {
  return (
    <>
      <h2>
        <button
          type="button"
          class="toggle"
          aria-expanded={expanded}
          aria-controls={expanded ? rowsId : undefined}
          onClick={onToggle}
        >
          <span class="name" dir="auto">
            {section.name}
          </span>{' '}
          <span class="count">{section.unread}</span>
        </button>
      </h2>
      <span class="minutes">{formatMinutes(section.minutes)}</span>
      <button
        type="button"
        class="small"
        aria-label={`Mark all read in ${section.name}`}
        onClick={onMarkRead}
      >
        Mark all read
      </button>
    </>
  );
}

/** A flat list's header: what it lists, how many, and their minutes when known. */
export function ListHeader({
  title,
  count,
  minutes,
}: {
  title: string;
  count?: number;
  minutes?: number;
}) {
  return (
    <>
      <h2>
        <span class="name">{title}</span>
        {count !== undefined && (
          <>
            {' '}
            <span class="count">{count}</span>
          </>
        )}
      </h2>
      {minutes !== undefined && <span class="minutes">{formatMinutes(minutes)}</span>}
    </>
  );
}
