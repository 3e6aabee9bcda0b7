/**
 * One try of a command delivery: `/bin/sh -c command` in a process group of its own, the
 * alert's JSON on its stdin and `OVERSEER_ALERT_*` in its environment. Past the timeout the
 * whole group is killed: a notifier that forks (curl in a script) must not outlive its try.
 */
import { spawn } from 'node:child_process';
import type { TryOutcome } from '../../core/alerts/delivery.js';

export interface CommandTry {
  readonly command: string;
  /** Where it runs: the config's folder for the daemon. */
  readonly cwd: string | undefined;
  readonly body: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** What of a failed command's stderr is kept to say why it failed. */
const STDERR_TAIL = 500;

/** Runs the command once; exit 0 is delivered, any other end is worth a retry. */
export function runAlertCommand({
  command,
  cwd,
  body,
  env,
  timeoutMs,
  signal,
}: CommandTry): Promise<TryOutcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      detached: true,
      cwd,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stderr = '';
    let why: string | undefined;
    const killGroup = (reason: string) => {
      why ??= reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => killGroup(`killed after ${timeoutMs}ms`), timeoutMs);
    const onAbort = () => killGroup('given up: the alerts were closed');
    signal.addEventListener('abort', onAbort, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    // A command that does not read its stdin closes it early: not a failure of the alert.
    child.stdin.on('error', () => {});
    child.stdin.end(body);
    const done = (outcome: TryOutcome) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.on('error', (error) => done({ ok: false, retryable: true, error: error.message }));
    // `exit`, not `close`: a notifier that left something running with our stderr open
    // has still said what it had to.
    child.on('exit', (code, killedBy) => {
      child.stderr.destroy();
      // What the command left running in its group (`curl … &`) ends with it: a try never
      // outlives itself, however it ended.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Nothing left in the group.
      }
      if (code === 0 && why === undefined) return done({ ok: true });
      const ended = why ?? (code === null ? `killed by ${killedBy}` : `exited with code ${code}`);
      const said = stderr.trim();
      done({
        ok: false,
        retryable: !signal.aborted,
        error: said ? `${ended}: ${said}` : ended,
      });
    });
    if (signal.aborted) onAbort();
  });
}
