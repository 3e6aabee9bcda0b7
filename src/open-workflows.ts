/**
 * The library's `Workflows`: the engine over the store its options name. A SQLite file by
 * default (the project's `<state_dir>/workflows.db`, found from the `overseer.yaml` of the
 * current folder, so a worker that overseer runs beside its config needs no setting), or
 * PostgreSQL for workers on several machines. PostgreSQL's driver is loaded only by a
 * `postgres://` store.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_STATE_DIR } from './config/state-dir.js';
import { locateWorkflowsSettings } from './config/workflows-location.js';
import { DEFAULTS } from './core/defaults.js';
import {
  isPostgresUrl,
  WORKFLOWS_SCHEMA_VARIABLE,
  WORKFLOWS_STORE_VARIABLE,
} from './core/workflows/store-location.js';
import type { WorkflowStore } from './core/workflows/workflow-store.js';
import { WORKFLOWS_FILE } from './protocol/state-dir.js';
import { lazyWorkflowStore } from './store/lazy-workflow-store.js';
import { openPostgresWorkflowStore } from './store/postgres/workflow-store.js';
import { openSqliteWorkflowStore } from './store/sqlite/workflow-store.js';
import { WorkflowEngine, type WorkflowEngineOptions } from './workflows/engine.js';

/** Names the store from the environment when the options do not: a path or a `postgres://` URL. */
export { WORKFLOWS_SCHEMA_VARIABLE, WORKFLOWS_STORE_VARIABLE };

export interface WorkflowsOptions extends Omit<WorkflowEngineOptions, 'store'> {
  /**
   * A SQLite file path, a `postgres://` (or `postgresql://`) URL, or a store already open.
   * Default: `$OVERSEER_WORKFLOWS_STORE`, else the `overseer.yaml` in the current folder's
   * `settings.workflows.store`, else its `<state_dir>/workflows.db` (`.overseer/workflows.db`
   * without one).
   */
  readonly store?: string | WorkflowStore;
  /**
   * The PostgreSQL schema the tables live in. Default: `$OVERSEER_WORKFLOWS_SCHEMA` (the
   * supervisor sets it from `settings.workflows.schema`), else the current folder's
   * `settings.workflows.schema`, else `overseer`.
   */
  readonly schema?: string;
  /**
   * The most connections a PostgreSQL store holds. Default 10 (pg's). Each step is a commit
   * waiting on the server's disk: with as many connections as runs executing at once, the
   * commits of those runs share the disk's flushes instead of queueing for a connection.
   */
  readonly maxConnections?: number;
}

/**
 * `new Workflows({ store })`: the store is opened (and migrated) on first use; a store
 * that cannot be opened fails that use, and every one after until it can.
 */
export class Workflows extends WorkflowEngine {
  /** Whether `close()` closes the store too: it does for a store these options opened. */
  readonly #ownsStore: boolean;

  constructor(options: WorkflowsOptions = {}) {
    const given = options.store ?? process.env[WORKFLOWS_STORE_VARIABLE];
    const opened = given !== undefined && typeof given !== 'string';
    const store = opened
      ? given
      : lazyWorkflowStore(async () =>
          openStore(await locationOf(given, options.schema), options.maxConnections),
        );
    super({ ...options, store });
    this.#ownsStore = !opened;
  }

  /** Closes the engine (see `WorkflowEngine.close`), then the store if it opened it. */
  override async close(): Promise<void> {
    await super.close();
    if (this.#ownsStore) await this.store.close();
  }
}

/**
 * The store that the options, else the environment, else the project name, and its schema:
 * a schema given wins over `$OVERSEER_WORKFLOWS_SCHEMA`, which wins over the project's.
 */
async function locationOf(
  given: string | undefined,
  schema: string | undefined,
): Promise<WorkflowsLocation> {
  const named = schema ?? process.env[WORKFLOWS_SCHEMA_VARIABLE];
  if (given !== undefined) return { store: given, schema: named };
  const project = await defaultWorkflowsLocation();
  return { store: project.store, schema: named ?? project.schema };
}

async function openStore(
  { store: location, schema }: WorkflowsLocation,
  maxConnections: number | undefined,
): Promise<WorkflowStore> {
  if (isPostgresUrl(location)) {
    try {
      return await openPostgresWorkflowStore(location, {
        ...(schema !== undefined && { schema }),
        ...(maxConnections !== undefined && { maxConnections }),
      });
    } catch (error) {
      throw new Error(
        `workflows: cannot open the store ${withoutPassword(location)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (location.trim() === '') throw new TypeError('workflows: the store path is empty');
  const file = resolve(location);
  try {
    // A worker may start before the supervisor has made the state dir.
    mkdirSync(dirname(file), { recursive: true });
    return openSqliteWorkflowStore(file);
  } catch (error) {
    throw new Error(`workflows: cannot open the store ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A URL fit for an error message, which may end up in a log. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'postgres://…';
  }
}

/** Where a project's workflows keep their runs: a SQLite path or a PostgreSQL URL, and its schema. */
export interface WorkflowsLocation {
  readonly store: string;
  readonly schema?: string;
}

/**
 * Where the workflows of the project in `folder` keep their runs by default: its
 * `overseer.yaml`'s `settings.workflows`, else `<state_dir>/workflows.db` of it, or of the
 * default state dir without one.
 */
export async function defaultWorkflowsLocation(folder = process.cwd()): Promise<WorkflowsLocation> {
  const config = join(folder, 'overseer.yaml');
  try {
    statSync(config);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return {
      store: join(resolve(folder, DEFAULT_STATE_DIR), WORKFLOWS_FILE),
      schema: DEFAULTS.workflows.schema,
    };
  }
  return locateWorkflowsSettings(config);
}
