// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * Hostile and mangled configs through the built CLI's `overseer validate`, as a fuzzer or
 * an attacker would write them (run `npm run build` first). Whatever the file holds, the
 * answer comes within seconds: exit 0 for a config that is valid, else exit 2 with every
 * issue named by its line or path. Never a stack trace, never exit 1, never a hang.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** How long one `validate` may take, however hostile the file: a few seconds, on a busy machine. */
const ANSWER_WITHIN_MS = 10_000;

/** A file of `size` bytes of deterministic noise (a linear congruential generator). */
function noise(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let index = 0; index < size; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[index] = state >> 23;
  }
  return bytes;
}

const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** `depth` levels of `levels` aliases each: the "billion laughs". */
function aliasBomb(depth: number, fanOut: number): string {
  const rows = [`l0: &l0 [${Array(fanOut).fill('lol').join(', ')}]`];
  for (let level = 1; level < depth; level += 1) {
    rows.push(
      `l${level}: &l${level} [${Array(fanOut)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  }
  return lines(...rows);
}

const processes = (count: number, extra = (_: number) => '') =>
  lines(
    'version: 1',
    'processes:',
    ...Array.from({ length: count }, (_, index) => `  p${index}: { command: x${extra(index)} }`),
  );

interface Hostile {
  readonly title: string;
  readonly text: string | Buffer;
  /** The exit code this one must end with, when only one is right. */
  readonly exit?: 0 | 2;
}

const HOSTILE: readonly Hostile[] = [
  { title: 'an alias bomb, 9 levels of 9', text: aliasBomb(9, 9), exit: 2 },
  { title: 'an alias bomb, 5 levels deep', text: aliasBomb(5, 9), exit: 2 },
  {
    title: 'an alias bomb inside a process entry',
    text: lines(
      'version: 1',
      'x: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]',
      'y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'z: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'processes:',
      '  api: { command: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c] }',
    ),
    exit: 2,
  },
  { title: 'flow nesting 20 000 deep', text: `version: 1\nx: ${'['.repeat(20_000)}`, exit: 2 },
  {
    title: 'block nesting 300 deep',
    text: lines(
      'version: 1',
      'processes:',
      '  api:',
      '    command: x',
      '    env:',
      ...Array.from({ length: 300 }, (_, level) => `${'  '.repeat(level + 3)}k:`),
    ),
    exit: 2,
  },
  {
    title: 'a 2 MB string',
    text: lines('version: 1', 'processes:', `  api: { command: "${'x'.repeat(2 * 1024 ** 2)}" }`),
    exit: 2,
  },
  {
    title: 'a 500 KB command line, which is allowed',
    text: lines('version: 1', 'processes:', `  api: { command: "${'x'.repeat(500 * 1024)}" }`),
    exit: 0,
  },
  {
    title: 'a 100 KB key',
    text: lines('version: 1', 'processes:', `  ${'k'.repeat(100 * 1024)}: { command: x }`),
    exit: 2,
  },
  {
    title: 'duplicate keys',
    text: lines('version: 1', 'version: 1', 'processes:', '  a: { command: x, command: y }'),
    exit: 2,
  },
  { title: '4 KB of noise', text: noise(4096, 1), exit: 2 },
  { title: '64 KB of noise', text: noise(64 * 1024, 7), exit: 2 },
  {
    title: 'NUL bytes and invalid UTF-8 in a value',
    text: Buffer.concat([
      Buffer.from('version: 1\nprocesses:\n  api: { command: "a'),
      Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('" }\n'),
    ]),
  },
  { title: 'a byte-order mark first', text: `\uFEFF${processes(1)}`, exit: 0 },
  { title: 'an empty file', text: '', exit: 2 },
  { title: 'only a comment', text: '# nothing\n', exit: 2 },
  { title: 'only a document marker', text: '---\n', exit: 2 },
  { title: 'only whitespace', text: '   \n\n  \n', exit: 2 },
  { title: 'a scalar document', text: '42\n', exit: 2 },
  {
    title: 'two documents',
    text: `${processes(1)}---\n${processes(1)}`,
    exit: 2,
  },
  {
    title: 'unknown and language tags',
    text: lines(
      'version: 1',
      'processes:',
      '  api: { command: !!js/function "function () {}" }',
      '  web: { command: !!binary aGVsbG8= }',
    ),
    exit: 2,
  },
  {
    title: 'a complex key',
    text: lines('version: 1', 'processes:', '  ? [a, b]', '  : { command: x }'),
    exit: 2,
  },
  {
    title: 'instances: 1000000000',
    text: lines('version: 1', 'processes:', '  api: { command: x, instances: 1000000000 }'),
    exit: 2,
  },
  {
    title: 'numbers of 400 digits, infinities and NaN',
    text: lines(
      'version: 1',
      'processes:',
      `  api: { command: x, instances: ${'9'.repeat(400)}, restart: { delay: ${'9'.repeat(400)}, factor: .inf, max_restarts: .nan } }`,
      `  web: { command: x, restart: { window: "${'9'.repeat(400)}s" }, limits: { memory: ${'9'.repeat(400)}GB } }`,
    ),
    exit: 2,
  },
  {
    title: '__proto__, constructor and prototype as names and keys',
    text: lines(
      'version: 1',
      '__proto__: { polluted: true }',
      'settings: { __proto__: { max_processes: 1 } }',
      'processes:',
      '  __proto__: { command: x }',
      '  constructor: { command: x }',
      '  api: { command: x, depends_on: { __proto__: started, prototype: healthy }, env: { __proto__: x } }',
      '  web: { command: x, restart: { __proto__: { max_restarts: 1 } } }',
    ),
    exit: 2,
  },
  { title: '2000 processes, each declared', text: processes(2000), exit: 0 },
  {
    title: 'a chain of 1500 dependencies',
    text: processes(1500, (index) => (index === 0 ? '' : `, depends_on: [p${index - 1}]`)),
    exit: 0,
  },
  {
    title: 'a cycle through 1500 processes',
    text: processes(1500, (index) => `, depends_on: [p${(index + 1) % 1500}]`),
    exit: 2,
  },
  {
    title: 'references that are not variables, unclosed and nested',
    text: lines(
      'version: 1',
      'processes:',
      '  api: { command: "x ${UNCLOSED" }',
      '  web: { command: "x ${A:-${B}}" }',
      '  job: { command: "x ${}" }',
    ),
    exit: 2,
  },
  {
    title: 'every kind of value where a map is expected',
    text: lines(
      'version: 1',
      'settings: [1, 2]',
      'processes:',
      '  a: 1',
      '  b: [x]',
      '  c: "x"',
      '  d: true',
      '  e: { command: x, restart: 5, readiness: [], limits: "", sandbox: 0 }',
    ),
    exit: 2,
  },
];

/** An issue line of a refusal: `  line N, column M: path: message`, `  path: message`, or a file-level one. */
const ISSUE_LINE = /^ {2}(line \d+, column \d+: |[^\s:][^:]*: |the file )/;

describe('overseer validate: a file that never ends', () => {
  it.for(['/dev/zero', '/dev/urandom'])(
    '-f %s is refused, not read forever',
    async (device, { expect }) => {
      const result = await execa(process.execPath, [MAIN, 'validate', '-f', device], {
        reject: false,
        env: { NO_COLOR: '1' },
        timeout: ANSWER_WITHIN_MS,
      });
      expect(result.timedOut).toBe(false);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(`overseer: ${device} is not valid:\n  not a regular file`);
    },
  );
});

describe.concurrent('overseer validate: hostile configs end in exit 0 or 2, never a stack trace', () => {
  it.for(HOSTILE)('$title', async ({ text, exit }, { expect, onTestFinished }) => {
    const dir = mkdtempSync(join(tmpdir(), 'overseer-hostile-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'overseer.yaml');
    writeFileSync(path, text);

    const started = performance.now();
    const result = await execa(process.execPath, [MAIN, 'validate', '-f', path], {
      cwd: dir,
      reject: false,
      env: { NO_COLOR: '1' },
      timeout: ANSWER_WITHIN_MS,
    });

    expect(result.timedOut).toBe(false);
    expect(performance.now() - started).toBeLessThan(ANSWER_WITHIN_MS);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/);
    expect([0, 2]).toContain(result.exitCode);
    if (exit !== undefined) expect(result.exitCode).toBe(exit);
    if (result.exitCode === 2) {
      const [header, ...issues] = result.stderr.split('\n');
      expect(header).toBe(`overseer: ${path} is not valid:`);
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) expect(issue).toMatch(ISSUE_LINE);
      // No wording of the schema library gets through.
      expect(result.stderr).not.toMatch(/Invalid input|Invalid option|Unrecognized key|received/);
    }
  });
});
