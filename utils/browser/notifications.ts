/**
 * `browser.notifications`, which exists only while the optional `notifications` permission is
 * granted (it can be granted or withdrawn while Dispatch runs): ask for it at each use.
 */
import { browser } from 'wxt/browser';

export type NotificationsApi = typeof browser.notifications;

/** The notifications API, or undefined when the permission (hence the API) is missing. */
export function notificationsApi(): NotificationsApi | undefined {
  return (browser as unknown as { notifications?: NotificationsApi }).notifications;
}
