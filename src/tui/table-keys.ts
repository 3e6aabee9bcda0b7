/**
 * What a key means while the process table has the keys: a command the dashboard carries
 * out. Pure, so the map of keys is tested apart from rendering (and matches `KEYMAP`).
 */
import type { Key } from 'ink';
import type { Verb } from './actions.js';
import { stepsOf } from './scroll.js';

export type TableCommand =
  | { readonly type: 'move'; readonly by: number }
  | { readonly type: 'page'; readonly by: 1 | -1 }
  | { readonly type: 'edge'; readonly to: 'first' | 'last' }
  | { readonly type: 'open' }
  | { readonly type: 'fold'; readonly unfold: boolean | 'toggle' }
  | { readonly type: 'filter' }
  | { readonly type: 'clear' }
  | { readonly type: 'namespace' }
  | { readonly type: 'sort' }
  | { readonly type: 'reverse' }
  | { readonly type: 'act'; readonly verb: Verb }
  | { readonly type: 'reach' }
  | { readonly type: 'logs' }
  | { readonly type: 'zoom' }
  | { readonly type: 'tasks' }
  | { readonly type: 'workflows' }
  | { readonly type: 'letters' }
  | { readonly type: 'help' }
  | { readonly type: 'quit' };

const LETTERS: Readonly<Record<string, TableCommand>> = {
  g: { type: 'edge', to: 'first' },
  G: { type: 'edge', to: 'last' },
  ' ': { type: 'fold', unfold: 'toggle' },
  '/': { type: 'filter' },
  n: { type: 'namespace' },
  o: { type: 'sort' },
  O: { type: 'reverse' },
  s: { type: 'act', verb: 'start' },
  x: { type: 'act', verb: 'stop' },
  r: { type: 'act', verb: 'restart' },
  R: { type: 'act', verb: 'reload' },
  K: { type: 'act', verb: 'signal' },
  S: { type: 'act', verb: 'scale' },
  A: { type: 'reach' },
  t: { type: 'tasks' },
  w: { type: 'workflows' },
  d: { type: 'letters' },
  z: { type: 'zoom' },
  '?': { type: 'help' },
  q: { type: 'quit' },
};

export function tableCommandOf(input: string, key: Key): TableCommand | undefined {
  if (key.upArrow) return { type: 'move', by: -1 };
  if (key.downArrow) return { type: 'move', by: 1 };
  if (key.pageUp) return { type: 'page', by: -1 };
  if (key.pageDown) return { type: 'page', by: 1 };
  if (key.rightArrow) return { type: 'fold', unfold: true };
  if (key.leftArrow) return { type: 'fold', unfold: false };
  if (key.return) return { type: 'open' };
  if (key.escape) return { type: 'clear' };
  if (key.tab) return { type: 'logs' };
  if (key.ctrl || key.meta) return undefined;
  const steps = stepsOf(input);
  if (steps !== 0) return { type: 'move', by: steps };
  return LETTERS[input];
}
