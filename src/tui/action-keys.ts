/**
 * The dashboard's action keys carried out: what an action reaches (the row selected when the
 * key was read, its namespace, or everything), whether it asks first or for an argument,
 * and the request sent with its outcome in the status line. A failed request never ends the
 * dashboard.
 */
import type { SupervisorApi } from '../protocol/api.js';
import {
  asksFirst,
  describeDoing,
  describeReach,
  perform,
  type Reach,
  refusal,
  type Scope,
  type Verb,
} from './actions.js';
import type { StatusLine } from './footer.js';
import type { Prompt } from './prompt.js';
import { familyNameOf, type TableRow } from './table-rows.js';
import { messageOf } from './use-supervisor-view.js';

export interface ActionContext {
  readonly api: SupervisorApi;
  /** The row the keys read so far have selected. */
  readonly currentRow: () => TableRow | undefined;
  readonly currentScope: () => Scope;
  readonly ask: (prompt: Prompt) => void;
  readonly say: (status: StatusLine) => void;
  /** Reads the rows again soon: an action's effect shows without waiting for the next event. */
  readonly refreshSoon: () => void;
}

export interface Actions {
  /** What the key of `verb` does: asks first, asks for an argument, or sends the request. */
  act(verb: Verb): void;
  /** Sends the request (a prompt answered). */
  run(verb: Verb, reach: Reach, argument?: string): void;
}

export function actionsOf(context: ActionContext): Actions {
  const { api, currentRow, currentScope, ask, say, refreshSoon } = context;

  const reachOf = (verb: Verb): Reach | undefined => {
    const scope = currentScope();
    if (scope === 'everything') return { scope };
    const row = currentRow();
    if (row === undefined) return undefined;
    if (scope === 'namespace') return { scope, namespace: row.info.namespace };
    // Scaling names the process, whichever of its rows is selected.
    const name = verb === 'scale' ? (familyNameOf(row.info) ?? row.target) : row.target;
    return { scope, name };
  };

  const run = (verb: Verb, reach: Reach, argument?: string) => {
    say({ text: describeDoing(verb, reach), failed: false });
    // Through a promise even if the call throws at once: a failed action never ends the dashboard.
    Promise.resolve()
      .then(() => perform(api, verb, reach, argument))
      .then(
        (said) => say({ text: said, failed: false }),
        (error: unknown) =>
          say({ text: `${verb} ${describeReach(reach)}: ${messageOf(error)}`, failed: true }),
      )
      .finally(refreshSoon);
  };

  return {
    run,
    act(verb) {
      const reach = reachOf(verb);
      if (reach === undefined) return;
      const refused = refusal(verb, reach);
      if (refused !== undefined) return say({ text: refused, failed: true });
      if (verb === 'signal' || verb === 'scale') {
        return ask({ kind: 'argument', verb, reach, text: '' });
      }
      if (asksFirst(verb, reach)) return ask({ kind: 'confirm', verb, reach });
      run(verb, reach);
    },
  };
}
