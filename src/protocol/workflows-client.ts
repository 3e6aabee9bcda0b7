/**
 * `WorkflowsApi` over HTTP: the routes of docs/http-api.md (`/workflows`, `/dead-letters`),
 * called through the client of a daemon (`HttpSupervisorClient.workflows`).
 */
import type { DeadLetterView, RunDetailsView, RunView } from '../core/workflows/views.js';
import type { WorkflowsApi } from './workflows-api.js';

/** One request to the daemon, answered with its JSON body (an error body rejected). */
export type CallDaemon = <T>(method: string, path: string) => Promise<T>;

export function httpWorkflowsApi(call: CallDaemon): WorkflowsApi {
  const letterPath = (id: string) => `/dead-letters/${encodeURIComponent(id)}`;
  return {
    async runs(query = {}) {
      const params = new URLSearchParams();
      if (query.workflow !== undefined) params.set('workflow', query.workflow);
      for (const status of query.status === undefined ? [] : [query.status].flat()) {
        params.append('status', status);
      }
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      return (await call<{ runs: RunView[] }>('GET', withQuery('/workflows', params))).runs;
    },
    run: (id) => call<RunDetailsView>('GET', `/workflows/${encodeURIComponent(id)}`),
    async deadLetters(query = {}) {
      const params = new URLSearchParams();
      if (query.workflow !== undefined) params.set('workflow', query.workflow);
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      const path = withQuery('/dead-letters', params);
      return (await call<{ deadLetters: DeadLetterView[] }>('GET', path)).deadLetters;
    },
    deadLetter: (id) => call<DeadLetterView>('GET', letterPath(id)),
    async retryDeadLetter(id) {
      return (await call<{ run: RunView }>('POST', `${letterPath(id)}/retry`)).run;
    },
    async dropDeadLetter(id) {
      await call('DELETE', letterPath(id));
    },
  };
}

function withQuery(path: string, params: URLSearchParams): string {
  return params.size > 0 ? `${path}?${params}` : path;
}
