/**
 * `host:port` as written in a config (`127.0.0.1:9615`, `localhost:3000`, `[::1]:5432`):
 * the one reading of it, for a TCP probe's target and the API's listen address alike.
 */

/** A host and a port, the host without the brackets of an IPv6 address. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** A bracketed IPv6 address, or a host without a colon or space; then up to 5 digits. */
export const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/;

/**
 * The host and port of `address`, or `undefined` when it is not `host:port`. The port is
 * only read, not bounded: five digits still allow 99999, which each use refuses with its
 * own range (a listener may ask for port 0, a probe may not).
 */
export function parseHostPort(address: string): HostPort | undefined {
  const match = HOST_PORT.exec(address);
  if (!match) return undefined;
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}
