/**
 * The one funnel for unexpected errors caught at the edges (alarm, message and UI handlers).
 * Expected failures (a feed that is down) are data on the feed record, not errors.
 */
export function reportError(error: unknown, context: string): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[Dispatch] ${context}: ${detail}`, error);
}

/** Where a page's failures go: the page's console. Actions take another for tests. */
export type ErrorReporter = (error: unknown) => void;

/** The default error funnel of the pages: the console of the page that failed. */
export const logError: ErrorReporter = (error) => console.error('[dispatch]', error);
