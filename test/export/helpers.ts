/**
 * What the export tests share: a project loaded from a config that sets every key there
 * is (with a real env file, in a temp folder removed after the tests), the demo's project,
 * and the input of an export.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { afterAll } from 'vitest';
import { loadProject, type Project } from '../../src/config/load.js';
import { shellEnvNames } from '../../src/config/shell-env-names.js';
import type { ExportInput } from '../../src/export/model.js';

export const DEMO_CONFIG = fileURLToPath(
  new URL('../../examples/demo/overseer.yaml', import.meta.url),
);

/** Where the goldens say the demo is on the target machines. */
export const DEMO_ROOT = '/srv/demo';

/** Every key of a config, each set once at least (probes over four processes: one check each). */
export const EVERY_KEY_CONFIG = `
version: 1
name: every-key
settings:
  max_processes: 8
  state_dir: .state
  logs: { max_size: 5MB, max_files: 3 }
  log: { level: debug, categories: [process, probe] }
  sample_interval: 5s
  reload: true
  tasks: { history: 10, max_queued: 20 }
  retention: { runs: 50, events: 500 }
  tui: { refresh: 200ms, log_lines: 100, theme: { primary: "#112233" } }
  workflows: { store: flows.db, schema: flows }
  api: { listen: 127.0.0.1:9615, token: 0123456789abcdef0123 }
  alerts:
    command: ./notify.sh
    webhook: "http://127.0.0.1:9000/hook"
    headers: { authorization: "Bearer x" }
    cooldown: 5m
    on: [failed, limit]
    timeout: 5s
    retries: 2
  sandbox:
    allowed_commands: [node]
    restricted_paths: [/etc]
    env: { inherit: false, pass: [PATH] }
    isolate: false
    network: true
defaults:
  labels: { team: core }
processes:
  db:
    command: [node, db.js]
    readiness: { tcp: "127.0.0.1:5432", interval: 2s, timeout: 1s, failure_threshold: 4, initial_delay: 1s }
    liveness: { exec: "node check.js", interval: 10s, timeout: 2s, failure_threshold: 3, initial_delay: 5s }
  api:
    command: [node, api.js]
    cwd: .
    env: { PORT: "3000", API_TOKEN: hunter2, DATABASE_URL: "postgres://app:secret@db/app", TEXT: "$$\{HOME} 100%{x}" }
    env_file: .env
    namespace: backend
    description: the API
    labels: { tier: web }
    kind: service
    instances: 2
    priority: high
    depends_on:
      db: { condition: healthy, restart: true }
    restart:
      policy: on-failure
      max_restarts: 5
      window: 2m
      delay: 2s
      factor: 3
      max_delay: 1m
      min_uptime: 5s
      cooldown: 5m
      max_cooldown: 1h
      exit_codes: [0, 3]
    start_timeout: 30s
    readiness: { http: "http://127.0.0.1:3000/health", interval: 1s, timeout: 1s, failure_threshold: 3, initial_delay: 0 }
    liveness: { tcp: "127.0.0.1:3000", interval: 10s, timeout: 1s, failure_threshold: 3, initial_delay: 2s }
    stop: { signal: SIGINT, timeout: 20s }
    logs: { max_size: 2MB, max_files: 2 }
    limits:
      memory: 256MB
      memory_action: stop
      memory_warn: 80%
      cpu: 150%
      cpu_warn: 90%
      cpu_action: alert
      cpu_window: 20s
      max_runtime: 1h
      open_files: 4096
      alert_cooldown: 2m
    sandbox:
      allowed_commands: [node]
      restricted_paths: [/root]
      env: { inherit: false, pass: [PATH] }
      isolate: true
      network: false
    user: "1000"
    group: "1000"
    watch: { paths: [src], ignore: [node_modules], debounce: 1s }
  worker:
    command: [node, worker.js, --home, "$HOME", --at, "$(date)"]
    readiness: { log: "ready", interval: 1s }
    liveness: { http: "http://127.0.0.1:3001/alive" }
    depends_on: { api: started, migrate: completed_successfully }
  migrate:
    command: [node, migrate.js]
    kind: job
    readiness: { exec: "true" }
    liveness: { log: "alive" }
  report:
    command: [node, report.js]
    schedule: { cron: "0 30 2 * * MON-FRI", timezone: Europe/Paris, overlap: queue, run_on_start: true }
`;

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** The every-key project, loaded as the CLI loads it, from a temp folder with its `.env`. */
export function everyKeyProject(): Promise<Project> {
  return projectOf(EVERY_KEY_CONFIG);
}

/** The project of `yaml`, loaded as the CLI loads it, from a temp folder with a `.env`. */
export async function projectOf(yaml: string): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'ovx-'));
  folders.push(dir);
  writeFileSync(join(dir, 'overseer.yaml'), yaml);
  writeFileSync(join(dir, '.env'), 'LOG_LEVEL=info\nSTRIPE_KEY=sk_live_x\n');
  return loadProject(join(dir, 'overseer.yaml'), { PATH: process.env.PATH });
}

/** The demo's project, with the ports it defaults to whatever this shell says. */
export function demoProject(): Promise<Project> {
  return loadProject(DEMO_CONFIG, { PATH: process.env.PATH });
}

/** An export's input: env files read as the CLI reads them, `root` as the goldens have it. */
export function inputOf(
  project: Project,
  root = DEMO_ROOT,
  env: NodeJS.ProcessEnv = { PATH: process.env.PATH },
): ExportInput {
  const envFiles = new Map<string, Record<string, string>>();
  for (const definition of project.definitions) {
    if (definition.env_file === undefined) continue;
    const text = readFileSync(resolve(project.baseDir, definition.env_file), 'utf8');
    envFiles.set(definition.name, parseEnv(text) as Record<string, string>);
  }
  const fromShell = shellEnvNames(readFileSync(project.configPath, 'utf8'), env);
  return { project, envFiles, root, fromShell };
}
