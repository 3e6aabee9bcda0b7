/**
 * The demo's exports as checked in (examples/demo/exports/<format>/) are what the export
 * writes today: a change of output shows in review as a change of those files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportProject } from '../../src/export/export-project.js';
import { EXPORT_FORMATS } from '../../src/export/model.js';
import { demoProject, inputOf } from './helpers.js';

const EXPORTS = fileURLToPath(new URL('../../examples/demo/exports/', import.meta.url));
const HINT =
  'the export changed: if that is meant, run `npm run build && node scripts/export-goldens.mjs` and review the diff';

describe('the demo exports checked in', () => {
  for (const format of EXPORT_FORMATS) {
    it(`${format} matches examples/demo/exports/${format}`, async () => {
      const { files } = exportProject(inputOf(await demoProject()), format);
      const folder = join(EXPORTS, format);
      const checkedIn = existsSync(folder) ? readdirSync(folder).sort() : [];
      expect(checkedIn, HINT).toEqual(files.map((file) => file.name).sort());
      for (const file of files) {
        expect(readFileSync(join(folder, file.name), 'utf8'), `${file.name}: ${HINT}`).toBe(
          file.text,
        );
      }
    });
  }
});
