/**
 * A query's filters (`since`, `until`, `grep`) applied to one line: the same test for a tail read
 * from the files and for lines followed live.
 */
import type { LogLine, LogQuery } from '../../core/view.js';

/** True when `line` passes the query's filters. */
export function matches(line: LogLine, query: LogQuery): boolean {
  if (query.since !== undefined && line.at < query.since) return false;
  if (query.until !== undefined && line.at >= query.until) return false;
  if (query.grep === undefined) return true;
  // A global or sticky pattern (`g`, `y`) carries `lastIndex` from one test to the next,
  // and would skip a matching line after a match: each line is tested from its start.
  query.grep.lastIndex = 0;
  return query.grep.test(line.text);
}
