/**
 * The listing preview and editor (`ListingPreview.tsx`) and a followed listing's extractor in
 * words, their code (with the extractor's) loaded the first time one is shown: most visits to
 * the options page follow no page without a feed, and it kept the page 1.3 KB gzip lighter.
 */
import { lazy } from './lazy';

export const LazyListingPreview = lazy(() =>
  import('./ListingPreview').then((module) => module.ListingPreview),
);

export const LazyExtractorWords = lazy(() =>
  import('./ListingPreview').then((module) => module.ExtractorWords),
);
