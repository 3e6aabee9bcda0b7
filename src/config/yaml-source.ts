/**
 * Reading overseer.yaml: the file (a regular file of at most `MAX_CONFIG_BYTES`), the YAML
 * (its errors once each, aliases expanded a bounded number of times, `<<:` merge keys
 * honoured, no list or map as a key), `${VAR}` interpolation (not into the `x-` keys, which
 * nobody reads), and a way to find where a dotted path sits in the source, through aliases
 * and merge keys, so that every issue found later can name its line and column.
 */
import { readFileSync, statSync } from 'node:fs';
import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
} from 'yaml';
import type { SpecIssue } from '../core/errors.js';
import { formatSize } from '../core/units.js';
import { withoutExtensionKeys } from './extension-keys.js';
import { ConfigError, type ConfigIssue, MAX_CONFIG_BYTES } from './files.js';
import { interpolate } from './interpolate.js';
import { UNKNOWN_KEY } from './messages.js';
import {
  NAME_LENGTH_MESSAGE,
  PROCESS_NAME_MESSAGE,
  RESERVED_NAME_MESSAGE,
} from './process-schema.js';
import { RESERVED_VARIABLE_MESSAGE } from './reserved-keys.js';

/** How many alias expansions a YAML file may make: enough for anchors, not for a bomb. */
const MAX_ALIAS_COUNT = 100;

/** A parsed config and a way to find where a path sits in the source. */
export interface RawConfig {
  readonly value: unknown;
  readonly locate: (issues: readonly SpecIssue[]) => ConfigIssue[];
  /** The dotted paths of strings `${VAR}` was interpolated into (YAML only). */
  readonly interpolated?: ReadonlySet<string>;
}

/** Reads, parses and interpolates `configPath`; throws `ConfigError` on the first step that fails. */
export function readYamlConfig(configPath: string, env: NodeJS.ProcessEnv): RawConfig {
  const text = readConfigText(configPath);
  const lineCounter = new LineCounter();
  // `merge`: the `<<: *common` of compose files, so their anchors work here too.
  const document = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    merge: true,
  });
  if (document.errors.length > 0) throw new ConfigError(configPath, yamlIssues(document.errors));
  const complexKey = firstCollectionKey(document, lineCounter);
  if (complexKey) {
    throw new ConfigError(configPath, [
      { path: '', message: 'YAML: a key must be a plain name, not a list or a map', ...complexKey },
    ]);
  }
  if (document.contents === null) {
    throw new ConfigError(configPath, [
      { path: '', message: 'the file is empty: expected a map with version and processes' },
    ]);
  }
  const locate = (issues: readonly SpecIssue[]): ConfigIssue[] =>
    issues
      .map((issue): ConfigIssue => {
        const offset = offsetOf(document, issue);
        if (offset === undefined) return issue;
        const { line, col } = lineCounter.linePos(offset);
        return { ...issue, line, column: col };
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const issues: SpecIssue[] = [];
  const interpolated = new Set<string>();
  const value = interpolate(
    withoutExtensionKeys(toPlainValue(configPath, document, lineCounter)),
    env,
    issues,
    [],
    (path) => interpolated.add(path),
  );
  if (issues.length > 0) throw new ConfigError(configPath, locate(issues));
  return { value, locate, interpolated };
}

/** The most parser errors reported: past a broken bracket, the rest only repeat it. */
const MAX_YAML_ISSUES = 20;

/** The parser's errors, each once, at most `MAX_YAML_ISSUES` of them. */
function yamlIssues(errors: YamlDocument['errors']): ConfigIssue[] {
  const unique = new Map<string, ConfigIssue>();
  for (const error of errors) {
    const issue = {
      path: '',
      message: `YAML: ${yamlMessage(error.message)}`,
      line: error.linePos?.[0].line,
      column: error.linePos?.[0].col,
    };
    unique.set(`${issue.line}:${issue.column}:${issue.message}`, issue);
  }
  const issues = [...unique.values()];
  if (issues.length <= MAX_YAML_ISSUES) return issues;
  return [
    ...issues.slice(0, MAX_YAML_ISSUES),
    { path: '', message: `YAML: ${issues.length - MAX_YAML_ISSUES} more errors not shown` },
  ];
}

/** Where the first key that is a list or a map sits: JavaScript objects cannot hold one. */
function firstCollectionKey(
  document: YamlDocument,
  lineCounter: LineCounter,
): { line: number; column: number } | undefined {
  let offset: number | undefined;
  visit(document, {
    Pair: (_, pair) => {
      if (!isCollection(pair.key)) return undefined;
      offset = pair.key.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** The first line of a parser's message, its position left to the issue's line and column. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The parser runs out of stack on nesting thousands of levels deep; say what that means.
  return /call stack/i.test(first) ? 'nested too deeply to be read' : first;
}

/**
 * The document as plain data. Aliases are expanded at most `MAX_ALIAS_COUNT` times: a file
 * of aliases of aliases ("billion laughs") would otherwise take all memory.
 */
function toPlainValue(
  configPath: string,
  document: YamlDocument,
  lineCounter: LineCounter,
): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const where = firstAliasPosition(document, lineCounter);
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `YAML: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} expansions): refused as a resource exhaustion attack`
        : `YAML: ${yamlMessage((error as Error).message)}`;
    throw new ConfigError(configPath, [{ path: '', message, ...where }]);
  }
}

function firstAliasPosition(
  document: YamlDocument,
  lineCounter: LineCounter,
): { line: number; column: number } | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias: (_, node) => {
      if (isAlias(node)) offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

type YamlDocument = ReturnType<typeof parseDocument>;

/** Issues about a key itself (not its value): located at the key. */
const KEY_ISSUES = new Set([
  UNKNOWN_KEY,
  RESERVED_VARIABLE_MESSAGE,
  PROCESS_NAME_MESSAGE,
  RESERVED_NAME_MESSAGE,
  NAME_LENGTH_MESSAGE,
]);

/**
 * Where an issue sits in the source: at the value when it is a bad scalar; else at the key
 * of its entry (an unknown key, a block that starts on the next line, a null value); for a
 * missing entry, at the key of the closest entry that exists. A value that came through an
 * alias or a `<<:` merge key is found where it is written: in the anchored node.
 */
function offsetOf(document: YamlDocument, issue: SpecIssue): number | undefined {
  const keys: unknown[] = issue.path === '' ? [] : issue.path.split('.').map(keyOf);
  for (let length = keys.length; length >= 0; length -= 1) {
    const path = keys.slice(0, length);
    const node = nodeAt(document, path);
    const atValue = length === keys.length && !KEY_ISSUES.has(issue.message);
    if (atValue && isScalar(node) && node.value !== null) return node.range?.[0];
    const key = keyNodeAt(document, path);
    if (key) return key.range?.[0];
    if (isNode(node)) return node.range?.[0];
  }
  return undefined;
}

/** The key node of the map entry at `path`, when `path` ends in a map entry. */
function keyNodeAt(document: YamlDocument, path: readonly unknown[]): Node | undefined {
  if (path.length === 0) return undefined;
  const key = pairIn(document, nodeAt(document, path.slice(0, -1)), path.at(-1))?.key;
  return isNode(key) ? key : undefined;
}

/** The node at `path`, aliases followed to their anchors, merge keys looked into. */
function nodeAt(document: YamlDocument, path: readonly unknown[]): Node | undefined {
  let node = anchored(document, document.contents);
  for (const key of path) {
    if (isMap(node)) node = anchored(document, pairIn(document, node, key)?.value);
    else if (isSeq(node) && typeof key === 'number') node = anchored(document, node.items[key]);
    else return undefined;
  }
  return node;
}

/** What `node` stands for: the anchored node of an alias, else itself. */
function anchored(document: YamlDocument, node: unknown): Node | undefined {
  const resolved = isAlias(node) ? node.resolve(document) : node;
  return isNode(resolved) ? resolved : undefined;
}

/** How deep `<<:` merges are followed: past this, a merge of merges is not looked into. */
const MAX_MERGE_DEPTH = 16;

/**
 * The entry `key` of the map `map`: its own, else the first found in what its `<<:` merge
 * keys bring in (in order: the first listed wins, as YAML merges them).
 */
function pairIn(
  document: YamlDocument,
  map: Node | undefined,
  key: unknown,
  depth = 0,
): Pair | undefined {
  if (!isMap(map) || depth > MAX_MERGE_DEPTH) return undefined;
  const name = String(key);
  const own = map.items.find(
    (item) => isScalar(item.key) && !isMergeKey(item) && String(item.key.value) === name,
  );
  if (own) return own;
  for (const merge of map.items.filter(isMergeKey)) {
    const source = anchored(document, merge.value);
    const sources = isSeq(source) ? source.items.map((item) => anchored(document, item)) : [source];
    for (const from of sources) {
      const found = pairIn(document, from, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** A `<<:` entry: its key is the parser's merge symbol, not the text `<<`. */
function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === 'symbol';
}

function keyOf(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}

function readConfigText(configPath: string): string {
  try {
    const stat = statSync(configPath);
    // A device or a pipe (/dev/zero, a FIFO) would be read forever.
    if (!stat.isFile()) {
      throw new ConfigError(configPath, [{ path: '', message: 'not a regular file' }]);
    }
    const { size } = stat;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(configPath, [
        {
          path: '',
          message: `the file is ${formatSize(size)}: a config may be at most ${formatSize(MAX_CONFIG_BYTES)}`,
        },
      ]);
    }
    return readFileSync(configPath, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(configPath, [{ path: '', message: (error as Error).message }]);
  }
}
