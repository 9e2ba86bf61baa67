/**
 * Bundles a module for the browser the way the extension build does (rolldown, the bundler
 * under Vite 8, minified), for size figures and for running code outside Vitest (the memory
 * child process, the service-worker check). Imports that do not resolve for the browser —
 * Node built-ins such as `http` or `events` — are left external and reported.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';

export interface Bundle {
  code: string;
  /** Minified size in bytes. */
  bytes: number;
  /** gzip -9 size in bytes, as the bench reports the extension's own files. */
  gzipBytes: number;
  /** Bare imports the browser build could not resolve (Node built-ins, mostly). */
  unresolved: string[];
}

const root = process.cwd();

/**
 * Bundles `source` (an ES module's text; may import packages and `@/…`) for the browser.
 * `iife` output assigns the entry's exports to `globalThis[name]`. `external` leaves the
 * modules whose import specifier or resolved path it matches out of the bundle (to size what
 * a module adds to a bundle that already holds them).
 */
export async function bundleForBrowser(
  source: string,
  {
    format = 'esm',
    name = 'bundle',
    external,
  }: { format?: 'esm' | 'iife'; name?: string; external?: RegExp } = {},
): Promise<Bundle> {
  const unresolved = new Set<string>();
  const result = await build({
    input: 'virtual:entry',
    cwd: root,
    platform: 'browser',
    resolve: { alias: { '@': root } },
    ...(external ? { external } : {}),
    onLog(_level, log) {
      const missing = /Could not resolve '([^']+)'/.exec(log.message)?.[1];
      if (log.code === 'UNRESOLVED_IMPORT' && missing) unresolved.add(missing);
    },
    plugins: [
      {
        name: 'virtual-entry',
        resolveId: (id) => (id === 'virtual:entry' ? '\0virtual:entry' : undefined),
        load: (id) => (id === '\0virtual:entry' ? source : undefined),
      },
    ],
    output: { format, name, minify: true, codeSplitting: false },
    write: false,
  });
  const code = result.output[0].code;
  return {
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    unresolved: [...unresolved].sort(),
  };
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
