/**
 * The project as Kubernetes manifests: per process a Deployment (service), a Job (job) or
 * a CronJob (schedule), its ConfigMap and Secret, and a Service when a probe names a port.
 * Namespaces become a label, not Kubernetes namespaces: overseer's group, they do not
 * separate (names are unique across the stack and `depends_on` crosses them), where a
 * Kubernetes namespace would change every Service's DNS name.
 */
import { stringify } from 'yaml';
import type { Project } from '../config/project.js';
import { tableLosses } from './coverage.js';
import { headerComment, lossesOf } from './file-text.js';
import { KUBERNETES_KEYS } from './kubernetes-keys.js';
import { podSpec } from './kubernetes-pod.js';
import {
  type ExportFile,
  type ExportInput,
  type ExportResult,
  imagePlaceholder,
  type Loss,
  SECRET_PLACEHOLDER,
} from './model.js';
import {
  dnsLabel,
  minuteCron,
  type ProcessView,
  processViews,
  projectLabel,
  servedEndpoint,
  shapeOf,
} from './process-view.js';

type Manifest = Record<string, unknown>;

/** Objects written out each time: anchors and aliases would puzzle whoever reads them. */
const YAML_OPTIONS = { aliasDuplicateObjects: false } as const;

/** Label keys and values Kubernetes accepts (prefix/name, 63 characters each part). */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function exportKubernetes(input: ExportInput): ExportResult {
  const { project } = input;
  const views = processViews(input);
  const losses: Loss[] = tableLosses(KUBERNETES_KEYS, input, 'kubernetes');
  const placeholders: string[] = [];
  const documents = new Map<string, Manifest[]>();
  for (const view of views) {
    documents.set(view.name, manifestsOf(project, view, views, losses));
    placeholders.push(`image ${imagePlaceholder(dnsLabel(view.name))} (${view.name})`);
    if (view.secretNames.length > 0) {
      placeholders.push(
        `Secret ${dnsLabel(view.name)}-secrets: ${view.secretNames.join(', ')} (${view.name})`,
      );
    }
  }
  const files: ExportFile[] = views.map((view) => ({
    name: `${dnsLabel(view.name)}.yaml`,
    text:
      headerComment(
        `Kubernetes manifests of ${view.name}, exported from the overseer project ${project.name}`,
        placeholders.filter((text) => text.endsWith(`(${view.name})`)),
        lossesOf(losses, [view.name]),
      ) +
      documents
        .get(view.name)!
        .map((document) => stringify(document, YAML_OPTIONS))
        .join('---\n'),
  }));
  return { files, losses, placeholders };
}

function manifestsOf(
  project: Project,
  view: ProcessView,
  views: readonly ProcessView[],
  losses: Loss[],
): Manifest[] {
  const name = dnsLabel(view.name);
  const metadata = metadataOf(project, view, losses);
  const lose = (key: string, reason: string) => losses.push({ process: view.name, key, reason });
  if (name !== view.name) lose('name', `named ${name}: Kubernetes names are lower-case DNS labels`);
  const manifests: Manifest[] = [];
  if (Object.keys(view.plainEnv).length > 0) {
    manifests.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-env`, labels: metadata.labels },
      data: view.plainEnv,
    });
  }
  if (view.secretNames.length > 0) {
    // Never the values: the manifests get committed and shared, and base64 hides nothing.
    manifests.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-secrets`, labels: metadata.labels },
      type: 'Opaque',
      stringData: Object.fromEntries(view.secretNames.map((key) => [key, SECRET_PLACEHOLDER])),
    });
  }
  manifests.push(workload(view, views, projectLabel(project), metadata, losses));
  const endpoint = servedEndpoint(view.spec);
  if (endpoint && shapeOf(view.spec) === 'service') {
    manifests.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: metadata.labels },
      spec: {
        selector: selectorOf(projectLabel(project), view),
        ports: [{ name: 'probe', port: endpoint.port, targetPort: endpoint.port }],
      },
    });
  }
  return manifests;
}

function workload(
  view: ProcessView,
  views: readonly ProcessView[],
  part: string,
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> },
  losses: Loss[],
): Manifest {
  const { spec } = view;
  const lose = (key: string, reason: string) => losses.push({ process: view.name, key, reason });
  const name = dnsLabel(view.name);
  const template = (restartPolicy: 'Always' | 'OnFailure' | 'Never') => ({
    metadata,
    spec: podSpec(view, views, restartPolicy, losses),
  });
  const jobPolicy = spec.restart.policy === 'never' ? 'Never' : 'OnFailure';
  const jobSpec = () => ({
    backoffLimit: spec.restart.policy === 'never' ? 0 : spec.restart.maxRestarts,
    ...(view.instances !== undefined && {
      parallelism: view.instances,
      completions: view.instances,
    }),
    template: template(jobPolicy),
  });
  if (view.instances !== undefined) {
    lose(
      'instances',
      'OVERSEER_INSTANCE is not set: the pods of a Deployment or Job have no index',
    );
  }
  const shape = shapeOf(spec);
  if (shape === 'scheduled') {
    const schedule = spec.schedule!;
    const { cron, dropped } = minuteCron(schedule.cron);
    if (dropped !== undefined) {
      lose(
        'schedule.cron',
        `${schedule.cron}: a CronJob has no seconds (${dropped}); runs at ${cron}`,
      );
    }
    if (schedule.overlap === 'queue') {
      lose('schedule.overlap', 'queue: a CronJob cannot hold one fire back; Forbid skips it');
    }
    return {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, ...metadata },
      spec: {
        schedule: cron,
        ...(schedule.timezone !== undefined && { timeZone: schedule.timezone }),
        concurrencyPolicy: schedule.overlap === 'replace' ? 'Replace' : 'Forbid',
        jobTemplate: { metadata: { labels: metadata.labels }, spec: jobSpec() },
      },
    };
  }
  if (shape === 'job') {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, ...metadata },
      spec: jobSpec(),
    };
  }
  if (spec.restart.policy !== 'always') {
    lose('restart.policy', `${spec.restart.policy}: the pods of a Deployment always restart`);
  }
  if (view.definition.restart?.max_restarts !== undefined) {
    lose('restart.max_restarts', 'a Deployment restarts without a budget');
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...metadata },
    spec: {
      replicas: view.instances ?? 1,
      selector: { matchLabels: selectorOf(part, view) },
      template: template('Always'),
    },
  };
}

/** The labels that pick a process's pods out: its name and its project's. */
function selectorOf(part: string, view: ProcessView): Record<string, string> {
  return { 'app.kubernetes.io/name': dnsLabel(view.name), 'app.kubernetes.io/part-of': part };
}

function metadataOf(
  project: Project,
  view: ProcessView,
  losses: Loss[],
): { labels: Record<string, string>; annotations?: Record<string, string> } {
  const labels: Record<string, string> = {
    ...selectorOf(projectLabel(project), view),
    'overseer/namespace': view.spec.namespace,
  };
  for (const [key, value] of Object.entries(view.spec.labels)) {
    if (LABEL_KEY.test(key) && LABEL_VALUE.test(value) && value.length <= 63) labels[key] = value;
    else {
      losses.push({
        process: view.name,
        key: 'labels',
        reason: `${key}=${value}: not a Kubernetes label (63 characters of letters, digits, -, _, .)`,
      });
    }
  }
  const description = view.spec.description;
  return description === undefined
    ? { labels }
    : { labels, annotations: { 'overseer/description': description } };
}
