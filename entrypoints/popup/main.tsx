/** The toolbar popup: its state over the database, rendered. */
import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { createPopupState } from '@/utils/state/popup-state';
import '@/components/styles.css';

const app = document.getElementById('app')!;

// The benchmark's naive variant (full scan, every unread row rendered) exists only in the e2e
// build: `import.meta.env.MODE` is a constant, so production drops this branch and its import.
if (import.meta.env.MODE === 'e2e' && new URLSearchParams(location.search).has('naive')) {
  void import('@/tests/bench/naive-popup').then(({ renderNaivePopup }) => renderNaivePopup(app));
} else {
  render(<Popup state={createPopupState()} />, app);
}
