/** The toolbar popup: its state over the database, rendered. */
import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { createPopupState } from '@/utils/state/popup-state';
import '@/components/styles.css';

const state = createPopupState();
render(<Popup state={state} />, document.getElementById('app')!);
