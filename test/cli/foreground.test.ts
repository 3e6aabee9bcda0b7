/**
 * `overseer up` in the foreground (docs/cli.md): every line and state change
 * printed with the process's name; Ctrl-C stops the stack in reverse dependency order and
 * exits, leaving nothing running.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  daemonPid,
  expectNothingLeft,
  fixture,
  isGone,
  processesIn,
  ps,
  readLines,
  spawnOverseer,
} from './helpers.js';

afterEach(cleanup);

/** `name │ text` lines, with the padding of the name column taken off. */
function prefixed(stdout: unknown): Array<[string, string]> {
  return String(stdout)
    .split('\n')
    .flatMap((line) => {
      const match = /^(\S+) +│ (.*)$/.exec(line);
      return match ? [[match[1]!, match[2]!] as [string, string]] : [];
    });
}

describe('up in the foreground', () => {
  it('prefixes lines with the process name and stops in reverse dependency order on Ctrl-C', async () => {
    // db ← api ← web: three layers, each waiting for the one before to be healthy.
    const project = createProject(`version: 1
name: fg
processes:
  db:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  api:
    command: ${fixture('sleeper.mjs')}
    depends_on: { db: healthy }
    readiness: { log: "^ready$" }
  web:
    command: ${fixture('slow-stop.mjs', 100)}
    depends_on: { api: healthy }
    readiness: { log: "^ready$" }
`);
    const up = spawnOverseer(project, ['up']);
    await readLines(up).waitFor(/^web +│ ready$/);
    // The foreground supervisor serves the usual socket meanwhile.
    const rows = await ps(project);
    expect(rows.map((info) => [info.name, info.status])).toEqual([
      ['db', 'running'],
      ['api', 'running'],
      ['web', 'running'],
    ]);
    expect(daemonPid(project)).toBe(up.pid);
    up.kill('SIGINT');
    const result = await up;

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('SIGINT: stopping the stack (again to force)…');
    const output = prefixed(result.stdout);
    // Output lines of each process, as printed by it.
    expect(output).toContainEqual(['db', 'ready']);
    expect(output.filter(([, text]) => text.startsWith('SIGTERM at '))).toEqual([
      ['web', expect.stringMatching(/^SIGTERM at \d+$/)],
    ]);
    // State changes, each named.
    for (const info of rows) {
      expect(output).toContainEqual([info.name, `started (pid ${info.pid})`]);
    }
    expect(output).toContainEqual(['db', 'health unknown → healthy']);
    // Started in dependency order, stopped in the reverse one.
    const started = output.filter(([, text]) => text.startsWith('started ')).map(([name]) => name);
    expect(started).toEqual(['db', 'api', 'web']);
    const stopped = output.filter(([, text]) => text === 'stopped').map(([name]) => name);
    expect(stopped).toEqual(['web', 'api', 'db']);
    // Each layer had exited before the next was asked to stop.
    const at = (name: string, text: RegExp) =>
      output.findIndex(([who, what]) => who === name && text.test(what));
    expect(at('web', /^stopped$/)).toBeLessThan(at('api', /^exited /));
    expect(at('api', /^stopped$/)).toBeLessThan(at('db', /^exited /));

    expectNothingLeft(project, rows);
  });

  it('prints output of several processes and exits 1 when one ended failed', async () => {
    const project = createProject(`version: 1
processes:
  talker:
    command: ${fixture('print-both.mjs', 2)}
    kind: job
  crasher:
    command: ${fixture('exit-with.mjs', 7)}
    restart: { policy: never }
  steady:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`);
    const up = spawnOverseer(project, ['up']);
    const output = readLines(up);
    await output.waitFor(/^crasher +│ failed: /);
    await output.waitFor(/^talker +│ completed \(code 0\)$/);
    await output.waitFor(/^steady +│ ready$/);
    const rows = await ps(project);
    up.kill('SIGINT');
    const result = await up;

    expect(result.exitCode).toBe(1);
    const named = prefixed(result.stdout);
    expect(named.filter(([name]) => name === 'talker').map(([, text]) => text)).toEqual(
      expect.arrayContaining(['out 1', 'err 1', 'out 2', 'err 2', 'completed (code 0)']),
    );
    expect(named).toContainEqual(['crasher', 'exiting with 7 in 0ms']);
    expect(named).toContainEqual(['crasher', 'failed: exited with code 7']);
    // Names are padded to one width, so the bars line up.
    const bars = String(result.stdout)
      .split('\n')
      .filter((line) => line.includes(' │ '))
      .map((line) => line.indexOf('│'));
    expect(new Set(bars)).toEqual(new Set(['crasher'.length + 1]));
    for (const info of rows) if (info.pid !== null) expect(isGone(info.pid)).toBe(true);
    expect(processesIn(project)).toEqual([]);
  });
});
