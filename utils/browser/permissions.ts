/**
 * Host access per followed site (`optional_host_permissions`) and the optional API permissions
 * (`notifications`). The `request*` functions must be called synchronously from a click or
 * submit handler: Chrome refuses the prompt without a user gesture.
 */
import { browser } from 'wxt/browser';

export interface PermissionsAdapter {
  /** Asks the user for access to these origin patterns; resolves true when granted (or held). */
  requestOrigins(origins: string[]): Promise<boolean>;
  /** Whether the extension holds access to all of these origin patterns. */
  hasOrigins(origins: string[]): Promise<boolean>;
}

/** The optional API permissions Dispatch asks for (manifest `optional_permissions`). */
export type OptionalPermission = 'notifications';

/** What the options page's settings and "Delete everything" need beyond host access. */
export interface OptionalPermissionsAdapter {
  /** Asks for API permissions; resolves true when granted (or already held). */
  requestPermissions(names: OptionalPermission[]): Promise<boolean>;
  /**
   * The origin patterns granted at run time (the user's answers to our prompts): what the
   * browser holds minus the manifest's own `host_permissions` (the e2e build's loopback
   * access), which cannot be removed.
   */
  grantedOptionalOrigins(): Promise<string[]>;
  /** Gives access back; resolves true when removed. */
  removeOrigins(origins: string[]): Promise<boolean>;
}

export function requestOrigins(origins: string[]): Promise<boolean> {
  return browser.permissions.request({ origins });
}

export function hasOrigins(origins: string[]): Promise<boolean> {
  return browser.permissions.contains({ origins });
}

export function requestPermissions(names: OptionalPermission[]): Promise<boolean> {
  return browser.permissions.request({ permissions: names });
}

export async function grantedOptionalOrigins(): Promise<string[]> {
  const held = await browser.permissions.getAll();
  const required = new Set(browser.runtime.getManifest().host_permissions ?? []);
  return (held.origins ?? []).filter((origin) => !required.has(origin));
}

export function removeOrigins(origins: string[]): Promise<boolean> {
  if (origins.length === 0) return Promise.resolve(true);
  return browser.permissions.remove({ origins });
}

export const permissions: PermissionsAdapter & OptionalPermissionsAdapter = {
  requestOrigins,
  hasOrigins,
  requestPermissions,
  grantedOptionalOrigins,
  removeOrigins,
};

/**
 * Asks `adapter` for `origins` now, in the caller's user gesture (call it before any `await`),
 * and never rejects: a failure to ask is reported and counts as a refusal.
 */
export function askForOrigins(
  adapter: Pick<PermissionsAdapter, 'requestOrigins'>,
  origins: string[],
  onError: (error: unknown) => void,
): Promise<boolean> {
  try {
    return adapter.requestOrigins(origins).catch((error: unknown) => {
      onError(error);
      return false;
    });
  } catch (error) {
    onError(error);
    return Promise.resolve(false);
  }
}
