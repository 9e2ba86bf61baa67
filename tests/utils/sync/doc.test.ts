import { describe, expect, it } from 'vitest';
import {
  decodeItems,
  emptyDoc,
  feedValue,
  layoutDoc,
  mergeDocs,
  postKey,
  pruneDoc,
  QUOTA_BYTES,
  readingValue,
  TOMBSTONE_DAYS,
  type SyncDoc,
} from '@/utils/sync/doc';

const NOW = 1_780_000_000;
const DAY = 24 * 60 * 60;

function docWith(fill: (doc: SyncDoc) => void): SyncDoc {
  const doc = emptyDoc();
  fill(doc);
  return doc;
}

const blog = (i: number, t = NOW) =>
  [
    `blog${i}.example/feed`,
    {
      t,
      v: feedValue({ url: `https://blog${i}.example/feed`, title: `The Blog of Someone ${i}` }),
    },
  ] as const;

const item = (i: number, doneAt = 0) =>
  [
    `https://articles.example/2026/${i}/an-article-about-things`,
    {
      t: NOW,
      v: readingValue({
        title: `An article about things, part ${i}`,
        addedAt: NOW - i,
        position: i,
        doneAt,
        minutes: 7,
        source: 'Edge Notes',
      }),
    },
  ] as const;

function filled({ blogs = 0, items = 0, reads = 0 }): SyncDoc {
  return docWith((doc) => {
    for (let i = 0; i < blogs; i++) doc.feeds.set(...blog(i));
    for (let i = 0; i < items; i++) doc.reading.set(...item(i));
    for (let i = 0; i < reads; i++)
      doc.reads.set(postKey('blog.example/feed', `p${i}`), { t: NOW - reads + i, read: true });
  });
}

describe('mergeDocs', () => {
  it('keeps the later change of each entry, whichever copy it is in', () => {
    const a = docWith((doc) => {
      doc.feeds.set('x.example/feed', {
        t: 10,
        v: feedValue({ url: 'https://x.example/feed', title: 'X' }),
      });
      doc.feeds.set('z.example/feed', { t: 20 });
    });
    const b = docWith((doc) => {
      doc.feeds.set('y.example/feed', {
        t: 11,
        v: feedValue({ url: 'https://y.example/feed', title: 'Y' }),
      });
      doc.feeds.set('z.example/feed', {
        t: 30,
        v: feedValue({ url: 'https://z.example/feed', title: 'Zed' }),
      });
    });

    const merged = mergeDocs(a, b);

    expect([...merged.feeds.keys()].sort()).toEqual([
      'x.example/feed',
      'y.example/feed',
      'z.example/feed',
    ]);
    expect(merged.feeds.get('z.example/feed')?.v?.title).toBe('Zed');
    expect(mergeDocs(b, a)).toEqual(merged);
    expect(mergeDocs(merged, a)).toEqual(merged);
  });

  it('settles a tie the same way in every browser (a read wins over an unread)', () => {
    const read = docWith((doc) => doc.reads.set('abcdefgh', { t: 5, read: true }));
    const unread = docWith((doc) => doc.reads.set('abcdefgh', { t: 5, read: false }));

    expect(mergeDocs(read, unread).reads.get('abcdefgh')).toEqual({ t: 5, read: true });
    expect(mergeDocs(unread, read).reads.get('abcdefgh')).toEqual({ t: 5, read: true });
  });
});

describe('pruneDoc', () => {
  it(`forgets removals and unreads after ${TOMBSTONE_DAYS} days, never what is there`, () => {
    const old = NOW - (TOMBSTONE_DAYS + 1) * DAY;
    const doc = docWith((d) => {
      d.feeds.set('gone.example', { t: old });
      d.feeds.set(...blog(1, old));
      d.reads.set('aaaaaaaa', { t: old, read: false });
      d.reads.set('bbbbbbbb', { t: old, read: true });
      d.reading.set('https://recent.example/', { t: NOW - DAY });
    });

    const pruned = pruneDoc(doc, NOW);

    expect([...pruned.feeds.keys()]).toEqual(['blog1.example/feed']);
    expect([...pruned.reads.keys()]).toEqual(['bbbbbbbb']);
    expect(pruned.reading.size).toBe(1);
  });
});

describe('layoutDoc', () => {
  it('writes items that read back as the same document', () => {
    const doc = filled({ blogs: 3, items: 5, reads: 40 });
    doc.feeds.set('gone.example/feed', { t: NOW });
    doc.reading.set('https://removed.example/', { t: NOW });
    doc.settings.set('badgeMode', { t: 0, v: 'minutes' });

    const layout = layoutDoc(doc)!;

    expect(decodeItems(layout.items)).toEqual(doc);
  });

  it('skips what is malformed in a copy instead of trusting it', () => {
    const doc = decodeItems({
      'dispatch:f:0': [[1, 'https://ok.example/feed', 'OK'], ['x'], [2, 'not a url', 'Bad'], 7],
      'dispatch:l:0': 'nonsense',
      'dispatch:r:0': 'abcdefgh0000001!!!',
      'other:key': [1, 2],
    });

    expect([...doc.feeds.keys()]).toEqual(['ok.example/feed']);
    expect(doc.reading.size).toBe(0);
    expect(doc.reads.size).toBe(1);
  });

  it.each([
    // The limits in the module comment.
    { blogs: 900, items: 0, reads: 0, fits: true },
    { blogs: 50, items: 100, reads: 5_000, fits: true },
    { blogs: 0, items: 0, reads: 6_500, fits: true },
    { blogs: 0, items: 550, reads: 0, fits: true },
  ])(
    'fits $blogs blogs, $items reading-list items and $reads read states',
    ({ fits, ...sizes }) => {
      const layout = layoutDoc(filled(sizes))!;

      expect(layout.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
      expect(layout.dropped.readStates === 0 && layout.dropped.readingItems === 0).toBe(fits);
    },
  );

  it('leaves out the oldest read states first, then finished items, and says so', () => {
    const doc = filled({ blogs: 10, items: 800, reads: 2_000 });
    for (let i = 0; i < 300; i++) {
      const [url, entry] = item(i, NOW - 1_000 + i);
      doc.reading.set(url, entry);
    }

    const layout = layoutDoc(doc)!;

    expect(layout.bytes).toBeLessThanOrEqual(QUOTA_BYTES);
    expect(layout.dropped.readStates).toBe(2_000);
    expect(layout.dropped.readingItems).toBeGreaterThan(0);
    const finished = [...layout.doc.reading.values()].filter((e) => e.v!.doneAt > 0);
    expect(finished.length).toBe(300 - layout.dropped.readingItems);
    // The ones finished longest ago went first.
    expect(layout.doc.reading.has(item(0)[0])).toBe(false);
    expect(layout.doc.reading.has(item(299)[0])).toBe(true);
  });

  it('refuses when blogs alone exceed the quota', () => {
    expect(layoutDoc(filled({ blogs: 2_000 }))).toBeUndefined();
  });
});
