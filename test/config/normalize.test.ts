import { describe, expect, it } from 'vitest';
import { issuesFromZod } from '../../src/config/messages.js';
import { DEFAULTS, specsFromDefinition } from '../../src/config/normalize.js';
import { processDefinitionSchema } from '../../src/config/process-schema.js';
import { OverseerError, type SpecIssue } from '../../src/core/errors.js';

const base = { name: 'api', command: 'node server.js' };
const one = (extra: object = {}) => specsFromDefinition({ ...base, ...extra })[0]!;

/** The OverseerError thrown for an invalid definition. */
function rejectionOf(definition: unknown): OverseerError {
  try {
    specsFromDefinition(definition);
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    return error as OverseerError;
  }
  throw new Error('expected the definition to be refused');
}

/** The issues for `base` with `extra` merged in. */
const issuesOf = (extra: object): readonly SpecIssue[] => rejectionOf({ ...base, ...extra }).issues;

describe('specsFromDefinition: defaults', () => {
  it('fills in every default for a minimal service', () => {
    expect(specsFromDefinition(base)).toEqual([
      {
        name: 'api',
        family: 'api',
        instance: 0,
        namespace: 'default',
        labels: {},
        description: undefined,
        command: 'node server.js',
        cwd: undefined,
        env: {},
        envFile: undefined,
        kind: 'service',
        priority: 'normal',
        dependsOn: [],
        restart: {
          policy: 'always',
          maxRestarts: 10,
          windowMs: 60_000,
          delayMs: 1_000,
          factor: 2,
          maxDelayMs: 30_000,
          minUptimeMs: 1_000,
          exitCodes: [0],
        },
        readiness: undefined,
        liveness: undefined,
        stop: { signal: 'SIGTERM', timeoutMs: 10_000 },
        startTimeoutMs: 90_000,
      },
    ]);
  });

  it('refuses a process named all: the name selects every process', () => {
    expect(() => one({ name: 'all' })).toThrow('name: all is reserved: it selects every process');
    expect(() => one({ depends_on: ['all'] })).toThrow('all is reserved');
  });

  it('reads start_timeout as ms; 0 turns it off', () => {
    expect(one({ start_timeout: '30s' }).startTimeoutMs).toBe(30_000);
    expect(one({ start_timeout: 2_500 }).startTimeoutMs).toBe(2_500);
    expect(one({ start_timeout: 0 }).startTimeoutMs).toBeUndefined();
    expect(() => one({ start_timeout: 'soon' })).toThrow(
      'start_timeout: "soon" is not a duration (e.g. 500ms, 10s, 5m)',
    );
  });

  it('gives jobs the policy `never` unless they say otherwise', () => {
    expect(one({ kind: 'job' }).restart.policy).toBe('never');
    expect(one({ kind: 'job', restart: { policy: 'on-failure' } }).restart.policy).toBe(
      'on-failure',
    );
  });

  it('reads every field it is given, durations in ms', () => {
    const spec = one({
      command: ['node', 'server.js'],
      cwd: './api',
      env: { PORT: 3000, DEBUG: true, NAME: 'x' },
      env_file: '.env',
      priority: 'critical',
      restart: {
        policy: 'on-failure',
        max_restarts: 0,
        window: '5m',
        delay: '250ms',
        factor: 1.5,
        max_delay: '10s',
        min_uptime: 2_000,
        exit_codes: [0, 3],
      },
      stop: { signal: 'SIGINT', timeout: '2s' },
    });
    expect(spec).toMatchObject({
      command: ['node', 'server.js'],
      cwd: './api',
      env: { PORT: '3000', DEBUG: 'true', NAME: 'x' },
      envFile: '.env',
      priority: 'critical',
      restart: {
        policy: 'on-failure',
        maxRestarts: 0,
        windowMs: 300_000,
        delayMs: 250,
        factor: 1.5,
        maxDelayMs: 10_000,
        minUptimeMs: 2_000,
        exitCodes: [0, 3],
      },
      stop: { signal: 'SIGINT', timeoutMs: 2_000 },
    });
  });

  it('trims a command string', () => {
    expect(one({ command: '  node server.js \n' }).command).toBe('node server.js');
  });

  it('raises the default max_delay to a delay above it', () => {
    expect(one({ restart: { delay: '45s' } }).restart.maxDelayMs).toBe(45_000);
  });
});

describe('specsFromDefinition: instances', () => {
  it('names several instances name-0, name-1, … sharing their family', () => {
    const specs = specsFromDefinition({ ...base, instances: 3 });
    expect(specs.map(({ name, family, instance }) => ({ name, family, instance }))).toEqual([
      { name: 'api-0', family: 'api', instance: 0 },
      { name: 'api-1', family: 'api', instance: 1 },
      { name: 'api-2', family: 'api', instance: 2 },
    ]);
    expect(specs[1]!.restart).toEqual(specs[0]!.restart);
  });

  it('keeps the plain name only without instances: instances 1 is api-0, so scaling renames nothing', () => {
    expect(specsFromDefinition(base).map((spec) => spec.name)).toEqual(['api']);
    expect(specsFromDefinition({ ...base, instances: 1 }).map((spec) => spec.name)).toEqual([
      'api-0',
    ]);
  });
});

describe('specsFromDefinition: depends_on', () => {
  it('reads a list as `started` conditions', () => {
    expect(one({ depends_on: ['db', 'cache'] }).dependsOn).toEqual([
      { name: 'db', condition: 'started', restart: false },
      { name: 'cache', condition: 'started', restart: false },
    ]);
  });

  it('reads a map of name: condition', () => {
    expect(
      one({ depends_on: { db: 'healthy', migrate: 'completed_successfully', seed: 'completed' } })
        .dependsOn,
    ).toEqual([
      { name: 'db', condition: 'healthy', restart: false },
      { name: 'migrate', condition: 'completed_successfully', restart: false },
      { name: 'seed', condition: 'completed', restart: false },
    ]);
  });

  // Regression: the union swallowed this message and said only "Invalid input".
  it('names the allowed conditions when one is wrong', () => {
    expect(issuesOf({ depends_on: { db: 'ready' } })).toEqual([
      {
        path: 'depends_on.db',
        message: 'expected one of started, healthy, completed, completed_successfully',
      },
    ]);
  });

  it('refuses a dependency name that is not plain', () => {
    expect(issuesOf({ depends_on: ['bad name'] })).toEqual([
      { path: 'depends_on.0', message: expect.stringContaining('expected a name') },
    ]);
  });

  it('says what shape is expected when it is neither a list nor a map', () => {
    expect(issuesOf({ depends_on: 'db' })).toEqual([
      { path: 'depends_on', message: expect.stringContaining('list of process names') },
    ]);
  });
});

describe('specsFromDefinition: probes', () => {
  it('applies the readiness and liveness defaults', () => {
    const spec = one({
      readiness: { http: 'http://127.0.0.1:3000/health' },
      liveness: { exec: 'true' },
    });
    expect(spec.readiness).toEqual({
      check: { type: 'http', url: 'http://127.0.0.1:3000/health' },
      ...DEFAULTS.readiness,
    });
    expect(spec.liveness).toEqual({
      check: { type: 'exec', command: 'true' },
      intervalMs: 10_000,
      timeoutMs: 1_000,
      failureThreshold: 3,
      initialDelayMs: 0,
    });
  });

  it('reads the timing fields', () => {
    const readiness = one({
      readiness: {
        log: 'listening on \\d+',
        interval: '500ms',
        timeout: '2s',
        failure_threshold: 5,
        initial_delay: '1s',
      },
    }).readiness;
    expect(readiness).toEqual({
      check: { type: 'log', pattern: 'listening on \\d+' },
      intervalMs: 500,
      timeoutMs: 2_000,
      failureThreshold: 5,
      initialDelayMs: 1_000,
    });
  });

  it.each([
    ['127.0.0.1:3000', '127.0.0.1', 3_000],
    ['localhost:80', 'localhost', 80],
    ['[::1]:80', '::1', 80],
    ['[fe80::1]:65535', 'fe80::1', 65_535],
  ])('splits the tcp address %s into host and port', (tcp, host, port) => {
    expect(one({ readiness: { tcp } }).readiness?.check).toEqual({ type: 'tcp', host, port });
  });

  it.each(['localhost', ':80', 'a b:80', '::1:80', 'host:port'])(
    'refuses the tcp address %j',
    (tcp) => {
      expect(issuesOf({ readiness: { tcp } })).toEqual([
        { path: 'readiness.tcp', message: 'expected host:port, e.g. 127.0.0.1:3000' },
      ]);
    },
  );

  // Regression: five digits were enough, so 99999 reached the runtime's connect.
  it.each(['localhost:0', 'localhost:65536', 'localhost:99999'])(
    'refuses the out-of-range port in %j',
    (tcp) => {
      expect(issuesOf({ liveness: { tcp } })).toEqual([
        { path: 'liveness.tcp', message: 'expected a port from 1 to 65535' },
      ]);
    },
  );

  it('wants exactly one check', () => {
    const message = 'expected exactly one of http, tcp, exec or log';
    expect(issuesOf({ readiness: {} })).toEqual([{ path: 'readiness', message }]);
    expect(issuesOf({ readiness: { http: 'http://x', exec: 'true' } })).toEqual([
      { path: 'readiness', message },
    ]);
  });

  it('refuses a non-http URL, a bad regex and a zero threshold', () => {
    expect(issuesOf({ readiness: { http: 'ftp://x/' } })).toEqual([
      { path: 'readiness.http', message: 'expected an http(s) URL' },
    ]);
    expect(issuesOf({ readiness: { log: '(' } })).toEqual([
      { path: 'readiness.log', message: 'expected a valid regular expression' },
    ]);
    expect(issuesOf({ liveness: { exec: 'true', failure_threshold: 0 } })).toEqual([
      { path: 'liveness.failure_threshold', message: 'expected a number ≥ 1' },
    ]);
  });
});

describe('specsFromDefinition: stop signal', () => {
  it.each([
    ['SIGINT', 'SIGINT'],
    ['HUP', 'SIGHUP'],
    ['term', 'SIGTERM'],
    // Regression: a lower-case `sig` prefix became `SIGSIGTERM` and was refused.
    ['sigterm', 'SIGTERM'],
    ['SigQuit', 'SIGQUIT'],
  ])('reads %j as %s', (signal, expected) => {
    expect(one({ stop: { signal } }).stop.signal).toBe(expected);
  });

  it.each(['SIGNOPE', 'TERMINATE', '', '15'])('refuses the signal name %j', (signal) => {
    expect(issuesOf({ stop: { signal } })).toEqual([
      { path: 'stop.signal', message: 'expected a signal name such as SIGTERM, SIGINT or SIGHUP' },
    ]);
  });
});

describe('specsFromDefinition: invalid definitions', () => {
  it('throws INVALID_SPEC naming the process and every issue in its message', () => {
    const error = rejectionOf({ ...base, restart: { max_restarts: -1, delay: 'soon' } });
    expect(error.code).toBe('INVALID_SPEC');
    expect(error.message).toBe(
      'invalid process api: restart.max_restarts: expected a number ≥ 0; ' +
        'restart.delay: "soon" is not a duration (e.g. 500ms, 10s, 5m)',
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'restart.max_restarts',
      'restart.delay',
    ]);
  });

  it.each<[object, string, string]>([
    [{ restart: { max_restarts: 1.5 } }, 'restart.max_restarts', 'expected a whole number from 0'],
    [{ restart: { window: '10 minutes' } }, 'restart.window', 'is not a duration'],
    [{ restart: { min_uptime: -5 } }, 'restart.min_uptime', '-5 is not a duration'],
    [{ restart: { factor: 0.5 } }, 'restart.factor', 'expected a number ≥ 1'],
    [{ restart: { delay: '10s', max_delay: '1s' } }, 'restart.max_delay', 'at least delay'],
    [{ restart: { exit_codes: [256] } }, 'restart.exit_codes.0', 'expected an exit code ≤ 255'],
    [{ restart: { exit_codes: [] } }, 'restart.exit_codes', ''],
    [{ restart: { policy: 'sometimes' } }, 'restart.policy', 'on-failure'],
    [{ stop: { timeout: 'later' } }, 'stop.timeout', 'is not a duration'],
    [{ instances: 0 }, 'instances', 'expected a number ≥ 1'],
    [{ kind: 'daemon' }, 'kind', 'job'],
    [{ priority: 'urgent' }, 'priority', 'critical'],
    [{ command: '   ' }, 'command', 'expected a non-empty command'],
    [{ command: [] }, 'command', 'expected at least the program to run'],
    [{ command: 42 }, 'command', 'expected a command string or an array'],
    [{ name: 'has space' }, 'name', 'expected a name of letters, digits'],
    [{ name: '-api' }, 'name', 'expected a name'],
    [{ env: { PORT: null } }, 'env.PORT', ''],
  ])('refuses %j at %s', (extra, path, message) => {
    const issues = issuesOf(extra);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  it('refuses unknown keys, naming them, at every level', () => {
    expect(issuesOf({ autostart: true })).toEqual([{ path: 'autostart', message: 'unknown key' }]);
    expect(issuesOf({ restart: { retries: 3 } })).toEqual([
      { path: 'restart.retries', message: 'unknown key' },
    ]);
    expect(issuesOf({ readiness: { exec: 'true', period: '1s' } })).toEqual([
      { path: 'readiness.period', message: 'unknown key' },
    ]);
    expect(issuesOf({ stop: { grace: '1s', hard: true } })).toEqual([
      { path: 'stop.grace', message: 'unknown key' },
      { path: 'stop.hard', message: 'unknown key' },
    ]);
  });

  it('refuses something that is not an object, without a process name', () => {
    const error = rejectionOf('node server.js');
    expect(error.message).toMatch(/^invalid process: /);
    expect(error.issues).toEqual([{ path: '', message: 'expected a map, got "node server.js"' }]);
  });

  it('add() errors never mix zod’s "Unrecognized key" with "unknown key": one voice, as in overseer.yaml', () => {
    const error = rejectionOf({
      name: 'api',
      command: 'x',
      bogus: 1,
      restart: { polcy: 'always' },
      instances: 'two',
      kind: 'daemon',
      // Parsed from JSON, as an own key: in an object literal __proto__ sets the prototype.
      env: JSON.parse('{"__proto__": "x", "LIST": [1]}'),
    });
    expect(error.message).toBe(
      [
        'invalid process api: env.__proto__: expected a variable name other than __proto__',
        'env.LIST: expected a string, number or boolean',
        'kind: expected one of service, job, got "daemon"',
        'instances: expected a number, got "two"',
        'restart.polcy: unknown key',
        'bogus: unknown key',
      ].join('; '),
    );
    expect(error.message).not.toMatch(/Invalid input|Invalid option|Unrecognized|received/);
  });

  it('refuses the names __proto__ and constructor at add() too, which a map would drop or mistake', () => {
    expect(rejectionOf({ name: 'constructor', command: 'x' }).issues).toEqual([
      { path: 'name', message: 'expected a name other than __proto__, constructor, prototype' },
    ]);
    const dependsOn = JSON.parse('{"__proto__": "started"}');
    expect(rejectionOf({ name: 'api', command: 'x', depends_on: dependsOn }).issues).toEqual([
      {
        path: 'depends_on.__proto__',
        message: 'expected a name other than __proto__, constructor, prototype',
      },
    ]);
  });

  it('refuses a definition without a name or a command', () => {
    expect(rejectionOf({ command: 'x' }).issues.map((issue) => issue.path)).toEqual(['name']);
    expect(rejectionOf({ name: 'api' }).issues.map((issue) => issue.path)).toEqual(['command']);
    expect(rejectionOf({ name: 7, command: 'x' }).message).toMatch(/^invalid process: name: /);
  });
});

describe('issuesFromZod', () => {
  it('dots the path, under a prefix when given one', () => {
    const parsed = processDefinitionSchema.safeParse({ ...base, restart: { max_restarts: -1 } });
    expect(parsed.success).toBe(false);
    expect(issuesFromZod(parsed.error!, ['processes', 'api'])).toEqual([
      { path: 'processes.api.restart.max_restarts', message: 'expected a number ≥ 0' },
    ]);
  });
});

describe('command arrays', () => {
  it('refuses an empty program name, which the OS could not spawn', () => {
    expect(() => specsFromDefinition({ name: 'api', command: ['', 'x.js'] })).toThrow(
      expect.objectContaining({
        code: 'INVALID_SPEC',
        issues: [{ path: 'command', message: 'expected a program name first' }],
      }),
    );
  });
});
