/**
 * Host access per followed site (`optional_host_permissions`). `requestOrigins` must be called
 * synchronously from a click or submit handler: Chrome refuses the prompt without a user gesture.
 */
import { browser } from 'wxt/browser';

export interface PermissionsAdapter {
  /** Asks the user for access to these origin patterns; resolves true when granted (or held). */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Whether the extension holds access to all of these origin patterns. */
  hasOrigins(origins: string[]): Promise<boolean>;
}

export function requestOrigins(origins: string[]): Promise<boolean> {
  return browser.permissions.request({ origins });
}

export function hasOrigins(origins: string[]): Promise<boolean> {
  return browser.permissions.contains({ origins });
}

export const permissions: PermissionsAdapter = { requestOrigins, hasOrigins };
