/**
 * What the dashboard's action keys do: start, stop, restart, reload, signal or scale the
 * selected row, its namespace, or everything; and what the status line says of it. A
 * request's failure is the promise's rejection, with the supervisor's own message.
 */
import { ALL, type RequestTarget } from '../core/stack/selector.js';
import type { SupervisorApi } from '../protocol/api.js';

/** How far an action reaches, cycled with `A`. */
export const SCOPES = ['selection', 'namespace', 'everything'] as const;
export type Scope = (typeof SCOPES)[number];

export type Verb = 'start' | 'stop' | 'restart' | 'reload' | 'signal' | 'scale';

/** What an action reaches: a row's target, a namespace, or every process. */
export type Reach =
  | { readonly scope: 'selection'; readonly name: string }
  | { readonly scope: 'namespace'; readonly namespace: string }
  | { readonly scope: 'everything' };

/** `web`, `namespace backend`, `everything`: the reach as the status line names it. */
export function describeReach(reach: Reach): string {
  if (reach.scope === 'selection') return reach.name;
  return reach.scope === 'namespace' ? `namespace ${reach.namespace}` : 'everything';
}

/** Stopping or restarting more than the row in view asks first: `y` goes on, anything else not. */
export function asksFirst(verb: Verb, reach: Reach): boolean {
  return (verb === 'stop' || verb === 'restart') && reach.scope !== 'selection';
}

/** Scaling takes one process: the number is its own. */
export function refusal(verb: Verb, reach: Reach): string | undefined {
  if (verb === 'scale' && reach.scope !== 'selection') {
    return `scale acts on one process: press A until actions reach the selection`;
  }
  return undefined;
}

const DOING: Readonly<Record<Verb, string>> = {
  start: 'starting',
  stop: 'stopping',
  restart: 'restarting',
  reload: 'reloading',
  signal: 'signalling',
  scale: 'scaling',
};

/** `restarting web…` */
export function describeDoing(verb: Verb, reach: Reach): string {
  return `${DOING[verb]} ${describeReach(reach)}…`;
}

/**
 * Sends the request and says what came of it: `restarted web`, `reloaded web: 3 replaced`,
 * `sent SIGHUP to web-0, web-1`, `scaled web to 4`. `argument` is the signal's name or the
 * number of instances.
 */
export async function perform(
  api: SupervisorApi,
  verb: Verb,
  reach: Reach,
  argument = '',
): Promise<string> {
  const what = describeReach(reach);
  switch (verb) {
    case 'start':
    case 'stop':
    case 'restart':
      await api[verb](requestOf(reach));
      return `${verb === 'stop' ? 'stopped' : `${verb}ed`} ${what}`;
    case 'reload':
      return reload(api, reach, what);
    case 'signal':
      return signal(api, reach, argument.trim());
    case 'scale':
      return scale(api, reach, argument.trim());
  }
}

function requestOf(reach: Reach): RequestTarget {
  if (reach.scope === 'selection') return reach.name;
  return reach.scope === 'namespace' ? { namespace: reach.namespace } : ALL;
}

async function reload(api: SupervisorApi, reach: Reach, what: string): Promise<string> {
  if (reach.scope !== 'namespace') {
    return `reloaded ${what}: ${await reloadOne(api, reach.scope === 'selection' ? reach.name : ALL)}`;
  }
  // A namespace is not a selector: its running instances, replaced one after another, is
  // the same rolling reload.
  const names = await runningIn(api, reach.namespace);
  if (names.length === 0) throw new Error(`nothing runs in ${what}`);
  for (const name of names) await reloadOne(api, name);
  return `reloaded ${what}: ${names.join(', ')}`;
}

/** `3 replaced`, or throws saying which instance did not become ready and why. */
async function reloadOne(api: SupervisorApi, name: string): Promise<string> {
  const report = await api.reload(name);
  const failed = report.instances.find((item) => item.outcome === 'failed');
  if (failed?.outcome === 'failed') {
    throw new Error(
      `${failed.name} did not become ready: ${failed.reason}; the rest left as they were`,
    );
  }
  if (report.plainRestarts.length > 0) return 'restarted (no other instance to serve meanwhile)';
  return `${report.instances.filter((item) => item.outcome === 'replaced').length} replaced`;
}

async function signal(api: SupervisorApi, reach: Reach, name: string): Promise<string> {
  if (name === '') throw new Error('no signal given');
  if (reach.scope !== 'namespace') {
    const report = await api.signal(reach.scope === 'selection' ? reach.name : ALL, name);
    return `sent ${report.signal} to ${report.signalled.map((info) => info.name).join(', ')}`;
  }
  const names = await runningIn(api, reach.namespace);
  if (names.length === 0) throw new Error(`nothing runs in namespace ${reach.namespace}`);
  const reports = await Promise.all(names.map((target) => api.signal(target, name)));
  return `sent ${reports[0]!.signal} to ${names.join(', ')}`;
}

async function scale(api: SupervisorApi, reach: Reach, count: string): Promise<string> {
  if (reach.scope !== 'selection') throw new Error(refusal('scale', reach));
  if (!/^\d+$/.test(count)) throw new Error(`expected a whole number of instances, not "${count}"`);
  await api.scale(reach.name, Number(count));
  return `scaled ${reach.name} to ${count}`;
}

/** The instances of a namespace that run now, by name. */
async function runningIn(api: SupervisorApi, namespace: string): Promise<string[]> {
  const rows = await api.list({ namespace });
  return rows.filter((info) => info.status === 'running').map((info) => info.name);
}
