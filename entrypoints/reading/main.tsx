/** The full-page reading list (`reading.html`, opened in a tab): its state, rendered. */
import { render } from 'preact';
import { ReadingListPanel } from '@/components/ReadingListPanel';
import { createReadingState } from '@/utils/state/reading-state';
import '@/components/styles.css';

const state = createReadingState();
render(<ReadingListPanel state={state} full />, document.getElementById('app')!);
