/**
 * Bundles the dashboard (src/tui with ink, react and what they import) into one file,
 * dist/tui/dashboard.bundle.js, that the CLI loads for `top` and `up` on a terminal. Loaded
 * as hundreds of modules, ink and react took ~500 ms to import on a 2-core machine, most of
 * it resolving, reading and scanning files; one file loads in under 100 ms.
 *
 * React's production build is bundled (its development build checks every render), and
 * ink's optional React DevTools hook, which only `DEV=true` reaches, is left out.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/tui/dashboard.bundle.js');
mkdirSync(dirname(outfile), { recursive: true });

await build({
  entryPoints: [join(root, 'src/tui/run-dashboard.tsx')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  // Some of ink's dependencies are CommonJS and call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'no-devtools',
      setup(builder) {
        builder.onResolve({ filter: /^react-devtools-core$/ }, () => ({
          path: 'react-devtools-core',
          namespace: 'no-devtools',
        }));
        builder.onLoad({ filter: /.*/, namespace: 'no-devtools' }, () => ({
          contents: 'export default { initialize() {}, connectToDevTools() {} };',
          loader: 'js',
        }));
      },
    },
  ],
  logLevel: 'warning',
});
