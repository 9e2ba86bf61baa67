/**
 * The one funnel for unexpected errors caught at the edges (alarm, message and UI handlers).
 * Expected failures (a feed that is down) are data on the feed record, not errors.
 */
export function reportError(error: unknown, context: string): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[Dispatch] ${context}: ${detail}`, error);
}
