// Compiles native/usage-shim.c into native/build/overseer-usage-shim, the program that
// measures what a task's whole process tree used (src/runtime/process/usage-shim.ts).
// Run at install (the `install` script) and by `npm run build` with --if-needed, which
// compiles only when the program is missing or older than its source.
//
// Never fails an install: without a C compiler (`cc`, or `$CC`), off Linux, or when the
// compiler fails, it says so in one line and exits 0; task resource figures then come
// from sampling only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'native', 'usage-shim.c');
const BUILD = join(ROOT, 'native', 'build');
const TARGET = join(BUILD, 'overseer-usage-shim');

function modified(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function skip(why) {
  console.error(`overseer: ${why}: task resource figures will come from sampling only`);
  process.exit(0);
}

const built = modified(TARGET);
if (process.argv.includes('--if-needed') && built !== undefined && built >= modified(SOURCE)) {
  process.exit(0);
}
if (process.platform !== 'linux') skip(`no usage shim on ${process.platform} (Linux only)`);

// `$CC` may carry words of its own (`ccache gcc`, `gcc -m64`).
const [cc, ...ccArgs] = (process.env.CC?.trim() || 'cc').split(/\s+/);
const partial = `${TARGET}.${process.pid}`;
try {
  mkdirSync(BUILD, { recursive: true });
} catch (error) {
  skip(`cannot create ${BUILD} (${error.code ?? error.message})`);
}
const compiled = spawnSync(
  cc,
  [...ccArgs, '-std=c99', '-O2', '-Wall', '-Wextra', '-o', partial, SOURCE],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
if (compiled.error || compiled.status !== 0) {
  // No program from an older source left behind to be taken for this one.
  rmSync(partial, { force: true });
  rmSync(TARGET, { force: true });
  skip(
    compiled.error
      ? `no C compiler to build the usage shim (${cc}: ${compiled.error.code ?? compiled.error.message})`
      : `${cc} could not build the usage shim (${compiled.signal ?? `exit ${compiled.status}`})`,
  );
}
// In place at once: a supervisor running meanwhile never sees half a program.
renameSync(partial, TARGET);
