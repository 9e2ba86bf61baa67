import { render } from 'preact';

render(<p>Dispatch</p>, document.getElementById('app')!);
