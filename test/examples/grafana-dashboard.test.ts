/**
 * The Grafana dashboard (examples/grafana/overseer.json): every panel's PromQL is parsed by
 * the Prometheus project's own grammar (@prometheus-io/lezer-promql), and every metric it
 * selects is in a real scrape: a daemon brought up with the built CLI (`up -d`) whose stack
 * had a task run, a workflow run and a limit breach, plus the resilience toolkit's registry
 * over a real executor and health check (what a worker serves on its own port).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workflows } from '../../src/open-workflows.js';
import { createExecutors } from '../../src/resilience/executors.js';
import { healthChecks } from '../../src/resilience/health-checks.js';
import { presets } from '../../src/resilience/presets.js';
import { registerResilienceMetrics } from '../../src/resilience/resilience-metrics.js';
import { cleanupShared, createSharedProject, fixture, overseer, waitFor } from '../cli/helpers.js';
import { httpRequest } from '../daemon/helpers.js';

const DASHBOARD = fileURLToPath(new URL('../../examples/grafana/overseer.json', import.meta.url));

interface Target {
  readonly expr: string;
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
}
interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: string | { readonly query: string };
}
interface Dashboard {
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const queryPanels = dashboard.panels.filter((panel) => panel.type !== 'row');

/** Grafana's own variables, as Grafana would put them in before the query is sent. */
function interpolated(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m');
}

/** The metric names an expression selects; throws with the spot where it does not parse. */
function selectedMetrics(expr: string): string[] {
  const text = interpolated(expr);
  const names: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) {
        throw new Error(`${expr}: does not parse at ${node.from}: ${text.slice(node.from)}`);
      }
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        names.push(text.slice(node.from, node.to));
      }
    },
  });
  return names;
}

/** Sample names in a scrape (a histogram's `_bucket`, `_sum` and `_count` lines included). */
function sampleNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line)?.[1];
    if (name) names.add(name);
  }
  return names;
}

describe('the parser as used here', () => {
  it('finds the metrics a query selects, and refuses what Prometheus would', () => {
    expect(
      selectedMetrics(
        'histogram_quantile(0.95, sum by (le) (rate(a_bucket{job=~"$job"}[$__rate_interval]))) / b',
      ),
    ).toEqual(['a_bucket', 'b']);
    expect(() => selectedMetrics('sum(rate(a[5m])')).toThrow(/does not parse/);
    expect(() => selectedMetrics('a{job=}')).toThrow(/does not parse/);
  });
});

describe('examples/grafana/overseer.json', () => {
  it('has a data source variable and job, namespace and name variables, used by every panel', () => {
    const variables = dashboard.templating.list;
    expect(variables.map((variable) => variable.name)).toEqual([
      'datasource',
      'job',
      'namespace',
      'name',
    ]);
    expect(variables[0]).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of queryPanels) {
      // Grafana's `${datasource}`: the data source the variable names.
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: `\${datasource}` });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  describe('against real scrapes', () => {
    let scraped: Set<string>;
    const engines: Workflows[] = [];

    beforeAll(async () => {
      const project = createSharedProject(
        [
          'version: 1',
          'settings:',
          '  sample_interval: 200ms',
          'processes:',
          '  hog:',
          `    command: ${fixture('sleeper.mjs')}`,
          "    readiness: { log: '^ready$' }",
          '    limits: { memory: 1MB, memory_action: alert }',
          '',
        ].join('\n'),
      );
      const up = await overseer(project, ['up', '-d']);
      expect(up.exitCode, String(up.stderr)).toBe(0);
      const task = await overseer(project, ['run', '--', process.execPath, '-e', '0']);
      expect(task.exitCode, String(task.stderr)).toBe(0);

      // A worker beside the config records its runs in the project's store.
      const engine = new Workflows({ store: join(project.stateDir, 'workflows.db') });
      engines.push(engine);
      const order = engine.define<{ id: number }, string>('order', async (context, input) => {
        await context.step('reserve', () => `reserved ${input.id}`);
        return `shipped ${input.id}`;
      });
      await (await order.start({ id: 1 })).result();

      const where = { socketPath: project.socketPath };
      const daemon = await waitFor(async () => {
        const text = (await httpRequest(where, 'GET', '/metrics')).text;
        return text.includes('overseer_process_limit_breaches_total{') ? text : undefined;
      }, 'the limit breach of hog');

      // What a worker using the toolkit serves: an executor that made a call, a health check.
      const executors = createExecutors({ preset: presets.production });
      await executors.forApi('upstream').execute(async () => 'quote');
      const health = healthChecks();
      health.register('upstream', () => true);
      await health.checkNow();
      health.stop();
      const worker = await (await registerResilienceMetrics({ executors, health })).metrics();

      scraped = new Set([...sampleNames(daemon), ...sampleNames(worker)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(engines.splice(0).map((engine) => engine.close()));
      await cleanupShared();
    });

    it.each(
      queryPanels.flatMap((panel) =>
        (panel.targets ?? []).map((target) => [panel.title, target.expr] as const),
      ),
    )('%s: %s parses and selects only metrics a scrape has', (_title, expr) => {
      const metrics = selectedMetrics(expr);
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics) expect(scraped, metric).toContain(metric);
    });

    it('the variables ask for labels of a metric a scrape has', () => {
      for (const variable of dashboard.templating.list.filter((each) => each.type === 'query')) {
        const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
        const [, selector] = /^label_values\((.+), \w+\)$/.exec(query) ?? [];
        expect(selector, variable.name).toBeDefined();
        for (const metric of selectedMetrics(selector!)) expect(scraped, metric).toContain(metric);
      }
    });
  });
});
