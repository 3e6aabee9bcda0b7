/**
 * Writes overseer.schema.json at the package root: the JSON Schema of overseer.yaml that the
 * package ships for editors (`"$schema"` lines, `yaml.schemas`), generated from the built
 * config schemas so that it is always the one `overseer schema` prints.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { projectJsonSchemaText } = await import(join(root, 'dist/config/json-schema.js'));
writeFileSync(join(root, 'overseer.schema.json'), projectJsonSchemaText());
