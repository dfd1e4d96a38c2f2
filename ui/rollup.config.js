// The panel: ui/src compiled by tsc to out/ui-tsc, then bundled here into
// ui/dist (ES modules; each face is its own lazily loaded chunk).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import fs from 'node:fs';

// Hashed chunks of earlier builds must not pile up.
fs.rmSync('ui/dist', { recursive: true, force: true });

const copyStatic = {
  name: 'copy-static',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'index.html', source: fs.readFileSync('ui/index.html', 'utf8') });
  },
};

export default {
  input: 'out/ui-tsc/hotline-app.js',
  output: { dir: 'ui/dist', format: 'es', entryFileNames: 'app.js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: false },
  plugins: [nodeResolve({ browser: true }), terser({ format: { comments: false } }), copyStatic],
  preserveEntrySignatures: false,
  // tsc's decorator helper reads a module-level `this`: harmless.
  onwarn(w, warn) { if (w.code !== 'THIS_IS_UNDEFINED') warn(w); },
};
