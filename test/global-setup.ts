/**
 * Proves that no test leaves a process behind. Every process the tests start inherits
 * OVERSEER_TEST_RUN (through the workers' environment), so after the run any process
 * whose environment still carries this run's mark is a leak: it is killed and the run fails.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

const MARK = 'OVERSEER_TEST_RUN';

export function setup(): void {
  process.env[MARK] = randomUUID();
}

export async function teardown(): Promise<void> {
  const mark = `${MARK}=${process.env[MARK]}`;
  // Give processes that were signalled at the very end of a test a moment to be reaped.
  let leaked = findMarked(mark);
  for (let waited = 0; leaked.length > 0 && waited < 2_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    leaked = findMarked(mark);
  }
  if (leaked.length === 0) return;
  for (const { pid } of leaked) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const list = leaked.map(({ pid, command }) => `  ${pid} ${command}`).join('\n');
  throw new Error(`tests left ${leaked.length} process(es) alive:\n${list}`);
}

function findMarked(mark: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(mark)) continue;
      // The test workers themselves carry the mark too; they are vitest's to end.
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (command.includes('vitest')) continue;
      found.push({ pid, command });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}
