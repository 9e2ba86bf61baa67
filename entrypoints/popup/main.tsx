/**
 * The toolbar popup, rendered over its state: first what is stored, read without Dexie, then
 * the live state, loaded right after the first paint (`first-paint-state.ts`).
 */
import { render } from 'preact';
import { Popup } from '@/components/Popup';
import '@/components/styles.css';
import { createFirstPaintState } from '@/utils/state/first-paint-state';

const app = document.getElementById('app')!;

// The benchmark's naive variant (full scan, every unread row rendered) exists only in the e2e
// build: `import.meta.env.MODE` is a constant, so production drops this branch and its import.
if (import.meta.env.MODE === 'e2e' && new URLSearchParams(location.search).has('naive')) {
  void import('@/tests/bench/naive-popup').then(({ renderNaivePopup }) => renderNaivePopup(app));
} else {
  render(<Popup state={createFirstPaintState()} />, app);
}
