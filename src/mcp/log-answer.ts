/** One page of a log, read from the supervisor and written for a model (see log-pages.ts). */
import { OverseerError } from '../core/errors.js';
import type { McpSupervisor } from './context.js';
import { cursorText, DEFAULT_PAGE_LINES, logPage, pageQuery, parseCursor } from './log-pages.js';

export interface LogPageRequest {
  readonly name: string;
  readonly lines?: number;
  /** The cursor a previous page gave, for the lines before it. */
  readonly before?: string;
  /** A regular expression the lines' text must match. */
  readonly grep?: string;
}

/** The page's lines, oldest first, between a heading and how to read the older ones. */
export async function logPageText(
  supervisor: McpSupervisor,
  request: LogPageRequest,
): Promise<string> {
  const lines = request.lines ?? DEFAULT_PAGE_LINES;
  const cursor = request.before === undefined ? undefined : parseCursor(request.before);
  const grep = request.grep === undefined ? undefined : regexOf(request.grep);
  const query = pageQuery(lines, cursor, grep);
  const page = logPage(await supervisor.readLogs(request.name, query), query, cursor);
  const what = `${request.name}${grep === undefined ? '' : ` matching /${grep.source}/`}`;
  const next = page.older
    ? `Older lines: call read_logs with ${JSON.stringify({ ...request, before: cursorText(page.older) })}.`
    : 'Nothing older is kept: this page reaches the start of the log.';
  if (page.lines.length === 0) return `No line of ${what}${cursor ? ' before that cursor' : ''}.`;
  const heading = `${page.lines.length} line${page.lines.length === 1 ? '' : 's'} of ${what}, oldest first (time, process, stream, text):`;
  return [heading, ...page.lines, next].join('\n');
}

function regexOf(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new OverseerError('BAD_REQUEST', `grep: ${(error as Error).message}`);
  }
}
