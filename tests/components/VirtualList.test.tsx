// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import {
  FALLBACK_HEIGHTS,
  OVERSCAN_ROWS,
  rowOffset,
  visibleRanges,
} from '@/components/VirtualList';
import { aPost } from '../helpers/db';
import { NOW, usePopup } from './popup-harness';

describe('visibleRanges', () => {
  // Two groups of 10 and 5 rows, headers 30 px, rows 100 px, no overscan.
  const rows = [10, 5];

  it.each([
    [
      'the top',
      0,
      250,
      [
        { start: 0, end: 3 },
        { start: 0, end: 0 },
      ],
    ],
    [
      'inside the first group',
      430,
      200,
      [
        { start: 4, end: 6 },
        { start: 0, end: 0 },
      ],
    ],
    [
      'across both groups',
      900,
      300,
      [
        { start: 8, end: 10 },
        { start: 0, end: 2 },
      ],
    ],
    [
      'the end',
      1400,
      200,
      [
        { start: 0, end: 0 },
        { start: 3, end: 5 },
      ],
    ],
  ])('finds the rows in view at %s', (_where, top, height, expected) => {
    expect(visibleRanges(rows, 30, 100, top, height, 0)).toEqual(expected);
  });

  it('adds the overscan on both sides and stays within each group', () => {
    expect(visibleRanges(rows, 30, 100, 530, 100, 200)).toEqual([
      { start: 3, end: 8 },
      { start: 0, end: 0 },
    ]);
  });

  it('skips a collapsed group (no rows) but counts its header', () => {
    expect(visibleRanges([0, 3], 30, 100, 0, 200, 0)).toEqual([
      { start: 0, end: 0 },
      { start: 0, end: 2 },
    ]);
  });

  it('gives the offset of a row from the top', () => {
    expect(rowOffset(rows, 30, 100, 0, 0)).toBe(30);
    expect(rowOffset(rows, 30, 100, 1, 2)).toBe(30 + 1000 + 30 + 200);
  });
});

describe('a section of 5,000 unread posts', () => {
  const popup = usePopup();
  const COUNT = 5000;
  /** Rows the view holds (no layout here: the fallback heights) plus the overscan. */
  const BOUND = Math.ceil(FALLBACK_HEIGHTS.view / FALLBACK_HEIGHTS.row) + 2 * OVERSCAN_ROWS + 2;

  async function showBigSection() {
    const feed = await popup.feed();
    await popup.store(
      feed,
      Array.from({ length: COUNT }, (_, i) =>
        aPost({ title: `Post ${i}`, categories: ['Big'], publishedAt: NOW - i * 60_000 }),
      ),
    );
    popup.show();
    const section = await screen.findByRole('region', { name: 'Big' });
    await within(section).findByRole('article', { name: 'Post 0' });
    return section;
  }

  it(
    'renders a bounded number of rows, however long the section',
    { timeout: 60_000 },
    async () => {
      const section = await showBigSection();

      expect(within(section).getByRole('heading', { level: 2 }).textContent).toBe('Big 5000');
      const rendered = within(section).getAllByRole('article');
      expect(rendered.length).toBeGreaterThan(3);
      expect(rendered.length).toBeLessThanOrEqual(BOUND);
      expect(rendered[0]?.getAttribute('aria-setsize')).toBe(String(COUNT));
      expect(rendered[0]?.getAttribute('aria-posinset')).toBe('1');
    },
  );

  it('renders later rows when scrolled, and only those', { timeout: 60_000 }, async () => {
    const section = await showBigSection();
    const scroller = section.parentElement!;

    // Far enough that neither the rows nor the page first read are there (fake-indexeddb
    // skips index entries one by one, so not thousands: a browser's cursor does it at once).
    scroller.scrollTop = FALLBACK_HEIGHTS.head + 300 * FALLBACK_HEIGHTS.row;
    fireEvent.scroll(scroller);

    expect(
      await within(section).findByRole('article', { name: 'Post 300' }, { timeout: 10_000 }),
    ).toBeTruthy();
    const rendered = within(section).getAllByRole('article');
    expect(rendered.length).toBeLessThanOrEqual(BOUND);
    expect(within(section).queryByRole('article', { name: 'Post 0' })).toBeNull();
    expect(rendered.map((row) => Number(row.getAttribute('aria-posinset')))).toContain(301);
  });
});
