/**
 * The `spawn` effect carried out: a run's containment opened, its launch plan made (a
 * sandbox refusal or a launch error becomes an input, not a throw), the child started and
 * wired back to the loop (its output, its spawn error, its exit once its output is on disk).
 */
import type { ProcessInput } from '../../core/process/transition.js';
import type { Disposer } from '../../core/subscription.js';
import { ChildRun } from '../process/child.js';
import type { Containment } from '../process/containment.js';
import { planLaunch } from '../process/launch.js';
import { LaunchError } from '../process/launch-plan.js';
import type { ProcessIdentity } from '../process/proc.js';
import type { RunTree } from '../process/run-tree.js';
import { type SandboxHost, SandboxRefusal } from '../sandbox/sandbox.js';
import type { ManagedProcess } from './managed-process.js';

/** Where children start from, the same for every run. */
export interface LaunchContext {
  /** Folder that relative `cwd` and `env_file` paths are resolved against. */
  readonly baseDir: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Variables every child gets beneath its own env (see `EngineOptions.childEnv`). */
  readonly childEnv: Readonly<Record<string, string>>;
  readonly host: SandboxHost;
  readonly containment: Containment;
}

/** What a run tells the loop after its launch. */
export interface LaunchHooks {
  /** An input for the process: its spawn error, or its exit once its output is on disk. */
  readonly feed: (managed: ManagedProcess, input: ProcessInput) => void;
  /** The run has exited and is no longer the process's child. */
  readonly ended: (managed: ManagedProcess) => void;
}

/** Told of descendants of a run that left its process group, as they are found. */
export type RunStraysListener = (name: string, strays: readonly ProcessIdentity[]) => void;

/** Starts the runs of processes. */
export class Launcher {
  private readonly straysListeners = new Set<RunStraysListener>();

  constructor(
    private readonly context: LaunchContext,
    private readonly hooks: LaunchHooks,
  ) {}

  /** Listens to the strays found of every run; returns a disposer. */
  onStrays(listener: RunStraysListener): Disposer {
    this.straysListeners.add(listener);
    return () => {
      this.straysListeners.delete(listener);
    };
  }

  /**
   * Starts a run of `managed`, and returns what the loop is to be told of it now: `spawned`
   * with its pid, or why it could not start; nothing when the child got no pid, whose spawn
   * error is then on its way through `hooks.feed`.
   */
  launch(managed: ManagedProcess): ProcessInput | undefined {
    const { baseDir, baseEnv, host, childEnv } = this.context;
    const options = { ...managed.launchOptions, childEnv };
    let plan: ReturnType<typeof planLaunch>;
    let tree: RunTree | undefined;
    try {
      tree = this.openTree();
      plan = planLaunch(managed.spec, baseDir, baseEnv, host, tree, options);
    } catch (error) {
      tree?.release();
      if (error instanceof SandboxRefusal) {
        return { type: 'sandbox-refused', message: error.message };
      }
      if (!(error instanceof LaunchError)) throw error;
      return { type: 'spawn-failed', message: error.message };
    }
    const { name, stop } = managed.spec;
    tree.onStrays((strays) => {
      for (const listener of this.straysListeners) listener(name, strays);
    });
    const child = new ChildRun(tree, plan, stop.signal, stop.timeoutMs, {
      onLines: (stream, block) => managed.onOutput(stream, block),
      onSpawnError: (message) => {
        // A child that never spawned never reports an exit: let go of it here, or a
        // shutdown would wait for it forever.
        if (managed.child === child) managed.child = undefined;
        this.hooks.feed(managed, { type: 'spawn-failed', message });
      },
      onExit: ({ code, signal }) => {
        const report = () => {
          if (managed.child === child) {
            managed.child = undefined;
            this.hooks.ended(managed);
          }
          this.hooks.feed(managed, { type: 'exited', code, signal });
        };
        // Reported once the run's output is on disk: whoever reads the file on `exit` (a
        // script waiting on a job, `overseer logs`) finds every line of it.
        if (managed.logFile) void managed.logFile.flushed().then(report);
        else report();
      },
    });
    if (child.pid === undefined) tree.release();
    managed.launched(child, plan);
    return child.pid === undefined ? undefined : { type: 'spawned', pid: child.pid };
  }

  /** A new run's containment; a cgroup that cannot be made is a spawn error. */
  private openTree(): RunTree {
    try {
      return this.context.containment.open();
    } catch (error) {
      throw new LaunchError(`cannot create the run's cgroup: ${(error as Error).message}`);
    }
  }
}
