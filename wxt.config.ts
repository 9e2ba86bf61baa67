import { createRequire } from 'node:module';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import type { Alias, AliasOptions } from 'vite';

const require = createRequire(import.meta.url);

/** `wxt/browser` as WXT ships it: the browser's own promise-based `browser`/`chrome`. */
const NATIVE_BROWSER = require.resolve('wxt/browser');

/**
 * Pages (popup, options, reading list) use the browser's own promise-based API: every call they
 * make returns a promise natively in Chrome MV3 and Firefox, so the polyfill's 3 KB gzip would
 * buy them nothing (docs/decisions.md, "Popup size"). The service worker keeps the polyfill
 * (the `@wxt-dev/webextension-polyfill` module), for `runtime.onMessage` listeners that answer
 * by returning a promise. Vitest is unaffected (`wxt/browser` is the fake browser there).
 */
function withNativeBrowser(alias: AliasOptions | undefined): Alias[] {
  const entries: Alias[] = Array.isArray(alias)
    ? [...(alias as Alias[])]
    : Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement }));
  return [
    { find: /^wxt\/browser$/, replacement: NATIVE_BROWSER },
    ...entries.filter((entry) => entry.find !== 'wxt/browser'),
  ];
}

/**
 * Build configuration. The production build lists no host at install: host access is an
 * optional permission requested per followed site when the user subscribes. The `e2e` mode
 * (`wxt build --mode e2e`) is the same extension plus loopback host access and notifications
 * granted at install, because a headless browser's permission prompt cannot be answered.
 */
export default defineConfig({
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: (env) => {
    // Every build is a production build, whatever its mode (`e2e` included): without this the
    // Preact preset ships development JSX and the devtools hook in non-`production` modes, and
    // the e2e suite and the popup benchmark would test something users never run.
    if (env.command === 'build') process.env.NODE_ENV = 'production';
    return {
      plugins: [preact()],
      // Dexie's ES build (its default entry wraps the UMD bundle): 1.3 KB gzip smaller.
      resolve: { alias: { dexie: require.resolve('dexie/dist/modern/dexie.mjs') } },
    };
  },
  hooks: {
    'vite:build:extendConfig': (entrypoints, config) => {
      if (entrypoints.some((entrypoint) => entrypoint.type === 'background')) return;
      config.resolve = { ...config.resolve, alias: withNativeBrowser(config.resolve?.alias) };
    },
  },
  manifest: ({ browser, mode }) => ({
    name: 'Dispatch',
    description:
      'A reading companion for the blogs you follow: unread posts by category, reading times, a reading list.',
    // `notifications` is optional: asked for when the user turns notifications on (options
    // page). The e2e build also holds it from install, as it holds loopback host access: a
    // headless browser cannot answer the permission prompt. It stays listed as optional there
    // too, because Firefox refuses `permissions.request` for a permission not declared optional
    // (Chromium answers true for one already granted).
    permissions: [
      'storage',
      'alarms',
      'contextMenus',
      'activeTab',
      ...(mode === 'e2e' ? ['notifications'] : []),
    ],
    optional_permissions: ['notifications'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    ...(mode === 'e2e' && {
      host_permissions: [
        'http://127.0.0.1/*',
        'https://127.0.0.1/*',
        'http://localhost/*',
        'https://localhost/*',
      ],
    }),
    action: { default_title: 'Dispatch' },
    // Pages load images, media and frames from the extension only: feed text is shown as
    // text, and even a rendering bug could not fetch a tracking pixel (HOSTILE-INPUTS 35).
    // No `default-src`/`connect-src`: the same policy governs the worker's feed requests.
    content_security_policy: {
      extension_pages:
        "script-src 'self'; object-src 'self'; img-src 'self' data:; media-src 'none'; frame-src 'none'",
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'dispatch@example.org',
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        gecko_android: { strict_min_version: '142.0' },
      },
    }),
  }),
});
