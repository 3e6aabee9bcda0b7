// Hostile variations of a valid overseer.yaml: wrong types, unknown keys, unicode and
// control characters, 1 MB strings, deep nesting, alias bombs, duplicate keys,
// `__proto__`, bad units and signals, dependency cycles, interpolation traps and garbage
// bytes. Each mutant says what was done to it, for the report.
import { stringify } from 'yaml';

/** A valid config touching most of the schema; `sleeper` and `exitWith` are fixture paths. */
export function baseConfig({ sleeper, exitWith }) {
  return {
    version: 1,
    name: 'fuzz',
    settings: {
      max_processes: 4,
      logs: { max_size: '1MB', max_files: 2 },
      retention: { runs: 10, events: 100 },
    },
    processes: {
      db: {
        command: ['node', sleeper],
        readiness: { log: 'ready', interval: '100ms', failure_threshold: 3 },
        restart: { policy: 'always', max_restarts: 3, window: '60s', delay: '1s', factor: 2 },
        stop: { signal: 'SIGTERM', timeout: '1s' },
        limits: { memory: '64MB', cpu: '80%' },
      },
      web: {
        command: `node ${sleeper}`,
        instances: 2,
        depends_on: { db: 'healthy' },
        env: { PORT: '3000' },
        labels: { team: 'a' },
        priority: 'high',
      },
      job: {
        kind: 'job',
        command: ['node', exitWith, '0'],
        depends_on: { db: { condition: 'started' } },
      },
    },
  };
}

const WRONG_VALUES = [
  null,
  true,
  -1,
  0,
  1.5,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER * 1024,
  '',
  'yes',
  '0x10',
  '1e3',
  'NaN',
  '.inf',
  [],
  [1, 'a', null],
  {},
  { a: { b: { c: 1 } } },
];
const BAD_UNITS = [
  '10 parsecs',
  '-1s',
  '1e400ms',
  'NaNs',
  '5',
  '1.5.5s',
  's',
  '10S',
  '99999999999999999999999h',
  '0x10ms',
  '12XB',
  '-1MB',
  '1.5GB',
  '∞',
  '10 s',
  '1m30',
];
const BAD_SIGNALS = [
  'SIGFOO',
  '9',
  'sigterm',
  'SIGKILL ',
  '',
  'TERM',
  'SIG',
  -9,
  99,
  'SIGTERM\u0000',
];
const STRANGE = [
  '\u0000',
  '\u0007bell',
  '\u001b[31mred',
  'é',
  '日本語',
  '🔥',
  '\u202eevil',
  '\ud800',
  'line\nbreak',
  'tab\there',
  '\r',
  // Interpolation traps, written as plain strings on purpose.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
  '${UNSET_CHAOS_VAR}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
  '${A:-${B:-c}}',
  '${',
  '$${X}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
  '${1BAD}',
  '..',
  '../../etc',
  '/',
  'a b',
  '-flag',
  '__proto__',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const UNIT_KEYS = [
  'delay',
  'max_delay',
  'window',
  'min_uptime',
  'timeout',
  'interval',
  'initial_delay',
  'max_size',
  'memory',
  'cpu',
  'start_timeout',
  'cooldown',
];

/** Every [parent, key] inside `node` (objects and arrays), for picking a spot to mutate. */
function spots(node, out = []) {
  if (node && typeof node === 'object') {
    for (const key of Object.keys(node)) {
      out.push([node, key]);
      spots(node[key], out);
    }
  }
  return out;
}

const STRUCTURAL = {
  'wrong type': (config, prng) => {
    const [parent, key] = prng.pick(spots(config));
    parent[key] = structuredClone(prng.pick(WRONG_VALUES));
    return `${key} = ${JSON.stringify(parent[key])}`;
  },
  'unknown key': (config, prng) => {
    const objects = spots(config).filter(
      ([p, k]) => p[k] && typeof p[k] === 'object' && !Array.isArray(p[k]),
    );
    const [parent, key] = prng.pick(objects);
    const name = prng.pick([
      'colour',
      'restarts',
      'Command',
      'x-extra',
      'dependsOn',
      'environment',
      'enabled',
    ]);
    parent[key][name] = 1;
    return `${key}.${name}`;
  },
  'strange string': (config, prng) => {
    const [parent, key] = prng.pick(spots(config));
    parent[key] =
      prng.pick(STRANGE) +
      (prng.chance(0.5)
        ? prng.string(prng.int(1, 20), 'aé\u0001\u0085\u2028日🔥$\\"\'{}[]:#&*!|>%@`')
        : '');
    return `${key} = strange`;
  },
  'strange name': (config, prng) => {
    const name = prng.pick(STRANGE) + prng.string(prng.int(0, 5), 'ab-_.é');
    config.processes[name] = config.processes.db;
    delete config.processes.db;
    return `process named ${JSON.stringify(name)}`;
  },
  '1 MB string': (config, prng) => {
    const [parent, key] = prng.pick(spots(config));
    parent[key] = prng.string(64, 'abcdef').repeat(1 << 14);
    return `${key} = 1 MB`;
  },
  '1 MB key': (config, prng) => {
    config.processes[prng.string(16, 'xyz').repeat(1 << 16)] = { command: 'true' };
    return 'process name of 1 MB';
  },
  'proto key': (config, prng) => {
    const objects = spots(config).filter(
      ([p, k]) => p[k] && typeof p[k] === 'object' && !Array.isArray(p[k]),
    );
    const [parent, key] = prng.pick(objects);
    const proto = prng.pick(PROTO_KEYS);
    Object.defineProperty(parent[key], proto, {
      value: prng.chance(0.5) ? { polluted: true, command: 'true' } : 'x',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    return `${key}.${proto}`;
  },
  'bad unit': (config, prng) => {
    const where = prng.pick([
      () =>
        (config.processes.db.restart[prng.pick(['delay', 'window', 'max_delay', 'min_uptime'])] =
          prng.pick(BAD_UNITS)),
      () => (config.processes.db.stop.timeout = prng.pick(BAD_UNITS)),
      () => (config.processes.db.limits[prng.pick(['memory', 'cpu'])] = prng.pick(BAD_UNITS)),
      () => (config.settings.logs.max_size = prng.pick(BAD_UNITS)),
      () => (config.processes.db.readiness.interval = prng.pick(BAD_UNITS)),
      () => (config.processes.web[prng.pick(UNIT_KEYS)] = prng.pick(BAD_UNITS)),
    ]);
    return `unit ${JSON.stringify(where())}`;
  },
  'bad signal': (config, prng) => {
    config.processes.db.stop.signal = prng.pick(BAD_SIGNALS);
    return `signal ${JSON.stringify(config.processes.db.stop.signal)}`;
  },
  'dependency cycle': (config, prng) => {
    const kind = prng.int(0, 2);
    if (kind === 0) config.processes.db.depends_on = { web: 'started' };
    else if (kind === 1) config.processes.db.depends_on = { db: 'started' };
    else {
      config.processes.db.depends_on = { job: 'completed' };
      config.processes.job.depends_on = { web: 'started' };
    }
    return `cycle ${kind}`;
  },
  'unknown dependency': (config, prng) => {
    config.processes.web.depends_on = {
      [prng.pick(['nope', 'web', 'db-0', ''])]: prng.pick(['healthy', 'ready', 'started']),
    };
    return 'unknown dependency';
  },
  'extreme number': (config, prng) => {
    const key = prng.pick(['instances', 'priority']);
    config.processes.web[key] = prng.pick([-1, 0, 1e9, 0.5, 2 ** 53, '1e9', 'ten']);
    config.settings.max_processes = prng.pick([0, -5, 1e12, 2.5, 'many']);
    return `extreme ${key}`;
  },
  'no processes': (config, prng) => {
    const variant = prng.int(0, 2);
    if (variant === 0) delete config.processes;
    else if (variant === 1) config.processes = {};
    else config.processes = null;
    return `processes variant ${variant}`;
  },
};

const TEXTUAL = {
  'duplicate key': (text, prng) => {
    const lines = text.split('\n');
    const keyed = lines.map((line, i) => [line, i]).filter(([line]) => /^\s*[\w-]+:/.test(line));
    const [line, at] = prng.pick(keyed);
    lines.splice(at + 1, 0, line.replace(/:.*/, prng.chance(0.5) ? ': 1' : ': {}'));
    return lines.join('\n');
  },
  'alias bomb': (_text, prng) => {
    const depth = prng.int(6, 12);
    let out = 'version: 1\nx-a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i <= depth; i += 1)
      out += `x-a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]\n`;
    return `${out}processes:\n  db:\n    command: [node, x]\n    env: { BOMB: *a${depth} }\n`;
  },
  'deep nesting': (text, prng) => {
    const depth = prng.pick([100, 1_000, 10_000, 100_000]);
    const [open, close] = prng.chance(0.5) ? ['[', ']'] : ['{a: ', '}'];
    return `${text}\nx-deep: ${open.repeat(depth)}1${close.repeat(depth)}\n`;
  },
  'deep block nesting': (text, prng) => {
    const depth = prng.pick([50, 500, 2_000]);
    let out = `${text}\nx-deep:\n`;
    for (let i = 1; i <= depth; i += 1) out += `${' '.repeat(i)}k:\n`;
    return `${out}${' '.repeat(depth + 1)}v\n`;
  },
  'garbage bytes': (text, prng) => {
    const bytes = Buffer.from(text);
    const count = prng.int(1, 20);
    for (let i = 0; i < count; i += 1) bytes[prng.int(0, bytes.length - 1)] = prng.int(0, 255);
    return bytes;
  },
  'all garbage': (_text, prng) =>
    Buffer.from(Array.from({ length: prng.int(1, 4096) }, () => prng.int(0, 255))),
  truncated: (text, prng) => text.slice(0, prng.int(0, text.length - 1)),
  'bom and crlf': (text, prng) =>
    prng.chance(0.5) ? `\ufeff${text}` : text.replaceAll('\n', '\r\n'),
  'nul bytes': (text, prng) => {
    const at = prng.int(0, text.length);
    return `${text.slice(0, at)}\u0000${text.slice(at)}`;
  },
  'tabs for indent': (text) => text.replaceAll('  ', '\t'),
  'yaml tags': (text, prng) =>
    `${text}\nx-tag: ${prng.pick(['!!js/function "function(){}"', '!!binary AAAA', '!!set {a, b}', '!!omap [a: 1]', '!custom 1', '!!python/object:os.system ls', '!!int "abc"', '!!float 1e999'])}\n`,
  'many documents': (text) => `${text}\n---\n${text}`,
  'empty file': () => '',
  'json instead': (_text, prng) =>
    prng.pick([
      '{"version":1,"processes":{"a":{"command":"true"}}}',
      '[1,2,3]',
      '"just a string"',
      '42',
      'null',
      '{"version":1,"processes":{"a":{"command":"true","__proto__":{"x":1}}}}',
    ]),
};

/** A mutant of `base`: 1–3 mutations, structural and textual. Returns {bytes, mutations}. */
export function mutate(base, prng) {
  const config = structuredClone(base);
  const mutations = [];
  const structural = prng.int(prng.chance(0.3) ? 0 : 1, 2);
  for (let i = 0; i < structural; i += 1) {
    const name = prng.pick(Object.keys(STRUCTURAL));
    try {
      mutations.push(`${name}: ${STRUCTURAL[name](config, prng)}`);
    } catch {
      mutations.push(`${name}: not applicable`);
    }
  }
  let text;
  try {
    text = stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
  } catch {
    text = JSON.stringify(config);
  }
  let out = text;
  if (structural === 0 || prng.chance(0.4)) {
    const name = prng.pick(Object.keys(TEXTUAL));
    out = TEXTUAL[name](text, prng);
    mutations.push(name);
  }
  return { bytes: Buffer.isBuffer(out) ? out : Buffer.from(out), mutations };
}
