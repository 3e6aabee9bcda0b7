/**
 * What the kernel counts in: clock ticks per second and page size, asked once of
 * `getconf`; and what `/proc` can tell cheaply on this kernel.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';

let systemUnits: { readonly ticksPerSecond: number; readonly pageBytes: number } | undefined;

/** Clock ticks per second and page size, asked once of `getconf` (100 and 4096 nearly everywhere). */
export function readSystemUnits(): { readonly ticksPerSecond: number; readonly pageBytes: number } {
  systemUnits ??= {
    ticksPerSecond: getconf('CLK_TCK', 100),
    pageBytes: getconf('PAGESIZE', 4096),
  };
  return systemUnits;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** True when the size of `/proc/self/fd` is its count of descriptors (Linux ≥ 6.2). */
export function fdDirSizeCounts(): boolean {
  try {
    const handle = openSync('/proc/self/fd', 'r');
    try {
      return fstatSync(handle).size > 0;
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}
