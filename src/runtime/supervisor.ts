/**
 * The library's `Supervisor`: the engine, taking processes as overseer.yaml describes them.
 */
import { specsFromDefinition } from '../config/normalize.js';
import type { ProcessDefinition } from '../config/process-schema.js';
import { SupervisorEngine } from './supervisor/engine.js';

export type { SupervisorOptions } from './supervisor/engine.js';

/**
 * Spawns and supervises child processes: state tracking, restarts with backoff and a
 * restart budget, readiness and liveness probes, dependencies, slots, and a graceful
 * shutdown that leaves no process behind. Never prints and never exits the host process.
 *
 * @example
 * const supervisor = new Supervisor();
 * supervisor.add({ name: 'api', command: 'node server.js', readiness: { http: 'http://127.0.0.1:3000/health' } });
 * supervisor.add({ name: 'worker', command: ['node', 'worker.js'], depends_on: { api: 'healthy' } });
 * await supervisor.up();
 * // …
 * await supervisor.shutdown();
 */
export class Supervisor extends SupervisorEngine {
  /**
   * Declares a process (the shape of one `processes:` entry of overseer.yaml, plus
   * `name`). Returns the names created: `[name]`, or `name-0…` with `instances`.
   * Throws `INVALID_SPEC` (every issue listed) or `DUPLICATE_PROCESS`.
   */
  add(definition: ProcessDefinition): string[] {
    this.assertOpen();
    return this.declare(
      specsFromDefinition(definition, { sandbox: this.sandbox, baseDir: this.baseDir }),
    );
  }
}
