/**
 * The daemon: one supervisor for one project, reachable on `<state_dir>/overseer.sock` (and
 * TCP when configured), holding the state dir's lock while it lives.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { loadProject, type Project } from '../config/load.js';
import type { ProcessDefinition } from '../config/process-schema.js';
import { OverseerError } from '../core/errors.js';
import { countByStatus, stackStatus } from '../core/stack-health.js';
import { Supervisor } from '../runtime/supervisor.js';
import { type Listener, listen } from './listen.js';
import { acquireLock, type Lock } from './lock.js';
import { LOG_DIR, SOCKET_FILE } from './paths.js';
import { createMonitoringRoutes } from './routes.js';

/** What applying a changed config did, by process name. */
export interface ApplyResult {
  readonly started: string[];
  readonly restarted: string[];
  readonly removed: string[];
}

export class Daemon {
  readonly supervisor: Supervisor;
  /** Resolves once the daemon has stopped its stack and closed its listeners. */
  readonly closed: Promise<void>;
  private project: Project;
  private listener: Listener | undefined;
  private stopping: Promise<void> | undefined;
  private markClosed: () => void = () => {};
  private readonly startedAt = Date.now();

  private constructor(
    project: Project,
    private readonly lock: Lock,
  ) {
    this.project = project;
    this.supervisor = new Supervisor({
      maxProcesses: project.settings.maxProcesses,
      cwd: project.baseDir,
      logDir: join(project.settings.stateDir, LOG_DIR),
      logRotation: project.settings.logs,
      sandbox: project.settings.sandbox,
    });
    for (const definition of project.definitions) this.supervisor.add(definition);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  /**
   * Takes the state dir's lock, declares the project's processes and starts listening.
   * Processes are started by `up()`, so clients can watch them come up.
   */
  static async open(project: Project): Promise<Daemon> {
    const { stateDir, api } = project.settings;
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const lock = acquireLock(stateDir);
    let daemon: Daemon | undefined;
    try {
      daemon = new Daemon(project, lock);
      const tcp = api.listen && api.token ? { ...api.listen, token: api.token } : undefined;
      daemon.listener = await listen(daemon.routes(), {
        socketPath: join(stateDir, SOCKET_FILE),
        tcp,
      });
      return daemon;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get configPath(): string {
    return this.project.configPath;
  }

  /** The TCP port bound, when TCP is on. */
  get tcpPort(): number | undefined {
    return this.listener?.tcpPort;
  }

  /** Starts the named processes (all when omitted) and their dependencies. */
  up(names?: readonly string[]): Promise<unknown> {
    return this.supervisor.up(names);
  }

  /**
   * Reads the config file again and applies it: new processes start, changed ones restart
   * with their new definition, removed ones stop; the rest are left alone. A config that
   * does not load changes nothing.
   */
  async apply(names?: readonly string[]): Promise<ApplyResult> {
    const next = await loadProject(this.project.configPath);
    const unknown = names?.find((name) => !next.definitions.some((d) => d.name === name));
    if (unknown !== undefined) {
      throw new OverseerError(
        'UNKNOWN_PROCESS',
        `no process named ${unknown} in ${next.configPath}`,
      );
    }
    const before = new Map(this.project.definitions.map((d) => [d.name, JSON.stringify(d)]));
    const after = new Map(next.definitions.map((d) => [d.name, d]));
    const removed = [...before.keys()].filter((name) => !after.has(name));
    const changed = [...after.keys()].filter(
      (name) => before.has(name) && before.get(name) !== JSON.stringify(after.get(name)),
    );
    const added = [...after.keys()].filter((name) => !before.has(name));

    await Promise.all([...removed, ...changed].map((name) => this.stopQuietly(name)));
    for (const name of [...removed, ...changed]) this.supervisor.remove(name);
    for (const name of [...changed, ...added])
      this.supervisor.add(after.get(name) as ProcessDefinition);
    this.supervisor.setMaxProcesses(next.settings.maxProcesses);
    this.project = next;
    // Started, not awaited: the caller watches them come up. A shutdown racing it is fine.
    this.supervisor.up(names && names.length > 0 ? names : undefined).catch(() => {});
    return { started: added, restarted: changed, removed };
  }

  /** Stops the stack in reverse dependency order, closes the listeners, lets go of the lock. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.supervisor.shutdown();
        await this.listener?.close();
      } finally {
        this.lock.release();
        this.markClosed();
      }
    })();
    return this.stopping;
  }

  private async stopQuietly(name: string): Promise<void> {
    try {
      await this.supervisor.stop(name);
    } catch (error) {
      // Already not running: nothing to stop.
      if (!(error instanceof OverseerError && error.code === 'INVALID_STATE')) throw error;
    }
  }

  private routes(): Hono {
    const app = createMonitoringRoutes(this.supervisor, { startedAt: this.startedAt });
    app.get('/daemon', (c) => {
      const processes = this.supervisor.list();
      const status = stackStatus(processes);
      return c.json(
        {
          status,
          pid: process.pid,
          uptimeMs: Date.now() - this.startedAt,
          counts: countByStatus(processes),
          project: this.project.name,
          configPath: this.project.configPath,
        },
        status === 'failing' ? 503 : 200,
      );
    });
    app.post('/daemon/shutdown', async (c) => {
      await this.supervisor.shutdown();
      // Answer first, then close the listeners (which would cut this very answer).
      setImmediate(() => void this.shutdown());
      return c.json({ stopped: true });
    });
    app.post('/daemon/apply', async (c) => {
      const { names } = parseApplyBody(await c.req.text());
      if (names !== undefined && !isStringArray(names)) {
        throw new OverseerError('BAD_REQUEST', 'names: expected an array of process names');
      }
      return c.json(await this.apply(names));
    });
    return app;
  }
}

/**
 * The body of `POST /daemon/apply`: none at all means no names; anything else must be a JSON
 * object, or nothing is applied (a body that does not parse is not "apply everything").
 */
function parseApplyBody(text: string): { names?: unknown } {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OverseerError('BAD_REQUEST', 'the body is not JSON: expected {"names"?: [...]}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OverseerError('BAD_REQUEST', 'expected a JSON object {"names"?: [...]}');
  }
  return body;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
