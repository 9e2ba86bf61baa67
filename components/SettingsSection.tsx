/**
 * The Settings section: check intervals, reading speed, the badge's mode, notifications and
 * quiet hours, sync. Each control saves on change; the status line (a live region) says
 * "Saved." or why the input was not saved, and the field itself says it too. A field that holds
 * a stored value is keyed by that value, so a change made elsewhere (sync, a restore) shows.
 */
import type { BadgeMode } from '@/utils/settings';
import {
  NUMBER_FIELDS,
  numberFieldValue,
  type NumberSetting,
  type SettingsState,
} from '@/utils/state/settings-state';

/** The badge modes as the radio group names them. */
export const BADGE_MODE_LABELS: Record<BadgeMode, string> = {
  posts: 'Unread posts',
  minutes: 'Unread minutes',
  notifying: 'Only notifying categories',
  off: 'Off',
};

const NUMBER_LABELS: Record<NumberSetting, { label: string; hint: string }> = {
  pollIntervalMinutes: {
    label: 'Check blogs every (minutes)',
    hint: 'The shortest interval; blogs that post rarely are checked less often.',
  },
  maxPollIntervalMinutes: {
    label: 'Check quiet blogs at least every (hours)',
    hint: 'The longest interval Dispatch may learn for a quiet blog.',
  },
  wordsPerMinute: {
    label: 'Reading speed (words per minute)',
    hint: 'Used for “N min read”.',
  },
};

export function SettingsSection({ state }: { state: SettingsState }) {
  const values = state.values.value;
  const errors = state.errors.value;
  const report = state.syncReport.value;
  return (
    <section aria-labelledby="settings-heading" class="options-section settings">
      <h2 id="settings-heading">Settings</h2>
      <p role="status" class="status settings-status">
        {state.statusIn.value === 'settings' ? state.status.value : ''}
      </p>
      {values && (
        <>
          {(Object.keys(NUMBER_LABELS) as NumberSetting[]).map((name) => {
            const field = NUMBER_FIELDS[name];
            const error = errors[name];
            const shown = numberFieldValue(name, values);
            return (
              <div class="field" key={name}>
                <label htmlFor={`setting-${name}`}>{NUMBER_LABELS[name].label}</label>
                <input
                  key={shown}
                  id={`setting-${name}`}
                  type="number"
                  inputMode="decimal"
                  min={field.min}
                  max={field.max}
                  step="any"
                  defaultValue={shown}
                  aria-invalid={error ? 'true' : undefined}
                  aria-describedby={`setting-${name}-hint`}
                  onChange={(event) => void state.setNumber(name, event.currentTarget.value)}
                />
                <p id={`setting-${name}-hint`} class={error ? 'error' : 'hint'}>
                  {error ?? NUMBER_LABELS[name].hint}
                </p>
              </div>
            );
          })}

          <fieldset class="field">
            <legend>Toolbar badge shows</legend>
            {(Object.keys(BADGE_MODE_LABELS) as BadgeMode[]).map((mode) => (
              <label class="choice" key={mode}>
                <input
                  type="radio"
                  name="badge-mode"
                  value={mode}
                  checked={values.badgeMode === mode}
                  onChange={() => void state.setBadgeMode(mode)}
                />
                {BADGE_MODE_LABELS[mode]}
              </label>
            ))}
          </fieldset>

          <fieldset class="field">
            <legend>Notifications</legend>
            <label class="choice">
              <input
                type="checkbox"
                checked={values.notificationsEnabled}
                // Synchronous: turning them on asks for the permission inside this gesture.
                onChange={(event) => void state.setNotifications(event.currentTarget.checked)}
              />
              Show a notification when new posts arrive
            </label>
            <label class="choice">
              <input
                type="checkbox"
                checked={values.quietHours.enabled}
                aria-describedby="quiet-hours-hint"
                onChange={(event) =>
                  void state.setQuietHours({ enabled: event.currentTarget.checked })
                }
              />
              Quiet hours
            </label>
            <div class="times">
              <QuietTime
                label="From "
                value={values.quietHours.start}
                invalid={Boolean(errors.quietHours)}
                onChange={(start) => void state.setQuietHours({ start })}
              />
              <QuietTime
                label="until "
                value={values.quietHours.end}
                invalid={Boolean(errors.quietHours)}
                onChange={(end) => void state.setQuietHours({ end })}
              />
            </div>
            <p id="quiet-hours-hint" class={errors.quietHours ? 'error' : 'hint'}>
              {errors.quietHours ??
                'Posts that arrive during quiet hours are announced in one notification when they end.'}
            </p>
          </fieldset>

          <fieldset class="field">
            <legend>Sync</legend>
            <label class="choice">
              <input
                type="checkbox"
                checked={values.syncEnabled}
                aria-describedby="sync-hint"
                onChange={(event) => void state.setSync(event.currentTarget.checked)}
              />
              Sync blogs, settings and the reading list through the browser
            </label>
            <p id="sync-hint" class="hint">
              {report
                ? `Last sync: ${report.message}`
                : 'Uses the browser’s own sync (no Dispatch account). What does not fit stays on this device.'}
            </p>
          </fieldset>
        </>
      )}
    </section>
  );
}

/** One end of the quiet hours: a time input, described by the hint (or its error). */
function QuietTime({
  label,
  value,
  invalid,
  onChange,
}: {
  label: string;
  value: string;
  invalid: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input
        key={value}
        type="time"
        defaultValue={value}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby="quiet-hours-hint"
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    </label>
  );
}
