/**
 * A reader of the plain block-style YAML most configs are written in, line by line, for
 * shell completion: loading the YAML parser takes longer than the rest of a completion
 * together. It reads nested maps and plain or simply quoted scalars, and stands in a marker
 * for what it does not look into (lists, flow collections, block scalars, quoted text with
 * escapes, aliases). On anything else, or anything it cannot vouch for (a tab in an indent,
 * an unclosed quote or bracket, an odd indent, a repeated key, a merge key, several
 * documents), it gives up, and the caller parses the text with the YAML parser instead.
 */

/** A value read but not looked into: a list, a flow collection, a block or escaped scalar. */
export const UNREAD = Symbol('unread');
/** An alias (`*name`): what it stands for is known only to the YAML parser. */
export const ALIAS = Symbol('alias');

export type BlockValue = string | number | boolean | null | BlockMap | typeof UNREAD | typeof ALIAS;
export interface BlockMap {
  [key: string]: BlockValue;
}

const KEY_LINE = /^([A-Za-z0-9_$][\w.$/-]*)[ \t]*:(?:[ \t]+(.*))?$/;
const ANCHOR = /^&([^\s,[\]{}]+)(?:[ \t]+|$)/;
/** The end of a line after a value: nothing, or a comment set off by a space. */
const LINE_END = String.raw`(?:[ \t]+#.*)?[ \t]*$`;
const DOUBLE_QUOTED = new RegExp(`^"([^"\\\\]*)"${LINE_END}`);
const ESCAPED_DOUBLE_QUOTED = new RegExp(`^"(?:[^"\\\\]|\\\\.)*"${LINE_END}`);
const SINGLE_QUOTED = new RegExp(`^'((?:[^']|'')*)'${LINE_END}`);
const BLOCK_SCALAR = new RegExp(`^[|>][-+]?${LINE_END}`);
const ALIAS_VALUE = new RegExp(`^\\*([^\\s,[\\]{}]+)${LINE_END}`);

/** Thrown inside, caught at the top: the text is not one this reader vouches for. */
class NotPlainBlock extends Error {}

/** The document as nested maps, or undefined when the YAML parser must read it. */
export function readBlockYaml(text: string): BlockMap | undefined {
  try {
    return read(text);
  } catch (error) {
    if (error instanceof NotPlainBlock) return undefined;
    throw error;
  }
}

/** A map without a prototype, so that no key (`__proto__`) is anything but a key. */
function newMap(): BlockMap {
  return Object.create(null) as BlockMap;
}

function giveUp(): never {
  throw new NotPlainBlock();
}

function read(text: string): BlockMap {
  const root = newMap();
  // An alias must name an anchor set before it: the parser rejects any other.
  const anchors = new Set<string>();
  const open: Array<{ indent: number; map: BlockMap }> = [{ indent: 0, map: root }];
  let pending: { map: BlockMap; key: string; indent: number } | undefined;
  let listIndent: number | undefined;
  let seenContent = false;
  // The block scalar being skipped: the indent of its key, then of its first line.
  let block: { keyIndent: number; indent?: number; blankWidth: number } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (block && content === '') {
      block.blankWidth = Math.max(block.blankWidth, line.length);
      continue;
    }
    if (block && indent > block.keyIndent) {
      // The first line sets the indent of them all; a blank line before may not be wider.
      block.indent ??= indent;
      if (indent < block.indent || block.blankWidth > block.indent) giveUp();
      continue;
    }
    block = undefined;
    if (content === '' || content.startsWith('#')) continue;
    if (line.slice(0, indent).includes('\t')) giveUp();
    if (!seenContent && /^---[ \t]*(#.*)?$/.test(content)) {
      seenContent = true;
      continue;
    }
    seenContent = true;
    if (content === '-' || content.startsWith('- ')) {
      // A list of one-line values, its items at one indent: nothing deeper is looked into.
      const starts = pending !== undefined && indent >= pending.indent;
      if (!starts && indent !== listIndent) giveUp();
      if (pending) pending.map[pending.key] = UNREAD;
      pending = undefined;
      listIndent = indent;
      const item = content.slice(1).trim();
      if (item === '' || KEY_LINE.test(item)) giveUp();
      writtenValue(item, anchors);
      continue;
    }
    listIndent = undefined;
    const match = KEY_LINE.exec(content) ?? giveUp();
    const key = match[1]!;
    let map: BlockMap;
    if (pending && indent > pending.indent) {
      map = newMap();
      pending.map[pending.key] = map;
      open.push({ indent, map });
    } else {
      if (pending) pending.map[pending.key] = null;
      while (open.length > 1 && open.at(-1)!.indent > indent) open.pop();
      if (open.at(-1)!.indent !== indent) giveUp();
      map = open.at(-1)!.map;
    }
    pending = undefined;
    if (key === '<<' || Object.hasOwn(map, key)) giveUp();
    const value = (match[2] ?? '').trim();
    const anchor = ANCHOR.exec(value);
    if (anchor) anchors.add(anchor[1]!);
    const written = value.slice(anchor?.[0].length ?? 0).trim();
    if (written === '' || written.startsWith('#')) {
      map[key] = null;
      pending = { map, key, indent };
    } else if (BLOCK_SCALAR.test(written)) {
      map[key] = UNREAD;
      block = { keyIndent: indent, blankWidth: 0 };
    } else {
      map[key] = writtenValue(written, anchors);
    }
  }
  return root;
}

/** A scalar or flow collection written on one line after `key: ` or `- `. */
function writtenValue(written: string, anchors: ReadonlySet<string>): BlockValue {
  const first = written[0];
  if (first === undefined) return null;
  if (first === '*') {
    const alias = ALIAS_VALUE.exec(written) ?? giveUp();
    return anchors.has(alias[1]!) ? ALIAS : giveUp();
  }
  if (first === '"') {
    const plain = DOUBLE_QUOTED.exec(written);
    if (plain) return plain[1]!;
    return ESCAPED_DOUBLE_QUOTED.test(written) ? UNREAD : giveUp();
  }
  if (first === "'") {
    const quoted = SINGLE_QUOTED.exec(written) ?? giveUp();
    return quoted[1]!.replaceAll("''", "'");
  }
  if (first === '[' || first === '{') return closedFlow(written, anchors) ? UNREAD : giveUp();
  if ('&!%@`|>?-,]}#'.includes(first) && !/^-[0-9.]/.test(written)) giveUp();
  const text = written.replace(/[ \t]+#.*$/, '');
  if (/:([ \t]|$)/.test(text)) giveUp();
  return scalarOf(text);
}

/**
 * Whether a flow collection opens and closes on this line, and holds only plain or quoted
 * scalars, aliases, `key: value` pairs in maps, and flow collections: what the parser would
 * reject in it, this rejects too.
 */
function closedFlow(written: string, anchors: ReadonlySet<string>): boolean {
  const end = flowNode(written, 0, anchors);
  return new RegExp(`^${LINE_END}`).test(written.slice(end));
}

const FLOW_SPACE = /[ \t]*/y;
const FLOW_DOUBLE = /"(?:[^"\\]|\\.)*"/y;
const FLOW_SINGLE = /'(?:[^']|'')*'/y;
const FLOW_ALIAS = /\*([^\s,[\]{}]+)/y;
// A plain scalar inside a flow: no indicator first, no `,[]{}`, no `: ` or ` #` within.
const FLOW_PLAIN =
  /(?:[^-?:,[\]{}#&*!|>'"%@`\s]|-(?=[^\s,[\]{}]))(?:[^,[\]{}:#\s]|:(?=[^\s,[\]{}])|[ \t]+(?=[^\s,[\]{}:#])|#)*/y;

/** The index past the flow node (collection or scalar) at `at`, past spaces; or give up. */
function flowNode(text: string, at: number, anchors: ReadonlySet<string>): number {
  const start = skipFlowSpace(text, at);
  const open = text[start];
  if (open === '[' || open === '{') {
    return flowCollection(text, start, open === '[' ? ']' : '}', anchors);
  }
  FLOW_ALIAS.lastIndex = start;
  const alias = FLOW_ALIAS.exec(text);
  if (alias) return anchors.has(alias[1]!) ? skipFlowSpace(text, FLOW_ALIAS.lastIndex) : giveUp();
  for (const pattern of [FLOW_DOUBLE, FLOW_SINGLE, FLOW_PLAIN]) {
    pattern.lastIndex = start;
    if (pattern.test(text)) return skipFlowSpace(text, pattern.lastIndex);
  }
  return giveUp();
}

function flowCollection(
  text: string,
  open: number,
  closer: string,
  anchors: ReadonlySet<string>,
): number {
  let at = skipFlowSpace(text, open + 1);
  while (text[at] !== closer) {
    at = flowNode(text, at, anchors);
    if (closer === '}' && text[at] === ':') at = flowNode(text, at + 1, anchors);
    if (text[at] === ',') at = skipFlowSpace(text, at + 1);
    else if (text[at] !== closer) giveUp();
  }
  return skipFlowSpace(text, at + 1);
}

function skipFlowSpace(text: string, at: number): number {
  FLOW_SPACE.lastIndex = at;
  FLOW_SPACE.test(text);
  return FLOW_SPACE.lastIndex;
}

/** A plain scalar as YAML's core schema reads it; anything but a plain word or integer: give up. */
function scalarOf(text: string): BlockValue {
  if (/^(?:null|Null|NULL|~)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  // Floats, hex, octal, infinities: read as numbers by YAML, and no name is one.
  if (/^[-+]?(?:\.[0-9]|[0-9]+\.|0[xo]|\.inf|\.nan)/i.test(text) || /^[0-9.]+e/i.test(text)) {
    return UNREAD;
  }
  return text;
}
