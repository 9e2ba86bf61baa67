/**
 * The popup's keyboard: which key does what (`commandFor`, pure) and how a list of rows
 * receives the commands meant for rows (`RowList`, registered per tab through `RowListContext`).
 * Keys are ignored while typing in a field, with Ctrl / Alt / Meta held, and inside a dialog.
 */
import { createContext } from 'preact';

/** What a key asks of the focused row's list. */
export type RowCommand = 'next' | 'previous' | 'open' | 'toggle' | 'save' | 'section';

/** What a key asks of the popup. */
export type Command = RowCommand | 'search' | 'help';

const BY_KEY: Readonly<Record<string, Command>> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  o: 'open',
  m: 'toggle',
  s: 'save',
  A: 'section',
  '/': 'search',
  '?': 'help',
};

/** True when `target` takes typed text (so letters must reach it). */
function isTyping(target: Element): boolean {
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(type);
}

/**
 * The command a key press means, or undefined. `Enter` opens only on a row itself (on a
 * button or link inside it, the browser's own action runs); `A` needs Shift.
 */
export function commandFor(event: KeyboardEvent): Command | undefined {
  if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return undefined;
  const target = event.target instanceof Element ? event.target : undefined;
  if (target && (isTyping(target) || target.closest('dialog, [role="dialog"]'))) return undefined;
  if (event.key === 'Enter') return target?.hasAttribute('data-row') ? 'open' : undefined;
  if (event.key === 'A' && !event.shiftKey) return undefined;
  return BY_KEY[event.key];
}

/** A list of rows that answers row commands; `run` says whether it did something. */
export interface RowList {
  run(command: RowCommand): boolean;
}

/** Registers the list shown in a tab panel (undefined when it goes). */
export const RowListContext = createContext<(list: RowList | undefined) => void>(() => undefined);
