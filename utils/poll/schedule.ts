/**
 * When polling happens: one repeating alarm (the tick) wakes the worker, and each tick polls
 * the feeds whose `nextPollAt` has come. The alarm is re-asserted on install, on browser
 * start-up and on every wake, since an update or a crash may have lost it.
 */
import { browser } from 'wxt/browser';
import { reportError } from '@/utils/errors';
import { flushQuietDigest } from '@/utils/notify';
import { syncOnTick } from '@/utils/sync';
import { defaultPollDeps, pollDueFeeds } from './poll-all';

export const POLL_ALARM = 'poll-tick';

/** Minutes between ticks unless `WXT_ALARM_PERIOD` says otherwise (end-to-end builds: 0.05). */
export const DEFAULT_ALARM_PERIOD_MINUTES = 5;

/** The tick period in minutes: `WXT_ALARM_PERIOD` when it is a positive number, else 5. */
export function alarmPeriodMinutes(
  configured: string | undefined = import.meta.env.WXT_ALARM_PERIOD,
): number {
  const value = Number(configured);
  return configured && Number.isFinite(value) && value > 0 ? value : DEFAULT_ALARM_PERIOD_MINUTES;
}

/**
 * Creates the tick alarm when it is missing or has another period. Re-creating it when it is
 * already right would push its next fire back a whole period on every wake.
 */
export async function ensurePollAlarm(periodInMinutes = alarmPeriodMinutes()): Promise<void> {
  const existing = await browser.alarms.get(POLL_ALARM);
  if (existing?.periodInMinutes === periodInMinutes) return;
  await browser.alarms.create(POLL_ALARM, { periodInMinutes, delayInMinutes: periodInMinutes });
}

/**
 * What each tick does, in order, with the production dependencies: one poll cycle, then the
 * quiet-hours digest when quiet hours have ended (after the cycle, so posts it found in quiet
 * hours are in the digest rather than in a notification of their own). Each step's errors end
 * in `reportError` and never stop the next step.
 */
export async function pollOnTick(): Promise<void> {
  const deps = await defaultPollDeps().catch((error: unknown) => {
    reportError(error, 'scheduled poll');
    return undefined;
  });
  if (!deps) return;
  await pollDueFeeds(deps).catch((error: unknown) => reportError(error, 'scheduled poll'));
  await flushQuietDigest(deps).catch((error: unknown) => reportError(error, 'quiet-hours digest'));
  // Changes made in a page that sent no `syncNow` (or while sync was failing) reach the synced
  // copy here; with nothing changed it only reads.
  await syncOnTick().catch((error: unknown) => reportError(error, 'sync'));
}

/**
 * Attaches the alarm and lifecycle listeners synchronously (an MV3 worker woken by an event
 * only sees it if the listener exists before the first `await`), then re-asserts the alarm.
 */
export function registerPolling(): void {
  const assertAlarm = (): Promise<void> =>
    ensurePollAlarm().catch((error: unknown) => reportError(error, 'poll alarm'));
  browser.alarms.onAlarm.addListener((alarm) =>
    alarm.name === POLL_ALARM ? pollOnTick() : undefined,
  );
  browser.runtime.onInstalled.addListener(() => assertAlarm());
  browser.runtime.onStartup.addListener(() => assertAlarm());
  void assertAlarm();
}
