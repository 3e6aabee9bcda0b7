/**
 * The name a workflow engine holds its leases under. Under overseer a process keeps its
 * name across restarts, so a worker that crashed and was restarted takes back its own runs
 * at once (`recover()`), instead of waiting for their leases to run out.
 */
import { hostname } from 'node:os';

export function defaultWorkerId(env: NodeJS.ProcessEnv = process.env, pid = process.pid): string {
  const name = env.OVERSEER_PROCESS;
  return name ? `${hostname()}/${name}#${env.OVERSEER_INSTANCE ?? 0}` : `${hostname()}/pid-${pid}`;
}
