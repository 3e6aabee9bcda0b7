/**
 * What became of a change of the config, in one line: what the foreground `up` prints and
 * the dashboard's status line shows when the config is applied again (`--watch`,
 * `settings.reload`, `up` on a running stack).
 */
import type { EventOf } from './events.js';

/**
 * `config applied: added cache; restarted api (changed)`, or `config not applied (nothing
 * changed):` and its issues, one per line.
 */
export function describeConfigOutcome(
  event: EventOf<'config:applied'> | EventOf<'config:rejected'>,
): string {
  if (event.type === 'config:rejected') {
    const issues = event.issues.map(
      ({ path, message }) => `\n  ${path ? `${path}: ` : ''}${message}`,
    );
    return `config not applied (nothing changed):${issues.join('')}`;
  }
  const { added, changed, removed } = event;
  const parts = [
    added.length > 0 ? `added ${added.join(', ')}` : '',
    changed.length > 0 ? `restarted ${changed.join(', ')} (changed)` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  return `config applied: ${parts.length > 0 ? parts.join('; ') : 'nothing changed'}`;
}
