/**
 * The last resort of a supervisor whose host exits without shutting it down: every process
 * tree is SIGKILLed from the host's `exit` hook, synchronously, so no child outlives it.
 */
import type { Containment } from '../process/containment.js';
import type { RunTree } from '../process/run-tree.js';
import type { ResourceMonitor } from '../sampling/resource-monitor.js';
import type { ManagedProcess } from './managed-process.js';

/** What the safety net needs to reach every live tree. */
export interface GuardedTrees {
  readonly processes: () => Iterable<ManagedProcess>;
  readonly monitor: ResourceMonitor;
  readonly containment: Containment;
}

/** Kills every live tree when the host exits, while it is armed; or now, on request. */
export class HostExitGuard {
  private armed = false;
  private readonly onHostExit = () => this.killAllNow();

  constructor(private readonly trees: GuardedTrees) {}

  /** Armed while children may exist; a hook left on a host with none would only leak. */
  guard(on: boolean): void {
    if (on === this.armed) return;
    this.armed = on;
    if (on) process.on('exit', this.onHostExit);
    else process.off('exit', this.onHostExit);
  }

  /**
   * SIGKILL to every process tree, now, and everything each started (each tree is killed
   * whole, synchronously). The last resort when the host process exits without a shutdown,
   * and the forced shutdown: no child outlives it.
   */
  killAllNow(): void {
    this.trees.monitor.close();
    const live: RunTree[] = [];
    for (const managed of this.trees.processes()) {
      if (!managed.child) continue;
      managed.child.kill();
      live.push(managed.child.tree);
    }
    this.trees.containment.closeNow(live);
  }
}
