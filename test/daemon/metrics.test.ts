/**
 * `/metrics`: the Prometheus text exposition format (0.0.4), checked by a strict parser
 * written here, and the values of each per-process series against the supervisor's rows.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/core/view.js';
import { renderMetrics } from '../../src/daemon/metrics.js';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import { waitFor as waitUntil } from '../cli/helpers.js';
import {
  cleanupAll,
  createSupervisor,
  fixture,
  httpRequest,
  isEvent,
  openDaemon,
  sleeper,
  tempDir,
  waitFor,
  waitForEvent,
} from './helpers.js';

afterEach(cleanupAll);

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  help?: string;
  type?: string;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * Parses the text format strictly: `# HELP` and `# TYPE` at most once per family and before
 * its samples, known types only, the samples of a family together, valid metric and label
 * names, quoted label values with only `\\`, `\"` and `\n` escapes, numeric values (with
 * `+Inf`, `-Inf`, `NaN`), no repeated series, and a final newline. Throws on anything else.
 * A histogram's `_bucket`, `_sum` and `_count` samples (a summary's `_sum` and `_count`)
 * belong to its family, whose label sets may each bring all three in turn.
 */
function parsePrometheus(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the text must end with a newline');
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | undefined;
  const familyOf = (sample: string): string => {
    const [, base, suffix] = /^(.+)_(bucket|sum|count)$/.exec(sample) ?? [];
    const type = base === undefined ? undefined : families.get(base)?.type;
    if (type === 'histogram' || (type === 'summary' && suffix !== 'bucket')) return base!;
    return sample;
  };
  const family = (name: string, at: number): Family => {
    if (!METRIC_NAME.test(name)) throw new Error(`line ${at}: bad metric name ${name}`);
    let found = families.get(name);
    if (!found) {
      found = { name, samples: [] };
      families.set(name, found);
    } else if (found !== current) {
      throw new Error(`line ${at}: family ${name} is split`);
    }
    current = found;
    return found;
  };
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const at = index + 1;
      if (line === '') return;
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (meta) {
        const [, kind, name, rest] = meta as unknown as [string, string, string, string];
        const target = family(name, at);
        if (target.samples.length > 0) throw new Error(`line ${at}: ${kind} after samples`);
        if (kind === 'HELP') {
          if (target.help !== undefined) throw new Error(`line ${at}: second HELP for ${name}`);
          if (!/^(?:[^\\]|\\[\\n])*$/.test(rest)) throw new Error(`line ${at}: bad escape in HELP`);
          target.help = rest;
        } else {
          if (target.type !== undefined) throw new Error(`line ${at}: second TYPE for ${name}`);
          if (!TYPES.has(rest)) throw new Error(`line ${at}: unknown type ${rest}`);
          target.type = rest;
        }
        return;
      }
      if (line.startsWith('#')) return;
      const sample = parseSample(line, at);
      const target = family(familyOf(sample.name), at);
      const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
      if (seen.has(key)) throw new Error(`line ${at}: repeated series ${key}`);
      seen.add(key);
      target.samples.push(sample);
    });
  return families;
}

function parseSample(line: string, at: number): Sample {
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!head) throw new Error(`line ${at}: no metric name in ${JSON.stringify(line)}`);
  const name = head[1]!;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const pair = /^([^=]*)="((?:[^"\\\n]|\\[\\"n])*)"(,?)/.exec(rest);
      if (!pair) throw new Error(`line ${at}: bad labels in ${JSON.stringify(line)}`);
      const [whole, label, raw, comma] = pair as unknown as [string, string, string, string];
      if (!LABEL_NAME.test(label)) throw new Error(`line ${at}: bad label name ${label}`);
      if (label in labels) throw new Error(`line ${at}: label ${label} twice`);
      labels[label] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(whole.length);
      if (comma === '' && !rest.startsWith('}')) throw new Error(`line ${at}: missing comma`);
    }
    rest = rest.slice(1);
  }
  const value = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!value) throw new Error(`line ${at}: bad value part ${JSON.stringify(rest)}`);
  const raw = value[1]!;
  const number = parseNumber(raw);
  if (number === undefined) throw new Error(`line ${at}: not a number: ${raw}`);
  return { name, labels, value: number };
}

function parseNumber(raw: string): number | undefined {
  if (raw === '+Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  // Prometheus reads values with Go's ParseFloat, NaN in any case: prom-client writes `Nan`.
  if (/^nan$/i.test(raw)) return Number.NaN;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : undefined;
}

/** The value of the one series of `family` with these labels. */
function seriesValue(
  families: Map<string, Family>,
  family: string,
  labels: Record<string, string>,
): number | undefined {
  const samples = families.get(family)?.samples ?? [];
  const matching = samples.filter((sample) =>
    Object.entries(labels).every(([label, value]) => sample.labels[label] === value),
  );
  if (matching.length > 1) throw new Error(`${family} ${JSON.stringify(labels)}: several`);
  return matching[0]?.value;
}

const FAMILIES = [
  'overseer_process_up',
  'overseer_process_restarts_total',
  'overseer_process_cpu_percent',
  'overseer_process_memory_bytes',
  'overseer_process_open_fds',
  'overseer_process_threads',
  'overseer_process_health',
  'overseer_process_health_score',
  'overseer_process_status',
  'overseer_process_io_read_bytes_total',
  'overseer_process_io_write_bytes_total',
  'overseer_process_limit_breaches_total',
];

describe('the strict parser used here', () => {
  it('reads a well-formed exposition', () => {
    const families = parsePrometheus(
      '# HELP a_b Help with \\\\ and \\n.\n# TYPE a_b gauge\na_b{x="1",y="q\\"uote"} 2.5\na_b{x="2"} -Inf\n',
    );
    expect(families.get('a_b')).toEqual({
      name: 'a_b',
      help: 'Help with \\\\ and \\n.',
      type: 'gauge',
      samples: [
        { name: 'a_b', labels: { x: '1', y: 'q"uote' }, value: 2.5 },
        { name: 'a_b', labels: { x: '2' }, value: Number.NEGATIVE_INFINITY },
      ],
    });
  });

  it('reads a histogram whose label sets each bring their buckets, sum and count in turn', () => {
    const families = parsePrometheus(
      [
        '# TYPE h histogram',
        'h_bucket{kind="a",le="1"} 1',
        'h_bucket{kind="a",le="+Inf"} 1',
        'h_sum{kind="a"} 0.5',
        'h_count{kind="a"} 1',
        'h_bucket{kind="b",le="1"} 0',
        'h_bucket{kind="b",le="+Inf"} 2',
        'h_sum{kind="b"} 4',
        'h_count{kind="b"} 2',
        '',
      ].join('\n'),
    );
    expect([...families.keys()]).toEqual(['h']);
    expect(families.get('h')!.samples).toHaveLength(8);
  });

  it.each([
    ['no final newline', 'a 1'],
    ['a bad metric name', '1a 1\n'],
    ['a bad label name', 'a{1x="v"} 1\n'],
    ['an unquoted label value', 'a{x=v} 1\n'],
    ['a bad escape', 'a{x="\\t"} 1\n'],
    ['a missing comma', 'a{x="1"y="2"} 1\n'],
    ['a label twice', 'a{x="1",x="2"} 1\n'],
    ['a non-number', 'a 1x\n'],
    ['no value', 'a{x="1"}\n'],
    ['an unknown type', '# TYPE a gauges\na 1\n'],
    ['TYPE after samples', 'a 1\n# TYPE a gauge\n'],
    ['a bad escape in HELP', '# HELP a x\\ty\na 1\n'],
    ['a second HELP', '# HELP a x\n# HELP a y\na 1\n'],
    ['a repeated series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['a split family', 'a 1\nb 1\na{x="1"} 1\n'],
    ['a split histogram', '# TYPE h histogram\nh_count 1\nb 1\nh_sum 1\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheus(text)).toThrow();
  });
});

describe('renderMetrics', () => {
  const row = (overrides: Partial<ProcessInfo>): ProcessInfo => ({
    name: 'api',
    namespace: 'default',
    status: 'running',
    health: 'healthy',
    pid: 1234,
    restarts: 0,
    exitCode: null,
    reason: null,
    blocked: false,
    startedAt: new Date(0).toISOString(),
    uptimeMs: 10,
    cpuPercent: null,
    memoryBytes: null,
    kind: 'service',
    instance: 0,
    fds: null,
    threads: null,
    readBytes: null,
    writeBytes: null,
    limitBreaches: [],
    healthScore: 100,
    healthReasons: [],
    nextRunAt: null,
    retryAt: null,
    labels: {},
    ...overrides,
  });

  it('renders every family with HELP and TYPE (restarts a counter), and each row’s values', async () => {
    const text = await renderMetrics([
      row({
        name: 'api',
        restarts: 3,
        cpuPercent: 12.5,
        memoryBytes: 268_435_456,
        fds: 24,
        threads: 11,
        healthScore: 82,
        readBytes: 8_192,
        writeBytes: 0,
        limitBreaches: [
          { resource: 'memory', action: 'restart', count: 2 },
          { resource: 'cpu', action: 'alert', count: 5 },
        ],
      }),
      row({
        name: 'db-0',
        status: 'backoff',
        health: 'unhealthy',
        pid: null,
        restarts: 7,
        healthScore: 0,
      }),
      row({ name: 'job.x', status: 'completed', health: 'none', pid: null, kind: 'job' }),
    ]);

    const families = parsePrometheus(text);
    expect([...families.keys()].sort()).toEqual([...FAMILIES].sort());
    for (const name of FAMILIES) {
      const type = name.endsWith('_total') ? 'counter' : 'gauge';
      expect(families.get(name)).toMatchObject({ type, help: expect.any(String) });
    }
    expect(seriesValue(families, 'overseer_process_up', { name: 'api' })).toBe(1);
    expect(seriesValue(families, 'overseer_process_up', { name: 'db-0' })).toBe(0);
    expect(seriesValue(families, 'overseer_process_up', { name: 'job.x' })).toBe(0);
    expect(seriesValue(families, 'overseer_process_restarts_total', { name: 'api' })).toBe(3);
    expect(seriesValue(families, 'overseer_process_restarts_total', { name: 'db-0' })).toBe(7);
    expect(seriesValue(families, 'overseer_process_cpu_percent', { name: 'api' })).toBe(12.5);
    expect(seriesValue(families, 'overseer_process_memory_bytes', { name: 'api' })).toBe(
      268_435_456,
    );
    expect(seriesValue(families, 'overseer_process_open_fds', { name: 'api' })).toBe(24);
    expect(seriesValue(families, 'overseer_process_threads', { name: 'api' })).toBe(11);
    expect(seriesValue(families, 'overseer_process_health_score', { name: 'api' })).toBe(82);
    expect(seriesValue(families, 'overseer_process_health_score', { name: 'db-0' })).toBe(0);
    expect(seriesValue(families, 'overseer_process_health_score', { name: 'job.x' })).toBe(100);
    expect(seriesValue(families, 'overseer_process_open_fds', { name: 'db-0' })).toBeUndefined();
    expect(seriesValue(families, 'overseer_process_io_read_bytes_total', { name: 'api' })).toBe(
      8_192,
    );
    expect(seriesValue(families, 'overseer_process_io_write_bytes_total', { name: 'api' })).toBe(0);
    // Not readable (another user's process) or not sampled: absent, not 0.
    expect(
      seriesValue(families, 'overseer_process_io_read_bytes_total', { name: 'db-0' }),
    ).toBeUndefined();
    expect(families.get('overseer_process_limit_breaches_total')!.samples).toEqual([
      {
        name: 'overseer_process_limit_breaches_total',
        labels: { name: 'api', namespace: 'default', resource: 'memory', action: 'restart' },
        value: 2,
      },
      {
        name: 'overseer_process_limit_breaches_total',
        labels: { name: 'api', namespace: 'default', resource: 'cpu', action: 'alert' },
        value: 5,
      },
    ]);
    // Not sampled (null): no series rather than a made-up 0.
    expect(seriesValue(families, 'overseer_process_cpu_percent', { name: 'db-0' })).toBeUndefined();
    expect(
      seriesValue(families, 'overseer_process_memory_bytes', { name: 'job.x' }),
    ).toBeUndefined();
    expect(
      families.get('overseer_process_health')!.samples.filter((s) => s.labels.name === 'db-0'),
    ).toEqual([
      ...['none', 'unknown', 'healthy', 'unhealthy'].map((health) => ({
        name: 'overseer_process_health',
        labels: { name: 'db-0', namespace: 'default', health },
        value: health === 'unhealthy' ? 1 : 0,
      })),
    ]);
    expect(
      families.get('overseer_process_status')!.samples.map((s) => [s.labels.name, s.labels.status]),
    ).toEqual([
      ['api', 'running'],
      ['db-0', 'backoff'],
      ['job.x', 'completed'],
    ]);
  });

  it('labels every per-process series with its namespace', async () => {
    const families = parsePrometheus(
      await renderMetrics([
        row({
          name: 'api',
          namespace: 'backend',
          cpuPercent: 1,
          memoryBytes: 2,
          fds: 3,
          threads: 4,
          readBytes: 5,
          writeBytes: 6,
          limitBreaches: [{ resource: 'memory', action: 'alert', count: 1 }],
        }),
        row({ name: 'web' }),
      ]),
    );

    for (const name of FAMILIES) {
      const namespaces = families
        .get(name)!
        .samples.map((sample) => [sample.labels.name, sample.labels.namespace]);
      expect(namespaces.length, name).toBeGreaterThan(0);
      for (const [process, namespace] of namespaces) {
        expect(namespace, name).toBe(process === 'api' ? 'backend' : 'default');
      }
    }
  });

  it('renders only HELP and TYPE lines for no processes', async () => {
    const families = parsePrometheus(await renderMetrics([]));

    expect([...families.keys()].sort()).toEqual([...FAMILIES].sort());
    for (const family of families.values()) expect(family.samples).toEqual([]);
  });

  it('starts afresh each time: a process gone is gone from the metrics', async () => {
    await renderMetrics([row({ name: 'old' })]);

    const families = parsePrometheus(await renderMetrics([row({ name: 'new' })]));

    expect(seriesValue(families, 'overseer_process_up', { name: 'old' })).toBeUndefined();
    expect(seriesValue(families, 'overseer_process_up', { name: 'new' })).toBe(1);
  });
});

describe('GET /metrics over a real supervisor', () => {
  it('reports each process: up, restarts, health and status as they are', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'web', ...sleeper() });
    supervisor.add({ name: 'idle', ...sleeper() });
    supervisor.add({ name: 'job', command: fixture('exit-with.mjs', 0), kind: 'job' });
    supervisor.add({ name: 'pool', ...sleeper(), instances: 2 });
    await supervisor.up();
    await waitFor(() => supervisor.get('job').status === 'completed', 5_000, 'job to complete');
    await supervisor.restart('web');
    await supervisor.restart('web');
    await supervisor.stop('idle');
    const app = createMonitoringRoutes(supervisor);

    const response = await app.request('/metrics');
    const families = parsePrometheus(await response.text());

    expect(response.status).toBe(200);
    const names = ['web', 'idle', 'job', 'pool-0', 'pool-1'];
    for (const family of ['overseer_process_up', 'overseer_process_restarts_total']) {
      expect(families.get(family)!.samples.map((sample) => sample.labels.name)).toEqual(names);
    }
    const up = names.map((name) => seriesValue(families, 'overseer_process_up', { name }));
    expect(up).toEqual([1, 0, 0, 1, 1]);
    const restarts = names.map((name) =>
      seriesValue(families, 'overseer_process_restarts_total', { name }),
    );
    expect(restarts).toEqual(supervisor.list().map((info) => info.restarts));
    expect(restarts[0]).toBe(2);
    for (const info of supervisor.list()) {
      expect(seriesValue(families, 'overseer_process_status', { name: info.name })).toBe(1);
      expect(families.get('overseer_process_status')!.samples).toContainEqual({
        name: 'overseer_process_status',
        labels: { name: info.name, namespace: 'default', status: info.status },
        value: 1,
      });
      expect(
        seriesValue(families, 'overseer_process_health', { name: info.name, health: info.health }),
      ).toBe(1);
      const ones = families
        .get('overseer_process_health')!
        .samples.filter((sample) => sample.labels.name === info.name && sample.value === 1);
      expect(ones).toHaveLength(1);
    }
    expect(supervisor.list().map((info) => [info.name, info.status, info.health])).toEqual([
      ['web', 'running', 'healthy'],
      ['idle', 'stopped', expect.any(String)],
      ['job', 'completed', 'none'],
      ['pool-0', 'running', 'healthy'],
      ['pool-1', 'running', 'healthy'],
    ]);
  });

  it('is served on the daemon socket with the Prometheus content type', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: { web: sleeper() } });
    await daemon.up();

    const response = await httpRequest({ socketPath }, 'GET', '/metrics');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheus(response.text);
    expect(seriesValue(families, 'overseer_process_up', { name: 'web' })).toBe(1);
    expect(
      seriesValue(families, 'overseer_process_health', { name: 'web', health: 'healthy' }),
    ).toBe(1);
  });
});

describe('GET /metrics of a served daemon: itself, the host, storage I/O, limit breaches', () => {
  it('reports the supervisor’s own process, the host, what a tree wrote and each breach', async () => {
    const written = 1 << 20;
    const { daemon, socketPath } = await openDaemon({
      settings: { sample_interval: '200ms' },
      processes: {
        writer: {
          command: fixture('io-writer.mjs', written),
          readiness: { log: '^ready$' },
          limits: { memory: '1MB', memory_action: 'alert' },
        },
      },
    });
    // The breach is judged on a sample: once told, that sample holds the tree's I/O too.
    const breach = waitForEvent(daemon.supervisor, isEvent('process:limit', 'writer'), 10_000);
    await daemon.up();
    await breach;
    // The first sample may come before the child wrote: where the folder's filesystem
    // accounts writes to storage (tmpfs does not), a later one shows its megabyte.
    const countsWrites = filesystemCountsWrites();
    const families = await waitUntil(async () => {
      const scraped = parsePrometheus((await httpRequest({ socketPath }, 'GET', '/metrics')).text);
      const wrote = seriesValue(scraped, 'overseer_process_io_write_bytes_total', {
        name: 'writer',
      });
      return wrote !== undefined && (!countsWrites || wrote >= written) ? scraped : undefined;
    }, 'the writer’s megabyte in its tree’s I/O');

    // The daemon's own figures, under prom-client's standard names.
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(families.get(name)?.samples.length, name).toBeGreaterThan(0);
    }
    expect(seriesValue(families, 'process_resident_memory_bytes', {})).toBeGreaterThan(0);
    expect(seriesValue(families, 'process_start_time_seconds', {})).toBeLessThanOrEqual(
      Date.now() / 1000,
    );
    const host = (name: string) => seriesValue(families, name, {});
    expect(host('overseer_host_cpus')).toBeGreaterThan(0);
    expect(host('overseer_host_memory_total_bytes')).toBeGreaterThan(0);
    expect(host('overseer_host_memory_available_bytes')).toBeGreaterThan(0);
    expect(host('overseer_host_memory_available_bytes')).toBeLessThanOrEqual(
      host('overseer_host_memory_total_bytes')!,
    );
    for (const load of ['overseer_host_load1', 'overseer_host_load5', 'overseer_host_load15']) {
      expect(host(load)).toBeGreaterThanOrEqual(0);
    }
    expect(
      seriesValue(families, 'overseer_process_limit_breaches_total', {
        name: 'writer',
        resource: 'memory',
        action: 'alert',
      }),
    ).toBe(1);
    // What the child wrote before it exited still counts.
    const writtenByTree = seriesValue(families, 'overseer_process_io_write_bytes_total', {
      name: 'writer',
    });
    expect(writtenByTree).toBeGreaterThanOrEqual(countsWrites ? written : 0);
    expect(
      seriesValue(families, 'overseer_process_io_read_bytes_total', { name: 'writer' }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('keeps one monitor of the process’s own figures for every route set, registered once', async () => {
    const supervisor = createSupervisor();
    const first = await (await createMonitoringRoutes(supervisor).request('/metrics')).text();
    const second = await (await createMonitoringRoutes(supervisor).request('/metrics')).text();

    for (const text of [first, second]) {
      expect(parsePrometheus(text).get('process_cpu_seconds_total')?.samples).toHaveLength(1);
    }
    const without = await createMonitoringRoutes(supervisor, { processMetrics: false }).request(
      '/metrics',
    );
    expect(parsePrometheus(await without.text()).has('process_cpu_seconds_total')).toBe(false);
  });
});

/** Whether writing and flushing a file in a temp folder shows in this process's write_bytes. */
function filesystemCountsWrites(): boolean {
  const before = ioWriteBytes();
  const path = join(tempDir(), 'probe.bin');
  const fd = openSync(path, 'w');
  writeSync(fd, Buffer.alloc(64 * 1024, 1));
  fsyncSync(fd);
  closeSync(fd);
  return ioWriteBytes() - before >= 64 * 1024;
}

function ioWriteBytes(): number {
  return Number(/^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'latin1'))?.[1] ?? 0);
}
