import { defineConfig } from 'vite';

// The phone is served by Parley itself (parley-web, classpath dev/parley/web/static) at /, so every asset is
// same-origin and passes its Content-Security-Policy (script-src/style-src 'self': no inline script or style).
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // the budget is checked by scripts/size.mjs (gzipped); this only silences Vite's own 500 kB warning
    chunkSizeWarningLimit: 1000,
    modulePreload: { polyfill: false },
    // Fixed names: parley-web serves them revalidated (no long-lived cache to bust), and the copy into the jar then
    // replaces the previous build's files instead of piling up hashed ones next to them.
    rolldownOptions: {
      output: { entryFileNames: 'assets/phone.js', chunkFileNames: 'assets/[name].js', assetFileNames: 'assets/phone[extname]' },
    },
  },
});
