/**
 * Probes against a running child: an HTTP answer (2xx/3xx), a TCP connect, a command that
 * exits 0, or a line of output matching a pattern. A probe loop reports each verdict, and
 * what a failed check saw; what a verdict means (ready, unhealthy, restart) is core's to
 * decide.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ProbeCheck, ProbeSpec } from '../../core/process/spec.js';
import { formatDuration } from '../../core/units.js';
import { sendSignal } from '../process/proc.js';

/** A check passed (`null`), or what it saw when it failed: `connection refused`, `HTTP 503`. */
export type CheckFailure = string | null;

/** Where an `exec` probe runs: the child's own folder and environment. */
export interface ProbeContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs one network or command check; resolves `null` when it passes within `timeoutMs`. */
export function runCheck(
  check: Exclude<ProbeCheck, { type: 'log' }>,
  timeoutMs: number,
  context: ProbeContext,
): Promise<CheckFailure> {
  switch (check.type) {
    case 'http':
      return checkHttp(check.url, timeoutMs);
    case 'tcp':
      return checkTcp(check.host, check.port, timeoutMs);
    case 'exec':
      return checkExec(check.command, timeoutMs, context);
  }
}

function checkHttp(url: string, timeoutMs: number): Promise<CheckFailure> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    let timedOut = false;
    const req = send(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? null : `HTTP ${status}`);
    });
    req.once('timeout', () => {
      timedOut = true;
      req.destroy();
    });
    req.once('error', (error) =>
      resolve(timedOut ? timedOutAfter(timeoutMs) : networkFailure(error)),
    );
    req.end();
  });
}

function checkTcp(host: string, port: number, timeoutMs: number): Promise<CheckFailure> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (failure: CheckFailure) => {
      socket.destroy();
      resolve(failure);
    };
    socket.once('connect', () => done(null));
    socket.once('timeout', () => done(timedOutAfter(timeoutMs)));
    socket.once('error', (error) => done(networkFailure(error)));
  });
}

/** `connection refused`, `host not found`…: what a user would search for, not a stack. */
function networkFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return error.code ?? error.message;
  }
}

function timedOutAfter(timeoutMs: number): string {
  return `timed out after ${formatDuration(timeoutMs)}`;
}

function checkExec(
  command: string,
  timeoutMs: number,
  context: ProbeContext,
): Promise<CheckFailure> {
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: context.cwd,
      env: context.env,
      detached: true,
      stdio: 'ignore',
    });
    // The command runs in its own group so a timeout ends everything it started.
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) sendSignal(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve(`could not run: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Whatever the command left in its group goes with it; a group already gone is fine.
      if (child.pid !== undefined) sendSignal(-child.pid, 'SIGKILL');
      if (code === 0) resolve(null);
      else if (timedOut) resolve(timedOutAfter(timeoutMs));
      else resolve(code === null ? `killed by ${signal}` : `exit ${code}`);
    });
  });
}

/**
 * Runs a probe every `intervalMs` after `initialDelayMs`, one check at a time, and reports
 * each verdict until stopped. A `log` probe instead passes on the first matching line.
 */
export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly pattern: RegExp | undefined;
  private matched = false;

  constructor(
    private readonly spec: ProbeSpec,
    private readonly context: ProbeContext,
    private readonly report: (failure: CheckFailure) => void,
  ) {
    this.pattern = spec.check.type === 'log' ? new RegExp(spec.check.pattern) : undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.matched = false;
    if (this.spec.check.type !== 'log') this.schedule(this.spec.initialDelayMs);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Feeds one line of the child's output to a `log` probe. */
  observe(line: string): void {
    if (!this.running || !this.pattern || this.matched) return;
    if (!this.pattern.test(line)) return;
    this.matched = true;
    this.report(null);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    const check = this.spec.check;
    if (check.type === 'log') return;
    const started = Date.now();
    const failure = await runCheck(check, this.spec.timeoutMs, this.context);
    // A verdict that arrives after stop() belongs to a run that is over.
    if (!this.running) return;
    this.report(failure);
    if (this.running) this.schedule(Math.max(0, this.spec.intervalMs - (Date.now() - started)));
  }
}
