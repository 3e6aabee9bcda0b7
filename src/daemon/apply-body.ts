/**
 * The body of `POST /daemon/apply`, checked: what `up -d` on a running stack sends.
 */
import { OverseerError } from '../core/errors.js';

/** What an apply asks for besides applying the config file. */
export interface ApplyBody {
  /** Processes to start afterwards, with what they need; none: only what the change touched. */
  readonly names?: string[];
  /** `up -d --watch`: apply every later change of the config too, for the daemon's life. */
  readonly watch?: boolean;
}

/**
 * None at all means no names; anything else must be a JSON object, or nothing is applied
 * (a body that does not parse is not "apply everything").
 */
export function parseApplyBody(text: string): ApplyBody {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OverseerError('BAD_REQUEST', 'the body is not JSON: expected {"names"?: [...]}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OverseerError('BAD_REQUEST', 'expected a JSON object {"names"?: [...]}');
  }
  const { names, watch } = body as { names?: unknown; watch?: unknown };
  if (names !== undefined && !isStringArray(names)) {
    throw new OverseerError('BAD_REQUEST', 'names: expected an array of process names');
  }
  if (watch !== undefined && typeof watch !== 'boolean') {
    throw new OverseerError('BAD_REQUEST', 'watch: expected true or false');
  }
  return { ...(names !== undefined && { names }), ...(watch !== undefined && { watch }) };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
