/**
 * What every tool and resource answers: text, and a failure as a tool error (`isError`) that
 * says what was wrong and what to do, never a crash of the server. No answer carries a
 * secret (the API token): each is wiped from the text before it leaves.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { OverseerError } from '../core/errors.js';
import { isNoSupervisor } from '../protocol/client.js';

/** Most names listed after an unknown one. */
const KNOWN_NAMES_SHOWN = 50;

export interface Answering {
  /** Said in every answer that found no daemon: how to start one. */
  readonly noDaemonHint: string;
  /** Strings never to appear in an answer. */
  readonly secrets: readonly string[];
  /** The processes' names, for an answer to a name that is none. */
  readonly knownNames: () => Promise<readonly string[]>;
}

/** Runs `compute` and answers its text, or its failure as a tool error. */
export async function answer(
  answering: Answering,
  compute: () => Promise<string>,
): Promise<CallToolResult> {
  try {
    return { content: [{ type: 'text', text: redact(await compute(), answering.secrets) }] };
  } catch (error) {
    const text = redact(await failureText(error, answering), answering.secrets);
    return { content: [{ type: 'text', text }], isError: true };
  }
}

/**
 * What went wrong, for a model to act on: no daemon (and how to start one), an unknown
 * process (and the known ones), else the supervisor's own words with its error code.
 */
export async function failureText(error: unknown, answering: Answering): Promise<string> {
  if (isNoSupervisor(error)) return `${(error as Error).message}. ${answering.noDaemonHint}`;
  if (!(error instanceof OverseerError)) {
    return error instanceof Error ? error.message : String(error);
  }
  if (error.code !== 'UNKNOWN_PROCESS') return `${error.code}: ${error.message}`;
  const known = await answering.knownNames().catch(() => undefined);
  if (known === undefined) return `${error.code}: ${error.message}`;
  const shown = known.slice(0, KNOWN_NAMES_SHOWN).join(', ');
  const more =
    known.length > KNOWN_NAMES_SHOWN ? `, and ${known.length - KNOWN_NAMES_SHOWN} more` : '';
  return `${error.code}: ${error.message}. Known processes: ${shown || 'none'}${more}.`;
}

/** `text` with every secret in it replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (redacted, secret) => (secret === '' ? redacted : redacted.replaceAll(secret, '[redacted]')),
    text,
  );
}
