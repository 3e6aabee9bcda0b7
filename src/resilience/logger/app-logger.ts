/**
 * `createLogger`: a structured logger for the programs overseer runs, on pino. JSON lines
 * as pino writes them, categories a `DEBUG` variable can turn up, timers, child loggers.
 * No pino type shows in what it exports, so what is underneath can change.
 */
import pino from 'pino';
import { type LevelGate, LevelGates } from './level-gates.js';
import { type AppLineLevel, type AppLogLevel, LEVEL_VALUES } from './levels.js';
import { type AppLoggerOptions, CATEGORY_NAME, readOptions } from './logger-options.js';
import type { LineSink } from './sinks.js';

/** Writes a line: a message, or fields and a message; an `Error` as `err`, with its stack. */
export interface LogMethod {
  (message: string): void;
  (fields: object, message?: string): void;
}

/** A running `time()`: `done` writes the line and gives the duration. */
export interface LogTimer {
  /** Writes the label with `durationMs` (and `fields`) at info; returns the duration in ms. */
  done(fields?: object): number;
}

export interface AppLogger {
  /** The logger's name, or its category's (`app:db`). */
  readonly name: string;
  readonly trace: LogMethod;
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  readonly fatal: LogMethod;
  /** A logger whose lines carry `fields` too; same category, same level. */
  child(fields: Record<string, unknown>): AppLogger;
  /** The logger of category `<this name>:<name>`, which `DEBUG` patterns match. */
  category(name: string): AppLogger;
  /** Starts a timer on `performance.now()`. */
  time(label: string, fields?: object): LogTimer;
  /** Whether a line at `level` would be written by this logger now. */
  isLevelEnabled(level: AppLineLevel): boolean;
  /** The level of this logger and all those made from it. */
  level(): AppLogLevel;
  /** Sets the level of this logger and all those made from it (over `LOG_LEVEL` too). */
  setLevel(level: AppLogLevel): void;
  /** Turns the categories `pattern` matches up to debug; it decides over earlier patterns. */
  enableCategory(pattern: string): void;
  /** Turns the categories `pattern` matches down to warn; it decides over earlier patterns. */
  disableCategory(pattern: string): void;
  /** Resolves once every line written so far is out (in the file, for a file). */
  flush(): Promise<void>;
}

/** What every logger made from one `createLogger` shares. */
interface LoggerTree {
  readonly root: pino.Logger;
  readonly gates: LevelGates;
  readonly sink: LineSink;
  readonly now: () => number;
}

export function createLogger(options: AppLoggerOptions): AppLogger {
  const { name, level, categories, sink, now } = readOptions(options);
  const root = pino(
    {
      name,
      // Every level reaches pino: the gates decide, before pino is called.
      level: 'trace',
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    sink as pino.DestinationStream,
  );
  const tree: LoggerTree = { root, gates: new LevelGates(level, categories), sink, now };
  return appLogger(tree, root, name);
}

function appLogger(tree: LoggerTree, logger: pino.Logger, name: string): AppLogger {
  const gate = tree.gates.gate(name);
  return {
    name,
    trace: gated(logger, gate, 'trace'),
    debug: gated(logger, gate, 'debug'),
    info: gated(logger, gate, 'info'),
    warn: gated(logger, gate, 'warn'),
    error: gated(logger, gate, 'error'),
    fatal: gated(logger, gate, 'fatal'),
    child: (fields) => appLogger(tree, logger.child(withoutCategory(fields)), name),
    category(sub) {
      if (typeof sub !== 'string' || !CATEGORY_NAME.test(sub)) {
        throw new TypeError(
          `category: a name must be a word with no space, comma or *, got ${JSON.stringify(sub)}`,
        );
      }
      const full = `${name}:${sub}`;
      // From the root with this logger's fields, so that a nested category, and the name
      // pino binds at the root, are each written once.
      const { name: _root, ...bindings } = withoutCategory(logger.bindings());
      return appLogger(tree, tree.root.child({ ...bindings, category: full }), full);
    },
    time(label, fields) {
      const started = tree.now();
      return {
        done: (more) => {
          const durationMs = Math.round((tree.now() - started) * 1000) / 1000;
          if (LEVEL_VALUES.info >= gate.threshold) {
            logger.info({ ...fields, ...more, durationMs }, label);
          }
          return durationMs;
        },
      };
    },
    isLevelEnabled: (level) => LEVEL_VALUES[level] >= gate.threshold,
    level: () => tree.gates.level(),
    setLevel: (level) => tree.gates.setLevel(level),
    enableCategory: (pattern) => tree.gates.setCategory(pattern, true),
    disableCategory: (pattern) => tree.gates.setCategory(pattern, false),
    flush: () => tree.sink.flush(),
  };
}

/** pino's method for `level`, called only when the gate lets the line through. */
function gated(logger: pino.Logger, gate: LevelGate, level: AppLineLevel): LogMethod {
  const value = LEVEL_VALUES[level];
  const write = logger[level].bind(logger) as (first: unknown, message?: string) => void;
  return (first: string | object, message?: string) => {
    if (value < gate.threshold) return;
    if (message === undefined) write(first);
    else write(first, message);
  };
}

/** `category` is the logger's to write, once, not a field to bind. */
function withoutCategory(fields: Record<string, unknown>): Record<string, unknown> {
  if (!('category' in fields)) return fields;
  const { category: _category, ...rest } = fields;
  return rest;
}
