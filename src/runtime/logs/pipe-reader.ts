/**
 * Reading a child's output pipe into one reused buffer instead of a new 64 KiB Buffer per
 * read. A child printing 100 MB otherwise makes the supervisor allocate 1,600 buffers that
 * only the garbage collector frees, and malloc keeps the memory: tens of MB of RSS growth.
 *
 * `net.Socket` has a public option for exactly this (`onread: { buffer, callback }`), but
 * `child_process.spawn` builds the sockets of a child's pipes itself and does not pass it.
 * So the socket is given what that option would have set: the same private fields (found by
 * their description on a socket built with the option) and the handle's `useUserBuffer`.
 * Where any of that is missing (another Node version), it reports false and the caller
 * reads with 'data' events as usual.
 */
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** Bytes read at a time: a pipe holds 64 KiB by default. */
const READ_BUFFER_BYTES = 64 * 1024;

/**
 * One buffer for every pipe: a read fills it and its callback consumes it synchronously
 * (decoding copies), before libuv reads the next pipe.
 */
let sharedBuffer: Buffer | undefined;

interface OnreadFields {
  readonly buffer: symbol;
  readonly callback: symbol;
}

let fields: OnreadFields | null | undefined;

function onreadFields(): OnreadFields | null {
  if (fields !== undefined) return fields;
  fields = null;
  try {
    // `onread` is a documented Socket option that @types/node 20 leaves out.
    const options = { onread: { buffer: Buffer.alloc(1), callback: () => true } };
    const probe = new Socket(options as ConstructorParameters<typeof Socket>[0]);
    const symbols = Object.getOwnPropertySymbols(probe);
    const named = (name: string) => symbols.find((symbol) => symbol.description === name);
    const buffer = named('kBuffer');
    const callback = named('kBufferCb');
    const probed = probe as unknown as Record<symbol, unknown>;
    if (
      buffer &&
      callback &&
      Buffer.isBuffer(probed[buffer]) &&
      typeof probed[callback] === 'function'
    ) {
      fields = { buffer, callback };
    }
    probe.destroy();
  } catch {
    // Not this Node: the caller falls back to 'data' events.
  }
  return fields;
}

/**
 * Makes `stream` (a child's stdout or stderr, before its first read) deliver each read to
 * `onChunk` in a reused buffer, valid only during the call. Returns false, changing
 * nothing, when this Node does not allow it. Pause and resume keep working.
 */
export function readIntoSharedBuffer(stream: Readable, onChunk: (chunk: Buffer) => void): boolean {
  const known = onreadFields();
  const handle = (stream as unknown as { _handle?: { useUserBuffer?: (buffer: Buffer) => void } })
    ._handle;
  if (!known || !(stream instanceof Socket) || typeof handle?.useUserBuffer !== 'function') {
    return false;
  }
  sharedBuffer ??= Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  const socket = stream as unknown as Record<symbol, unknown>;
  socket[known.buffer] = sharedBuffer;
  socket[known.callback] = (bytes: number, buffer: Buffer) => {
    onChunk(buffer.subarray(0, bytes));
  };
  // The socket of a child's pipe reads from the start; the end of the pipe still ends the
  // stream ('end', then 'close'). No resume(): its deferred read(0) would restart reading
  // after a pause made in the same tick.
  handle.useUserBuffer(sharedBuffer);
  return true;
}
