/**
 * `shutdownOnSignals`: what a host process does with the signals that end it. A host killed
 * in the middle of its shutdown (a second SIGTERM a few ms after the first, as from an
 * impatient process manager) must still leave no child behind, and the host ends as the
 * signal would have ended it. Real host processes (test/fixtures/library-host.ts), real
 * signals.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, isGone, trackPid } from '../helpers.js';

afterEach(cleanup);

const HOST = fileURLToPath(new URL('../../fixtures/library-host.ts', import.meta.url));

interface Host {
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** The pids of its children, once they all run. */
  readonly pids: Promise<number[]>;
  /** Resolves once the host has printed `text` as a line (subscribed before acting). */
  readonly line: (text: string) => Promise<void>;
  /** How it ended. */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a host whose children each take `stopMs` to stop after SIGTERM. */
function startHost(stopMs: number): Host {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST, String(stopMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  trackPid(child.pid!);
  const lines: string[] = [];
  const awaited = new Map<string, () => void>();
  const line = (text: string) =>
    lines.includes(text)
      ? Promise.resolve()
      : new Promise<void>((resolve) => awaited.set(text, resolve));
  let buffer = '';
  const pids = new Promise<number[]>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const complete = buffer.split('\n');
      buffer = complete.pop() ?? '';
      for (const text of complete) {
        lines.push(text);
        awaited.get(text)?.();
        if (text.startsWith('[')) resolve((JSON.parse(text) as number[]).map(trackPid));
      }
    });
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, pids, line, ended };
}

describe('shutdownOnSignals', () => {
  it('a second SIGTERM right after the first leaves no child running: it forces the stop', async () => {
    const host = startHost(500);
    const pids = await host.pids;
    expect(pids).toHaveLength(3);

    // The second is sent as soon as the host has taken the first: sent blindly a few ms
    // later, on a busy machine both may be pending at once, and the kernel keeps one.
    const tookFirst = host.line('SIGTERM graceful');
    host.child.kill('SIGTERM');
    await tookFirst;
    host.child.kill('SIGTERM');
    const ended = await host.ended;

    expect(pids.filter((pid) => !isGone(pid))).toEqual([]);
    expect(host.lines.slice(-2)).toEqual(['SIGTERM graceful', 'SIGTERM forced']);
    // Ended as SIGTERM ends a process, once its children were gone.
    expect(ended).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('one signal stops the stack gracefully, then ends the host as that signal would', async () => {
    const host = startHost(50);
    const pids = await host.pids;

    host.child.kill('SIGHUP');
    const ended = await host.ended;

    expect(ended).toEqual({ code: null, signal: 'SIGHUP' });
    expect(host.lines.at(-1)).toBe('SIGHUP graceful');
    expect(pids.filter((pid) => !isGone(pid))).toEqual([]);
  });
});
