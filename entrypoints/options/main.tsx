/** The options page (opens in a tab): its state over the database, rendered. */
import { render } from 'preact';
import { Options } from '@/components/Options';
import { createOptionsState } from '@/utils/state/options-state';
import '@/components/styles.css';

const state = createOptionsState();
render(<Options state={state} />, document.getElementById('app')!);
