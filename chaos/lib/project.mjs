// A temporary overseer project driven as a user's script would: the built CLI
// (`node dist/cli/main.js …`) run beside its overseer.yaml, and the daemon's HTTP API on
// `<state_dir>/overseer.sock` or on TCP with its token.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** The suite's fixture programs and the project's test fixtures. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const TEST_FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

/** A token long enough for `settings.api.token`. */
export const TOKEN = 'chaos-token-0123456789abcdef';

/**
 * Runs a command to its end with a hard time bound, collecting its output. Never rejects:
 * the result says how it ended (`timedOut` when it had to be SIGKILLed).
 */
export function runCommand(command, args, { cwd, timeoutMs = 30_000, env, input } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (stdout.length < 1 << 20) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      if (stderr.length < 1 << 20) stderr += chunk;
    });
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: String(error), timedOut, ms: 0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A temp folder holding an overseer.yaml, and the ways a user's script reaches it. */
export class Project {
  /** @param {string} name a prefix for the temp folder */
  constructor(name) {
    this.dir = mkdtempSync(join(tmpdir(), `overseer-chaos-${name}-`));
    this.stateDir = join(this.dir, '.overseer');
    this.configPath = join(this.dir, 'overseer.yaml');
    this.port = null;
  }

  /** Writes overseer.yaml. */
  write(yaml) {
    writeFileSync(this.configPath, yaml);
  }

  /** Runs `overseer ARGS…` in the project folder. */
  cli(args, options = {}) {
    return runCommand(process.execPath, [CLI, ...args], { cwd: this.dir, ...options });
  }

  /** `overseer ps --json`, parsed; null when it did not answer a document. */
  async ps() {
    const result = await this.cli(['ps', '--json'], { timeoutMs: 15_000 });
    try {
      return { ...result, processes: JSON.parse(result.stdout).processes };
    } catch {
      return { ...result, processes: null };
    }
  }

  /** The pid the lock file names, or null. */
  lockPid() {
    try {
      return JSON.parse(readFileSync(join(this.stateDir, 'overseer.pid'), 'utf8')).pid ?? null;
    } catch {
      return null;
    }
  }

  /** The path of a process's log file. */
  logFile(name) {
    return join(this.stateDir, 'logs', `${name}.log`);
  }

  /**
   * One HTTP request to the daemon: on the Unix socket, or with `tcp: true` on its TCP
   * listener. Never rejects: `{status, headers, body}` or `{error}` when the connection
   * failed, `{timedOut}` past `timeoutMs`.
   */
  http({ method = 'GET', path = '/', headers = {}, body, tcp = false, timeoutMs = 10_000 }) {
    const target = tcp
      ? { host: '127.0.0.1', port: this.port }
      : { socketPath: join(this.stateDir, 'overseer.sock') };
    return new Promise((resolve) => {
      const req = request({ ...target, method, path, headers, timeout: timeoutMs }, (res) => {
        const chunks = [];
        let size = 0;
        res.on('data', (chunk) => {
          size += chunk.length;
          if (size < 1 << 20) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) => resolve({ error: String(error) }));
      });
      req.on('timeout', () => {
        req.destroy();
        resolve({ timedOut: true });
      });
      req.on('error', (error) => resolve({ error: String(error.code ?? error) }));
      if (body !== undefined) req.end(body);
      else req.end();
    });
  }

  /** Removes the temp folder. */
  remove() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
