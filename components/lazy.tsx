/**
 * A component whose code is loaded with `import()` the first time it renders (or earlier, with
 * `preload`, once the popup's first rows are on screen), so the popup's first paint does not
 * carry it. Until then it renders nothing; when its code cannot be loaded it says so in words.
 */
import { logError } from '@/utils/errors';
import { signal } from '@preact/signals';
import type { ComponentType, JSX } from 'preact';
import { errorMessage } from '@/utils/format';

export interface LazyComponent<P> {
  (props: P): JSX.Element | null;
  /** Starts loading the code (once). */
  preload(): Promise<void>;
}

export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  const loaded = signal<ComponentType<P> | undefined>(undefined);
  const failure = signal<unknown>(undefined);
  let pending: Promise<void> | undefined;

  function preload(): Promise<void> {
    pending ??= load().then(
      (component) => {
        loaded.value = component;
      },
      (error: unknown) => {
        failure.value = error;
        logError(error);
      },
    );
    return pending;
  }

  function Lazy(props: P) {
    const Component = loaded.value;
    if (Component) return <Component {...props} />;
    if (failure.value !== undefined) {
      return (
        <p class="error">{`Could not load this part of Dispatch: ${errorMessage(failure.value)}`}</p>
      );
    }
    void preload();
    return null;
  }
  Lazy.preload = preload;
  return Lazy;
}
