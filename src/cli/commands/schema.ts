import { projectJsonSchemaText } from '../../config/json-schema.js';

/** Prints the JSON Schema of overseer.yaml: the same text the package ships. */
export async function schema(): Promise<number> {
  process.stdout.write(projectJsonSchemaText());
  return 0;
}
