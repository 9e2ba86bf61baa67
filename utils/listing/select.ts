/**
 * The compact structural selectors a learned extractor stores: steps joined by ` > `, each
 * `tag.class.class:not(.class):nth-of-type(n)` — a subset of CSS that reads the same to a
 * person. Classes match as a set (any order, extra classes allowed) on normalized names
 * (`normalizeClasses`: hash suffixes cut), so `article.card` matches `class="new card_x7f3a"`.
 * A card path's first step may be anywhere in the page; a field path starts at the card.
 */
import type { ListingElement } from '@/utils/listing/tree';

export interface Step {
  tag: string;
  classes: string[];
  /** Classes the element must not have. */
  not: string[];
  /** 1-based position among the siblings of the same tag. */
  nth?: number;
}

const STEP =
  /^([a-z][a-z\d]*)((?:\.[\w-]+)*)((?::not\(\.[\w-]+\))*)(?::nth-of-type\((\d{1,4})\))?$/i;

/** Reads a path (`''` is the card itself: no steps); `undefined` when it is not one of ours. */
export function parsePath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  for (const part of path.trim() ? path.trim().split(/\s*>\s*/) : []) {
    const match = STEP.exec(part);
    if (!match) return undefined;
    const [, tag = '', classes = '', not = '', nth] = match;
    steps.push({
      tag: tag.toLowerCase(),
      classes: classes.split('.').filter(Boolean),
      not: not.match(/[\w-]+(?=\))/g) ?? [],
      ...(nth ? { nth: Number(nth) } : {}),
    });
  }
  return steps;
}

export function formatStep(step: Step): string {
  return `${step.tag}${step.classes.map((name) => `.${name}`).join('')}${step.not
    .map((name) => `:not(.${name})`)
    .join('')}${step.nth ? `:nth-of-type(${step.nth})` : ''}`;
}

export function formatPath(steps: readonly Step[]): string {
  return steps.map(formatStep).join(' > ');
}

/** 1-based position of `element` among its parent's children of the same tag. */
export function nthOfType(element: ListingElement): number {
  let nth = 0;
  for (const sibling of element.parent?.children ?? []) {
    if (sibling.tag === element.tag) nth += 1;
    if (sibling === element) break;
  }
  return nth;
}

export function matchesStep(element: ListingElement, step: Step): boolean {
  return (
    element.tag === step.tag &&
    step.classes.every((name) => element.classes.includes(name)) &&
    !step.not.some((name) => element.classes.includes(name)) &&
    (step.nth === undefined || nthOfType(element) === step.nth)
  );
}

/** Every element matching the card path, in document order. */
export function selectAll(root: ListingElement, steps: readonly Step[]): ListingElement[] {
  const found: ListingElement[] = [];
  const last = steps.at(-1);
  if (!last) return found;
  const visit = (element: ListingElement): void => {
    if (matchesStep(element, last)) {
      let at = element.parent;
      let index = steps.length - 2;
      while (index >= 0 && at && matchesStep(at, steps[index]!)) {
        at = at.parent;
        index -= 1;
      }
      if (index < 0) found.push(element);
    }
    for (const child of element.children) visit(child);
  };
  for (const child of root.children) visit(child);
  return found;
}

/** The first element at `steps` below `from` (each step a child of the one before), if any. */
export function selectFirst(
  from: ListingElement,
  steps: readonly Step[],
  index = 0,
): ListingElement | undefined {
  if (index === steps.length) return from;
  for (const child of from.children) {
    if (!matchesStep(child, steps[index]!)) continue;
    const found = selectFirst(child, steps, index + 1);
    if (found) return found;
  }
  return undefined;
}
