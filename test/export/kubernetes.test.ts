// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the engines' own interpolation is what these files hold
// biome-ignore-all lint/suspicious/noExplicitAny: parsed documents, read as the assertions walk them
/**
 * The Kubernetes export against Kubernetes' own schemas (kubernetes-models validates each
 * object with the OpenAPI schemas it bundles), and what each key becomes.
 */

import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { exportKubernetes } from '../../src/export/kubernetes.js';
import { demoProject, everyKeyProject, inputOf } from './helpers.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap,
  Secret,
  Service,
  Deployment,
  CronJob,
  Job,
};

type Manifest = { kind: string; metadata: { name: string }; [key: string]: unknown };

async function manifests(project: 'demo' | 'every'): Promise<Manifest[]> {
  const loaded = project === 'demo' ? await demoProject() : await everyKeyProject();
  return exportKubernetes(inputOf(loaded)).files.flatMap((file) =>
    parseAllDocuments(file.text).map((document) => document.toJS() as Manifest),
  );
}

function find(all: Manifest[], kind: string, name: string): Record<string, any> {
  const found = all.find((item) => item.kind === kind && item.metadata.name === name);
  expect(found, `${kind} ${name}`).toBeDefined();
  return found as Record<string, any>;
}

describe('kubernetes export', () => {
  it('writes only objects that pass their Kubernetes schema', async () => {
    for (const manifest of [...(await manifests('demo')), ...(await manifests('every'))]) {
      const Model = MODELS[manifest.kind];
      expect(Model, manifest.kind).toBeDefined();
      expect(() => new Model!(manifest as never).validate(), manifest.metadata.name).not.toThrow();
    }
  });

  it('maps instances, probes, limits, stop, user and dependencies', async () => {
    const all = await manifests('every');
    const api = find(all, 'Deployment', 'api');
    expect(api.spec.replicas).toBe(2);
    const pod = api.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('REPLACE_ME/api:latest');
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/health',
      port: 3000,
      scheme: 'HTTP',
    });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 3000 });
    expect(container.startupProbe.failureThreshold).toBe(30);
    expect(container.resources.limits).toEqual({ memory: '256Mi', cpu: '1500m' });
    expect(container.lifecycle.preStop.exec.command).toEqual(['/bin/sh', '-c', 'kill -INT 1']);
    expect(pod.terminationGracePeriodSeconds).toBe(20);
    expect(pod.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000 });
    expect(pod.initContainers[0].command[2]).toBe('until nc -z db 5432; do sleep 2; done');
    expect(api.metadata.labels['overseer/namespace']).toBe('backend');
    expect(find(all, 'Service', 'api').spec.ports[0].port).toBe(3000);
    const report = find(all, 'CronJob', 'report').spec;
    expect(report).toMatchObject({
      schedule: '30 2 * * MON-FRI',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: 'Forbid',
    });
    expect(find(all, 'Job', 'migrate').spec.backoffLimit).toBe(0);
    const worker = find(all, 'Deployment', 'worker').spec.template.spec.containers[0];
    expect(worker.command.slice(2)).toEqual(['--home', '$HOME', '--at', '$$(date)']);
  });

  it('never writes a value that looks secret: a Secret of placeholders', async () => {
    const all = await manifests('every');
    expect(find(all, 'Secret', 'api-secrets').stringData).toEqual({
      API_TOKEN: 'REPLACE_ME',
      DATABASE_URL: 'REPLACE_ME',
      STRIPE_KEY: 'REPLACE_ME',
    });
    expect(find(all, 'ConfigMap', 'api-env').data).toEqual({
      LOG_LEVEL: 'info',
      PORT: '3000',
      TEXT: '${HOME} 100%{x}',
    });
    const text = JSON.stringify(all);
    for (const secret of ['hunter2', 'app:secret', 'sk_live_x']) expect(text).not.toContain(secret);
  });
});
