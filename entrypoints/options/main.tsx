/** The options page (opens in a tab): its states over the database and settings, rendered. */
import { render } from 'preact';
import { Options } from '@/components/Options';
import { createOptionsState } from '@/utils/state/options-state';
import { createSettingsState } from '@/utils/state/settings-state';
import '@/components/styles.css';
import '@/components/options.css';

const state = createOptionsState();
const settings = createSettingsState();
render(<Options state={state} settings={settings} />, document.getElementById('app')!);
