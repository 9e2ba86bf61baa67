import { describe, expect, it } from 'vitest';
import { categoryModeOf, mutedSections, sectionsWith } from '@/utils/category-modes';

describe('categoryModeOf', () => {
  it('reads the mode chosen for a category under any spelling, notify when none was', () => {
    const modes = { transformer: 'mute', 'state space model': 'list' } as const;

    expect(categoryModeOf(modes, 'Transformer')).toBe('mute');
    expect(categoryModeOf(modes, 'ＳＴＡＴＥ  Space Model')).toBe('list');
    expect(categoryModeOf(modes, 'Robotics')).toBe('notify');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'gives a category a feed calls "%s" the default, not an Object built-in',
    (category) => {
      expect(categoryModeOf({}, category)).toBe('notify');
    },
  );
});

describe('sectionsWith', () => {
  it('lists the section keys of one mode', () => {
    const modes = { a: 'mute', b: 'list', c: 'mute', d: 'notify' } as const;

    expect(mutedSections(modes)).toEqual(new Set(['a', 'c']));
    expect(sectionsWith(modes, 'list')).toEqual(new Set(['b']));
  });
});
