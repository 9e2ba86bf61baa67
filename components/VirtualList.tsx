/**
 * Groups of fixed-height rows (the popup's category sections, or one flat list) in a scrolling
 * box that renders only the rows in view plus a few rows of overscan. Every group's header is
 * rendered (a few dozen at most); each group's rows sit in a box as tall as all of them, so the
 * scrollbar is true and nothing jumps when rows arrive. Heights are measured once per page: a
 * row from a hidden probe row (its title taking the two lines it is clamped to), a header from
 * the first one rendered; offsets are prefix sums over the groups (`visibleRanges`).
 *
 * Rows are reached with roving focus: the focused row is the one tab stop, stays rendered
 * while scrolled away, and is scrolled into view when the keyboard moves it (`RowList`, run by
 * the popup's key handler). A row not loaded yet is a placeholder of the same height.
 */
import { signal, useSignal } from '@preact/signals';
import type { ComponentChildren, VNode } from 'preact';
import { useContext, useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { RowListContext, type RowCommand } from './keys';

export interface ListGroup {
  key: string;
  /** The accessible name of the group's region. */
  label: string;
  /** Rows shown: 0 while collapsed. */
  rows: number;
  /** The id of the box of its rows (a collapse button controls it). */
  rowsId?: string;
}

/** What a row's root element must carry: where it sits and whether it is the tab stop. */
export interface RowSlot {
  'data-row': string;
  style: { top: string; height: string };
  tabIndex: number;
  'aria-posinset': number;
  'aria-setsize': number;
}

export interface Range {
  start: number;
  end: number;
}

/** Heights (px) where nothing can be measured (a page without layout, such as the tests'). */
export const FALLBACK_HEIGHTS = { row: 80, head: 36, view: 480 } as const;

/** Rows rendered beyond each edge of the view. */
export const OVERSCAN_ROWS = 8;

/** Heights measured once per page, by what was measured ('head' or a probe's kind). */
const measured = signal<ReadonlyMap<string, number>>(new Map());

function remember(kind: string, height: number) {
  measured.value = new Map(measured.peek()).set(kind, height);
}

/**
 * The rows of each group that meet the band from `top - overscan` to `top + height +
 * overscan`, for groups of `rows[g]` rows, each under a header `head` tall.
 */
export function visibleRanges(
  rows: readonly number[],
  head: number,
  row: number,
  top: number,
  height: number,
  overscan: number,
): Range[] {
  const from = top - overscan;
  const to = top + height + overscan;
  let offset = 0;
  return rows.map((count) => {
    const body = offset + head;
    offset = body + count * row;
    const start = Math.max(0, Math.floor((from - body) / row));
    const end = Math.min(count, Math.ceil((to - body) / row));
    return start < end ? { start, end } : { start: 0, end: 0 };
  });
}

/** Where row `index` of group `group` starts, from the top of the list. */
export function rowOffset(
  rows: readonly number[],
  head: number,
  row: number,
  group: number,
  index: number,
): number {
  let offset = 0;
  for (let g = 0; g < group; g += 1) offset += head + (rows[g] ?? 0) * row;
  return offset + head + index * row;
}

interface Position {
  key: string;
  index: number;
  /** Where its group was, for when the group goes (all its posts read). */
  at: number;
}

export interface VirtualListProps {
  groups: ListGroup[];
  /** A group's header (a heading and its controls); none for a list without headers. */
  header?: (group: ListGroup) => ComponentChildren;
  /** A row with `slot` spread on its root, or undefined while it loads. */
  row: (group: ListGroup, index: number, slot: RowSlot) => VNode | undefined;
  /** A row as tall as any (two-line title), measured once and removed. */
  probe: VNode;
  /** Which kind of row the probe measures (lists of the same kind share the height). */
  probeKind: string;
  /** Rows now in view of each group: read their pages. */
  onShow?: (group: ListGroup, start: number, end: number) => void;
  /** The rows in view are all real (none loading): the list is on screen. */
  onReady?: () => void;
  /** A row command other than moving, for the focused row. */
  onCommand?: (command: RowCommand, group: ListGroup, index: number) => boolean;
}

export function VirtualList({
  groups,
  header,
  row,
  probe,
  probeKind,
  onShow,
  onReady,
  onCommand,
}: VirtualListProps) {
  const box = useRef<HTMLDivElement>(null);
  const probeBox = useRef<HTMLDivElement>(null);
  const top = useSignal(0);
  const view = useSignal(0);
  const active = useSignal<Position | undefined>(undefined);
  /** The keyboard moved focus: focus the active row once it is rendered. */
  const wantFocus = useRef(false);
  /** Focus was in the list: when its row goes (marked read), the row now in its place takes it. */
  const hadFocus = useRef(false);
  const register = useContext(RowListContext);

  const heights = measured.value;
  const rowHeight = heights.get(probeKind) ?? FALLBACK_HEIGHTS.row;
  const head = header ? (heights.get('head') ?? FALLBACK_HEIGHTS.head) : 0;
  const height = view.value || FALLBACK_HEIGHTS.view;
  const counts = groups.map((group) => group.rows);
  const ranges = visibleRanges(
    counts,
    head,
    rowHeight,
    top.value,
    height,
    OVERSCAN_ROWS * rowHeight,
  );

  // The active row, kept on a row that exists: the same index (the next post once it is
  // read), the group's last row, or the first row of the group now in its place.
  let current: { group: number; index: number } | undefined;
  const wanted = active.value;
  if (wanted) {
    const same = groups.findIndex((candidate) => candidate.key === wanted.key);
    if (same !== -1 && counts[same]! > 0) {
      current = { group: same, index: Math.min(wanted.index, counts[same]! - 1) };
    } else {
      const after = counts.findIndex((count, g) => g >= wanted.at && count > 0);
      const before = counts.findLastIndex((count) => count > 0);
      const group = after === -1 ? before : after;
      if (group !== -1) current = { group, index: 0 };
    }
  }

  // The one tab stop: the active row, else the first row in view.
  const stop = current ?? firstInView();
  let placeholders = false;
  const rendered = groups.map((group, g) => {
    const { start, end } = ranges[g]!;
    const indexes: number[] = [];
    for (let index = start; index < end; index += 1) indexes.push(index);
    if (current?.group === g && (current.index < start || current.index >= end)) {
      indexes.push(current.index);
    }
    let busy = false;
    const nodes = indexes.map((index) => {
      const style = { top: `${index * rowHeight}px`, height: `${rowHeight}px` };
      const node = row(group, index, {
        'data-row': `${g}:${index}`,
        style,
        tabIndex: stop?.group === g && stop.index === index ? 0 : -1,
        'aria-posinset': index + 1,
        'aria-setsize': group.rows,
      });
      if (node) return node;
      busy = true;
      return (
        <div key={`wait-${index}`} class="post placeholder" aria-hidden="true" style={style} />
      );
    });
    placeholders ||= busy;
    return { nodes, busy };
  });

  function scrollTo(group: number, index: number) {
    const element = box.current;
    if (!element) return;
    const y = rowOffset(counts, head, rowHeight, group, index);
    const shown = element.scrollTop;
    let next = shown;
    if (y - head < shown) next = y - head;
    else if (y + rowHeight > shown + height) next = y + rowHeight - height;
    if (next === shown) return;
    element.scrollTop = next;
    top.value = element.scrollTop;
  }

  /** The first row whose top is in view, for a first `j` press. */
  function firstInView(): { group: number; index: number } | undefined {
    let last: { group: number; index: number } | undefined;
    for (let group = 0; group < ranges.length; group += 1) {
      const { start, end } = ranges[group]!;
      for (let index = start; index < end; index += 1) {
        last = { group, index };
        if (rowOffset(counts, head, rowHeight, group, index) >= top.value) return last;
      }
    }
    return last;
  }

  function move(step: 1 | -1): boolean {
    let target = firstInView();
    if (current) {
      let { group, index } = current;
      index += step;
      while (index < 0 || index >= (counts[group] ?? 0)) {
        group += step;
        if (group < 0 || group >= counts.length) return true;
        index = step > 0 ? 0 : (counts[group] ?? 0) - 1;
      }
      target = { group, index };
    }
    if (!target) return false;
    active.value = { key: groups[target.group]!.key, index: target.index, at: target.group };
    wantFocus.current = true;
    scrollTo(target.group, target.index);
    return true;
  }

  const latest = useRef({ move, current, groups, onCommand });
  latest.current = { move, current, groups, onCommand };

  useEffect(() => {
    register({
      run(command) {
        const { move: step, current: at, groups: all, onCommand: handle } = latest.current;
        if (command === 'next') return step(1);
        if (command === 'previous') return step(-1);
        if (!at || !handle) return false;
        return handle(command, all[at.group]!, at.index);
      },
    });
    return () => register(undefined);
  }, [register]);

  useLayoutEffect(() => {
    const probeRow = probeBox.current?.firstElementChild;
    if (probeRow && !measured.peek().has(probeKind)) {
      remember(probeKind, probeRow.getBoundingClientRect().height || FALLBACK_HEIGHTS.row);
    }
    const firstHead = box.current?.querySelector('.group-head');
    if (firstHead && !measured.peek().has('head')) {
      remember('head', firstHead.getBoundingClientRect().height || FALLBACK_HEIGHTS.head);
    }
  });

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const resize = () => (view.value = element.clientHeight);
    resize();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(resize);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = box.current;
    if (!current || !element) return;
    const focused = element.querySelector<HTMLElement>(
      `[data-row="${current.group}:${current.index}"]`,
    );
    if (!focused || focused.contains(document.activeElement)) return;
    const lost = !element.contains(document.activeElement);
    if (wantFocus.current || (hadFocus.current && lost)) {
      wantFocus.current = false;
      focused.focus({ preventScroll: true });
    }
  });

  // Before the frame is painted, so that rows coming into view are asked for a frame sooner.
  useLayoutEffect(() => {
    groups.forEach((group, g) => {
      const { start, end } = ranges[g]!;
      if (end > start) onShow?.(group, start, end);
      if (current?.group === g) onShow?.(group, current.index, current.index + 1);
    });
  });

  useEffect(() => {
    if (!placeholders) onReady?.();
  });

  function onFocusIn(event: FocusEvent) {
    hadFocus.current = true;
    const row = (event.target as Element).closest('[data-row]');
    const [g, index] = (row?.getAttribute('data-row') ?? '').split(':').map(Number);
    const group = g === undefined ? undefined : groups[g];
    if (group && index !== undefined && !Number.isNaN(index)) {
      active.value = { key: group.key, index, at: g! };
    }
  }

  function onFocusOut() {
    // Focus that moved elsewhere on the page leaves the list; focus lost with a removed row
    // (the page's body has it) stays with the list, so the next row can take it.
    queueMicrotask(() => {
      const now = document.activeElement;
      if (now && now !== document.body && !box.current?.contains(now)) hadFocus.current = false;
    });
  }

  return (
    <div
      ref={box}
      class="scroller"
      onScroll={(event) => (top.value = event.currentTarget.scrollTop)}
      onFocusIn={onFocusIn}
      onFocusOut={onFocusOut}
    >
      {!heights.has(probeKind) && (
        <div ref={probeBox} class="probe" aria-hidden="true" inert>
          {probe}
        </div>
      )}
      {groups.map((group, g) => (
        <section key={group.key} aria-label={group.label} class="group">
          {header && <div class="group-head">{header(group)}</div>}
          {group.rows > 0 && (
            <div
              id={group.rowsId}
              aria-busy={rendered[g]!.busy}
              class="rows"
              style={{ height: `${group.rows * rowHeight}px` }}
            >
              {rendered[g]!.nodes}
            </div>
          )}
        </section>
      ))}
    </div>
  );
}

/** Rows standing in for a list before anything is known (the first opening only). */
export function Skeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div class="skeleton" aria-hidden="true">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} class="post placeholder" />
      ))}
    </div>
  );
}
