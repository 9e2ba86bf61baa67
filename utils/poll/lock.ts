/**
 * The Web Locks name under which Dispatch fetches its blogs' pages, across wake-ups and
 * extension pages: the poll cycle (`poll-all.ts`), re-learning or correcting a listing page
 * (`follow.ts`) and the listing work done after an answer (`queueListingWork`: backfill,
 * article measuring). Its own module so that the listing code, which the poll imports, can
 * take the lock without importing the poll cycle.
 */
export const POLL_LOCK = 'dispatch-poll';
