import { describe, expect, it } from 'vitest';
import type { Post } from '@/utils/db/types';
import { groupByCategory } from './naive-grouping';

describe('groupByCategory', () => {
  const post = (id: number, categories: string[], minutes = 2) =>
    ({ id, feedId: 1, categories, minutes }) as Post;

  it('puts a post in a section per category, sections in order of their newest post', () => {
    const sections = groupByCategory(
      [post(3, ['SSM', 'Attention'], 3), post(2, []), post(1, ['attention'], 4)],
      new Map([[1, 'Edge Notes']]),
    );

    expect(sections.map(({ name, count, minutes }) => ({ name, count, minutes }))).toEqual([
      { name: 'SSM', count: 1, minutes: 3 },
      { name: 'Attention', count: 2, minutes: 7 },
      { name: 'Uncategorized', count: 1, minutes: 2 },
    ]);
    expect(sections[1]?.entries.map((entry) => entry.post.id)).toEqual([3, 1]);
    expect(sections[0]?.entries[0]?.blog).toBe('Edge Notes');
  });
});
