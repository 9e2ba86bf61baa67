/** The toolbar button API: `action` in MV3, `browserAction` in Firefox MV2. */
import { browser } from 'wxt/browser';

export interface BadgeAction {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  /** The button's tooltip: what the badge counts, in words. */
  setTitle(details: { title: string }): Promise<void>;
}

export function getAction(): BadgeAction {
  const api = browser as unknown as { action?: BadgeAction; browserAction?: BadgeAction };
  const action = api.action ?? api.browserAction;
  if (!action) throw new Error('No toolbar action API in this browser');
  return action;
}
