import { writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OverseerError } from '../../core/errors.js';
import { schemaReference } from '../schema-reference.js';
import { starterConfig } from '../starter-config.js';

export interface InitOptions {
  readonly file: string;
  readonly force?: boolean;
}

/** The schema this overseer ships, at its package root (dist/cli/commands/ is three down). */
const SHIPPED_SCHEMA = fileURLToPath(new URL('../../../overseer.schema.json', import.meta.url));

/** Writes a starter overseer.yaml; an existing file is kept unless `force`. */
export async function init(options: InitOptions): Promise<number> {
  const path = resolve(options.file);
  if (!['.yaml', '.yml'].includes(extname(path))) {
    throw new OverseerError(
      'BAD_REQUEST',
      `${options.file}: init writes YAML: name a .yaml or .yml file`,
    );
  }
  const text = starterConfig(schemaReference(dirname(path), SHIPPED_SCHEMA));
  try {
    // `wx`: the check and the write are one step, so a file that appears meanwhile is kept too.
    writeFileSync(path, text, { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    throw initError(options.file, error as NodeJS.ErrnoException);
  }
  process.stdout.write(
    `wrote ${options.file}: check it with \`overseer validate\`, run it with \`overseer up\`\n`,
  );
  return 0;
}

function initError(file: string, error: NodeJS.ErrnoException): Error {
  switch (error.code) {
    case 'EEXIST':
      return new OverseerError(
        'BAD_REQUEST',
        `${file} already exists: pass --force to overwrite it`,
      );
    case 'ENOENT':
      return new OverseerError('BAD_REQUEST', `cannot write ${file}: its folder does not exist`);
    case 'EISDIR':
      return new OverseerError('BAD_REQUEST', `cannot write ${file}: it is a folder`);
    default:
      return error;
  }
}
