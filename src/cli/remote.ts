/**
 * `--api URL` and `--token T`: a supervisor on another machine (or another loopback
 * address), reached over TCP with its bearer token instead of over the local socket.
 */
import { OverseerError } from '../core/errors.js';
import { HttpSupervisorClient } from '../protocol/client.js';

export interface RemoteOptions {
  readonly api?: string;
  readonly token?: string;
  /** `-f FILE`: the local config, which `--api` replaces. */
  readonly file?: string;
}

/**
 * The client `--api` names, or `undefined` without one. The token comes from `--token`, else
 * `OVERSEER_TOKEN`; it is never printed. A plain `http://` URL to anything but a loopback
 * address is warned of: the token crosses the network in clear text. `https://` is a TLS
 * proxy in front of the daemon, which itself serves plain HTTP.
 */
export function remoteClient(
  options: RemoteOptions,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (message) => process.stderr.write(`overseer: ${message}\n`),
): HttpSupervisorClient | undefined {
  if (options.api === undefined) {
    if (options.token !== undefined) {
      throw new OverseerError('BAD_REQUEST', '--token is for --api URL: give the URL too');
    }
    return undefined;
  }
  if (options.file !== undefined) {
    throw new OverseerError(
      'BAD_REQUEST',
      '-f names a local config and --api a remote daemon: give one of them',
    );
  }
  const { host, port, tls } = addressOf(options.api);
  const token = options.token ?? env.OVERSEER_TOKEN;
  if (token === undefined || token === '') {
    throw new OverseerError(
      'BAD_REQUEST',
      `--api ${options.api} needs the daemon's token: --token T, or OVERSEER_TOKEN in the environment`,
    );
  }
  if (!tls && !isLoopback(host)) {
    warn(
      `${options.api} is plain http: the token and everything else cross the network unencrypted`,
    );
  }
  return new HttpSupervisorClient({ host, port, token, tls });
}

function addressOf(api: string): { host: string; port: number; tls: boolean } {
  let url: URL;
  try {
    url = new URL(api);
  } catch {
    throw new OverseerError(
      'BAD_REQUEST',
      `--api: expected a URL such as http://10.0.0.5:9615, not "${api}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OverseerError(
      'BAD_REQUEST',
      `--api: expected an http:// URL (or https:// for a TLS proxy in front of the daemon), not ${url.protocol}//`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Not echoed: what stands before the @ may well be the token itself.
    throw new OverseerError(
      'BAD_REQUEST',
      '--api: expected only a scheme, host and port, with no credentials before the host: give the token with --token or OVERSEER_TOKEN',
    );
  }
  const extras = [
    url.pathname !== '/' && 'a path',
    url.search !== '' && 'a query',
    url.hash !== '' && 'a fragment',
  ].filter(Boolean);
  if (extras.length > 0) {
    // The rest is not echoed: a token may have been put in the query.
    throw new OverseerError(
      'BAD_REQUEST',
      `--api: expected only a scheme, host and port; ${url.protocol}//${url.host} comes with ${extras.join(' and ')} too`,
    );
  }
  const tls = url.protocol === 'https:';
  const port = Number(url.port || (tls ? '443' : '80'));
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, tls };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
