// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * The block-style reader that shell completion uses instead of loading the YAML parser:
 * whatever it reads must be what the parser reads, and on any text the parser rejects it
 * must give up (so that a broken config offers no names). Held against the parser on the
 * project's own configs, on hand-written cases, and on many mutations of a config.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALIAS, type BlockValue, readBlockYaml, UNREAD } from '../../src/config/block-yaml.js';

const CONFIGS = [
  'examples/demo/overseer.yaml',
  'examples/workflows/overseer.yaml',
  'examples/resilience/overseer.yaml',
  'test/fixtures/configs/equivalent/overseer.yaml',
].map((path) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8'));

const PLAIN = `version: 1
# comment
defaults:
  namespace: backend      # every process's
processes:
  db:
    command: postgres -D ./data
    readiness: { tcp: "127.0.0.1:5432" }
  api:
    command: node server.js
    env: { PORT: "3000", URL: "\${DATABASE_URL:-postgres://localhost/app}" }
    depends_on:
    - db
    description: >-
      the api: serves
      requests
    namespace: 'front''end'
  worker:
    command: [node, worker.js]
    instances: 2
    labels:
      team: core
`;

/** The parser's reading, as the loader asks for it (merge keys, bounded aliases). */
function parsed(text: string): unknown {
  return parse(text, { merge: true, maxAliasCount: 100 });
}

/** Whether every value the block reader read is the parser's, key for key, in order. */
function agrees(block: BlockValue, value: unknown): boolean {
  if (block === UNREAD || block === ALIAS) return true;
  if (block === null || typeof block !== 'object') return Object.is(block, value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(block);
  if (keys.join('\n') !== Object.keys(value).join('\n')) return false;
  return keys.every((key) => agrees(block[key]!, (value as Record<string, unknown>)[key]));
}

/** Whether the YAML parser rejects `text`. */
function rejected(text: string): boolean {
  try {
    parsed(text);
    return false;
  } catch {
    return true;
  }
}

describe('readBlockYaml', () => {
  it('reads a plain block config as the parser does', () => {
    const block = readBlockYaml(PLAIN)!;
    expect(agrees(block, parsed(PLAIN))).toBe(true);
    expect(block.processes).toMatchObject({
      api: { namespace: "front'end", depends_on: UNREAD, env: UNREAD },
      worker: { instances: 2 },
    });
    expect(block.defaults).toEqual({ namespace: 'backend' });
  });

  it("reads the project's own configs, each as the parser does", () => {
    for (const text of CONFIGS) {
      const block = readBlockYaml(text);
      if (block) expect(agrees(block, parsed(text))).toBe(true);
    }
    // The demo's anchors and aliases are in values completion does not read.
    expect(readBlockYaml(CONFIGS[0]!)).toBeDefined();
  });

  it.each([
    ['an unclosed quote', 'processes:\n  api:\n    command: "node\n'],
    ['an unclosed bracket', 'processes:\n  api: { command: x\n'],
    ['an odd indent', 'processes:\n    api:\n      command: x\n  web:\n    command: y\n'],
    ['a tab in an indent', 'processes:\n\tapi:\n\t\tcommand: x\n'],
    ['a repeated key', 'processes:\n  api:\n    command: x\n  api:\n    command: y\n'],
    ['a mapping in a plain value', 'processes:\n  api:\n    command: a: b\n'],
    ['a list where a key is expected', 'processes:\n  - api\n  web: {}\n'],
  ])('gives up on %s, which the parser rejects', (_, text) => {
    expect(rejected(text)).toBe(true);
    expect(readBlockYaml(text)).toBeUndefined();
  });

  it.each([
    ['a merge key', 'x: &x { namespace: a }\nprocesses:\n  api:\n    <<: *x\n'],
    ['a second document', 'processes: {}\n---\nprocesses: {}\n'],
    ['a plain value under a key', 'processes:\n  api\n'],
    ['a multi-line plain value', 'processes:\n  api:\n    command: node\n      server.js\n'],
  ])('gives up on %s, which it leaves to the parser', (_, text) => {
    expect(readBlockYaml(text)).toBeUndefined();
  });

  it('marks an alias, whose value only the parser knows', () => {
    const block = readBlockYaml('ns: &ns backend\nprocesses:\n  api:\n    namespace: *ns\n')!;
    expect(block.processes).toEqual({ api: { namespace: ALIAS } });
  });

  it('never reads differently from the parser, nor reads what it rejects, on mutated configs', () => {
    // A fixed sequence of mutations: the same cases on every run.
    let seed = 17;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const pieces = [
      ' ',
      '  ',
      '\n',
      ':',
      '- ',
      '"',
      "'",
      '#',
      '{',
      '}',
      '[',
      ']',
      '&a ',
      '*a',
      '\t',
    ];
    for (const base of [PLAIN, CONFIGS[0]!]) {
      for (let round = 0; round < 100; round++) {
        let text = base;
        for (let edit = 0; edit <= random(3); edit++) {
          const at = random(text.length);
          const piece = pieces[random(pieces.length)]!;
          text =
            random(2) === 0
              ? text.slice(0, at) + piece + text.slice(at)
              : text.slice(0, at) + text.slice(at + 1 + random(4));
        }
        const block = readBlockYaml(text);
        if (!block) continue;
        // Parsed once: the parser is the slow part of this test.
        let value: unknown;
        expect(() => {
          value = parsed(text);
        }, JSON.stringify(text)).not.toThrow();
        expect(agrees(block, value), JSON.stringify(text)).toBe(true);
      }
    }
  });
});
