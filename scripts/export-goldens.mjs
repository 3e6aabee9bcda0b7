/**
 * Writes the demo's exports (examples/demo/exports/<format>/) again, with the built CLI as a
 * user runs it: `npm run build && node scripts/export-goldens.mjs`. test/export/golden.test.ts
 * compares them with what the export writes now; run this when a change to the export is
 * meant, and review the diff. The demo's ports are left to their defaults and its folder on
 * the target is /srv/demo, so that the files are the same on every machine.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(root, 'examples/demo/overseer.yaml');
const env = { ...process.env };
delete env.DEMO_PORT;
delete env.DEMO_CACHE_PORT;

for (const format of ['kubernetes', 'nomad', 'compose', 'systemd']) {
  const folder = join(root, 'examples/demo/exports', format);
  // A file the export no longer writes must not stay behind.
  rmSync(folder, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(root, 'dist/cli/main.js'),
      'export',
      '--format',
      format,
      '-f',
      config,
      '-o',
      folder,
      '--root',
      '/srv/demo',
    ],
    { env, stdio: ['ignore', 'inherit', 'ignore'] },
  );
}
