import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The staff console (issue 17): Preact + uPlot, built to dist/console, which the service serves at
 * /console (src/common/http/console-hosting.ts). Hashed file names under assets/ are cached for a
 * year; no inline script or style is emitted (the console's CSP forbids both).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
