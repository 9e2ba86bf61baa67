import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

/**
 * Build configuration. The production build lists no host at install: host access is an
 * optional permission requested per followed site when the user subscribes. The `e2e` mode
 * (`wxt build --mode e2e`) is the same extension plus loopback host access granted at
 * install, because Chromium's permission prompt cannot be answered headless.
 */
export default defineConfig({
  imports: false,
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser, mode }) => ({
    name: 'Dispatch',
    description:
      'A reading companion for the blogs you follow: unread posts by category, reading times, a reading list.',
    permissions: ['storage', 'alarms', 'notifications'],
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
