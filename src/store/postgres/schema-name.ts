/** The schema that holds a workflow store's tables, checked and quoted for SQL. */
import { OverseerError } from '../../core/errors.js';

export const DEFAULT_SCHEMA = 'overseer';

/**
 * Letters, digits and underscores, not starting with a digit, at most 63 (PostgreSQL cuts
 * longer names short, so two long names could meet as one). Quoted even so, so that a
 * name with capitals or a keyword (`user`) means what it says.
 */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function quotedSchema(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new OverseerError(
      'BAD_REQUEST',
      `invalid PostgreSQL schema name ${JSON.stringify(name)}: letters, digits and _, not starting with a digit, at most 63`,
    );
  }
  return `"${name}"`;
}
