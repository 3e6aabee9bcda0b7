/**
 * The project as one compose file: a service per process with an image placeholder (a
 * `build:` would need a Dockerfile this project does not have; the placeholder says what
 * to fill in), `depends_on` conditions, healthchecks from the probes, `deploy` replicas
 * and resources, restart policy, stop signal and grace period, environment and user.
 */
import type { Scalar } from 'yaml';
import { stringify } from 'yaml';
import { COMPOSE_KEYS } from './compose-keys.js';
import { healthcheckOf, quoted, span, withDollarsKept } from './compose-parts.js';
import { tableLosses } from './coverage.js';
import { headerComment } from './file-text.js';
import { type ExportInput, type ExportResult, imagePlaceholder, type Loss } from './model.js';
import {
  argvOf,
  dnsLabel,
  IMAGE_ROOT,
  onTarget,
  type ProcessView,
  processViews,
  shapeOf,
} from './process-view.js';

type Service = Record<string, unknown>;

const CONDITIONS = {
  started: 'service_started',
  healthy: 'service_healthy',
  completed: 'service_completed_successfully',
  completed_successfully: 'service_completed_successfully',
} as const;

export function exportCompose(input: ExportInput): ExportResult {
  const { project } = input;
  const views = processViews(input);
  const losses: Loss[] = tableLosses(COMPOSE_KEYS, input, 'compose');
  const placeholders: string[] = [];
  const services: Record<string, Service> = {};
  for (const view of views) {
    const name = dnsLabel(view.name);
    services[name] = service(input, view, views, losses);
    placeholders.push(`image ${imagePlaceholder(name)} (${view.name})`);
    if (view.envSecretNames.length > 0) {
      placeholders.push(
        `environment of ${view.name}: ${view.envSecretNames.join(', ')} (from the shell or .env)`,
      );
    }
  }
  const document = { name: dnsLabel(project.name), services };
  const text =
    headerComment(
      `Compose file exported from the overseer project ${project.name}`,
      placeholders,
      losses,
    ) + stringify(document, { aliasDuplicateObjects: false });
  return { files: [{ name: 'compose.yaml', text }], losses, placeholders };
}

function service(
  input: ExportInput,
  view: ProcessView,
  views: readonly ProcessView[],
  losses: Loss[],
): Service {
  const { spec, definition } = view;
  const lose = (key: string, reason: string) => losses.push({ process: view.name, key, reason });
  if (view.instances !== undefined) {
    lose('instances', 'OVERSEER_INSTANCE is not set: replicas have no index');
  }
  const environment = Object.fromEntries(
    Object.entries(view.plainEnv).filter(([key]) => key in spec.env),
  );
  // A secret is read from the shell or `.env` when compose runs, never written here.
  const secrets = Object.fromEntries(
    view.envSecretNames.map((key) => [key, `\${${key}:?set ${key}}`]),
  );
  const healthcheck = healthcheckOf(spec.readiness ?? spec.liveness, lose);
  if (spec.readiness && spec.liveness && healthcheck) {
    lose('liveness', 'one healthcheck per service: the readiness check is the one written');
  }
  const labels: Record<string, string> = {
    ...spec.labels,
    'overseer.namespace': spec.namespace,
    ...(spec.description !== undefined && { 'overseer.description': spec.description }),
  };
  const limits = spec.limits;
  if (limits?.memoryBytes !== undefined && limits.memoryAction !== 'restart') {
    lose(
      'limits.memory_action',
      `${limits.memoryAction}: over the limit, the container is OOM-killed`,
    );
  }
  if (limits?.cpuPercent !== undefined && limits.cpuAction !== 'throttle') {
    lose('limits.cpu_action', `${limits.cpuAction}: over the limit, the container is throttled`);
  }
  const resources = {
    ...(limits?.cpuPercent !== undefined && { cpus: String(limits.cpuPercent / 100) }),
    ...(limits?.memoryBytes !== undefined && { memory: `${limits.memoryBytes}b` }),
  };
  const user =
    spec.runAs &&
    [spec.runAs.user ?? '', spec.runAs.group].filter((part) => part !== undefined).join(':');
  const isolate = definition.sandbox?.isolate === true;
  const written: Service = {
    image: imagePlaceholder(dnsLabel(view.name)),
    command: argvOf(spec.command),
    ...(spec.cwd !== undefined && {
      working_dir: onTarget(IMAGE_ROOT, spec.cwd),
    }),
    ...(spec.envFile !== undefined && { env_file: [onTarget(input.root, spec.envFile)] }),
    ...(Object.keys(environment).length + view.envSecretNames.length > 0 && {
      environment: { ...environment, ...secrets },
    }),
    ...(user !== undefined && { user }),
    labels,
    ...(shapeOf(spec) === 'scheduled' && { profiles: ['scheduled'] }),
    restart: restartOf(view, lose),
    ...dependsOn(view, views, lose),
    ...(healthcheck && { healthcheck }),
    stop_signal: spec.stop.signal,
    stop_grace_period: span(spec.stop.timeoutMs),
    ...((view.instances !== undefined || Object.keys(resources).length > 0) && {
      deploy: {
        ...(view.instances !== undefined && { replicas: view.instances }),
        ...(Object.keys(resources).length > 0 && { resources: { limits: resources } }),
      },
    }),
    ...(limits?.openFiles !== undefined && {
      ulimits: { nofile: { soft: limits.openFiles, hard: limits.openFiles } },
    }),
    ...(spec.logs && {
      logging: {
        driver: 'json-file',
        options: {
          ...(spec.logs.maxSize !== undefined && {
            'max-size': `${Math.ceil(spec.logs.maxSize / 1024)}k`,
          }),
          ...(spec.logs.maxFiles !== undefined && { 'max-file': String(spec.logs.maxFiles) }),
        },
      },
    }),
    ...(isolate && {
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      tmpfs: ['/tmp'],
    }),
    ...(definition.sandbox?.network === false && { network_mode: 'none' }),
    ...(spec.watch && {
      develop: {
        watch: spec.watch.paths.map((path) => ({
          path: onTarget(input.root, path),
          target: onTarget(IMAGE_ROOT, path),
          action: 'sync+restart',
          ...(spec.watch!.ignore.length > 0 && { ignore: [...spec.watch!.ignore] }),
        })),
      },
    }),
  };
  // `$` is compose's interpolation, in every string of the file: the config's own dollars are
  // doubled to stay as they are, and only the secrets' references are read when compose runs.
  const literal = withDollarsKept(written);
  if (Object.keys(secrets).length > 0) Object.assign(literal.environment as object, secrets);
  return literal;
}

function restartOf(
  view: ProcessView,
  lose: (key: string, reason: string) => void,
): string | Scalar {
  const restart = view.spec.restart;
  if (restart.policy === 'never') return quoted('no');
  if (restart.policy === 'on-failure') return `on-failure:${restart.maxRestarts}`;
  if (view.definition.restart?.max_restarts !== undefined) {
    lose('restart.max_restarts', 'always: compose restarts without a budget');
  }
  return 'always';
}

function dependsOn(
  view: ProcessView,
  views: readonly ProcessView[],
  lose: (key: string, reason: string) => void,
): Service {
  if (view.spec.dependsOn.length === 0) return {};
  const entries = view.spec.dependsOn.map((dependency) => {
    const target = views.find((other) => other.name === dependency.name)!;
    let condition: string = CONDITIONS[dependency.condition];
    if (dependency.condition === 'completed') {
      lose(
        'depends_on',
        `${dependency.name}: completed waits for a successful end (compose has no "any end")`,
      );
    }
    if (
      condition === 'service_healthy' &&
      !healthcheckOf(target.spec.readiness ?? target.spec.liveness)
    ) {
      lose(
        'depends_on',
        `${dependency.name}: healthy needs a healthcheck it does not have: waits for it to start`,
      );
      condition = 'service_started';
    }
    return [
      dnsLabel(dependency.name),
      { condition, ...(dependency.restart && { restart: true }) },
    ] as const;
  });
  return { depends_on: Object.fromEntries(entries) };
}
