/**
 * Where the logger's lines go: stdout, a stream given in the options, a file (rotated or
 * not), each behind one small interface so the logger neither knows nor cares which.
 */
import pino from 'pino';

/** Takes the logger's lines, one JSON text each, newline included. */
export interface LineSink {
  write(line: string): unknown;
  /** Resolves once every line taken so far is written. */
  flush(): Promise<void>;
}

/**
 * A stream to write to instead of stdout: a `Writable`, or anything with `write`. Pretty
 * output is coloured when `isTTY` is true.
 */
export interface AppLogDestination {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** Standard output, written synchronously as pino does by default: nothing to flush. */
export function stdoutSink(): LineSink {
  const stream = pino.destination({ fd: 1, sync: true });
  return { write: (line) => stream.write(line), flush: () => Promise.resolve() };
}

/** A stream of the caller's; flushed once it has drained what it was given. */
export function destinationSink(destination: AppLogDestination): LineSink {
  return {
    write: (line) => destination.write(line),
    flush: () => drained(destination),
  };
}

function drained(destination: AppLogDestination): Promise<void> {
  const stream = destination as Partial<NodeJS.WritableStream> & {
    writableNeedDrain?: boolean;
  };
  if (stream.writableNeedDrain !== true || typeof stream.once !== 'function') {
    return Promise.resolve();
  }
  return new Promise((resolve) => stream.once?.('drain', () => resolve()));
}
