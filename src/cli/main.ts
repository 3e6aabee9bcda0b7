#!/usr/bin/env node
/**
 * The `overseer` executable: the command line composed with the daemon it starts, runs and
 * cleans up after. This is the one file that knows both; the commands see the daemon only
 * through `DaemonSide`, and each part of it is loaded by the command that needs it.
 */
import { fileURLToPath } from 'node:url';
import type { DaemonSide } from './daemon-side.js';
import { runMain } from './run.js';

const daemonSide: DaemonSide = {
  executable: fileURLToPath(import.meta.url),
  open: async (project) => (await import('../daemon/daemon.js')).Daemon.open(project),
  prepare: async () => {
    await import('../daemon/daemon.js');
  },
  lockHolder: async (stateDir) => (await import('../daemon/lock.js')).lockHolder(stateDir),
  stopLeftovers: async (stateDir, specs) =>
    (await import('../daemon/recovery.js')).recoverStateDir(stateDir, specs),
};

await runMain(daemonSide);
