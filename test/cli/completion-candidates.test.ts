/**
 * What `overseer __complete` offers for the word under the cursor, read from the real
 * program: commands and their subcommand words, options, option and argument values, and
 * the declared processes and namespaces wherever a command takes a process selector.
 */
import * as commander from 'commander';
import { describe, expect, it } from 'vitest';
import { type CompletionSources, completionOf } from '../../src/cli/completion/candidates.js';
import { linesOf } from '../../src/cli/completion/complete.js';
import { buildProgram } from '../../src/cli/program.js';
import type { DeclaredProcess } from '../../src/config/declared-names.js';

const DECLARED: DeclaredProcess[] = [
  { name: 'api', namespace: 'backend' },
  { name: 'worker', namespace: 'backend', instances: 3 },
  { name: 'web', namespace: 'frontend' },
  { name: 'cron' },
];

/** The sources of a project declaring `DECLARED`, or `other` for `-f other.yaml`. */
function sources(read: string[] = []): CompletionSources {
  return {
    processes: async (file) => {
      read.push(file ?? '(this folder)');
      return file === 'other.yaml' ? [{ name: 'elsewhere' }] : DECLARED;
    },
    signals: () => ['HUP', 'TERM', 'USR1'],
  };
}

const program = buildProgram(commander, () => {}, {} as never);

/** The values offered for the last of `words`. */
async function offered(words: string[], from = sources()): Promise<string[]> {
  const completion = await completionOf(program, words, from);
  return completion.kind === 'files' ? [':files'] : completion.candidates.map((c) => c.value);
}

describe('completing commands', () => {
  it('offers the visible commands, not the hidden daemon, with their descriptions', async () => {
    const completion = await completionOf(program, [''], sources());
    const values = completion.kind === 'words' ? completion.candidates.map((c) => c.value) : [];
    expect(values).toEqual(expect.arrayContaining(['up', 'ps', 'restart', 'dlq', 'completion']));
    expect(values).not.toContain('daemon');
    expect(linesOf(completion)).toMatch(/^ps\tone row per process/m);
  });

  it('offers only those starting with the word typed', async () => {
    expect(await offered(['re'])).toEqual(['restart', 'reload']);
  });

  it('offers the words dlq and tasks take first', async () => {
    expect(await offered(['dlq', ''])).toEqual(['ls', 'show', 'retry', 'drop']);
    expect(await offered(['tasks', 'c'])).toEqual(['cancel']);
    expect(await offered(['dlq', 'show', ''])).toEqual([]);
  });

  it('offers the shells of completion, from its choices', async () => {
    expect(await offered(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });
});

describe('completing options', () => {
  it("offers a command's own options, long and short", async () => {
    const options = await offered(['logs', '-']);
    expect(options).toEqual(expect.arrayContaining(['--follow', '-f', '--namespace', '--help']));
    expect(options).not.toContain('--detach');
  });

  it('offers the choices of an option that declares them', async () => {
    const tool = new commander.Command('tool');
    tool
      .command('show')
      .addOption(new commander.Option('--format <format>').choices(['table', 'json', 'yaml']));
    expect(await completionOf(tool, ['show', '--format', 'j'], sources())).toEqual({
      kind: 'words',
      candidates: [{ value: 'json' }],
    });
  });

  it('offers the values of an option its command checks itself', async () => {
    expect(await offered(['run', '--priority', ''])).toEqual(['low', 'normal', 'high', 'critical']);
    expect(await offered(['tasks', '--status', 'f'])).toEqual(['failed']);
    expect(await offered(['workflows', '--status', 's'])).toEqual(['sleeping']);
  });

  it('lets the shell complete paths for a file or folder option, and after --', async () => {
    expect(await offered(['up', '-f', ''])).toEqual([':files']);
    expect(await offered(['run', '--cwd', ''])).toEqual([':files']);
    expect(await offered(['run', '--', 'node', ''])).toEqual([':files']);
  });

  it('offers nothing for an option whose value is free', async () => {
    expect(await offered(['logs', '--since', ''])).toEqual([]);
  });
});

describe('completing process selectors', () => {
  it('offers the declared processes, and all where the command takes it', async () => {
    expect(await offered(['restart', ''])).toEqual(['api', 'worker', 'web', 'cron', 'all']);
    expect(await offered(['inspect', 'w'])).toEqual(['worker', 'web']);
  });

  it('offers the instances of a process once its name and dash are typed', async () => {
    expect(await offered(['stop', 'worker-'])).toEqual(['worker-0', 'worker-1', 'worker-2']);
  });

  it('offers the namespaces after -n, and only their processes after it', async () => {
    expect(await offered(['ps', '-n', ''])).toEqual(['backend', 'frontend']);
    expect(await offered(['reload', '--namespace', 'frontend', ''])).toEqual(['web', 'all']);
    expect(await offered(['restart', '--namespace=backend', 'a'])).toEqual(['api', 'all']);
    // As bash hands them over, `=` a word of its own.
    expect(await offered(['ps', '--namespace', '=', 'f'])).toEqual(['frontend']);
    expect(await offered(['ps', '--namespace', '=', 'frontend', ''])).toEqual(['web', 'all']);
  });

  it('does not offer again a name already on the line', async () => {
    expect(await offered(['up', 'api', 'web', ''])).toEqual(['worker', 'cron']);
  });

  it('reads the config that -f names on the line', async () => {
    const read: string[] = [];
    expect(await offered(['ps', '-f', 'other.yaml', ''], sources(read))).toEqual([
      'elsewhere',
      'all',
    ]);
    expect(read).toEqual(['other.yaml']);
  });

  it('offers signal names, then processes, to signal', async () => {
    expect(await offered(['signal', ''])).toEqual(['HUP', 'TERM', 'USR1']);
    expect(await offered(['signal', 'HUP', 'a'])).toEqual(['api', 'all']);
  });

  it('does not read the config to complete a command or an option', async () => {
    const read: string[] = [];
    await offered(['restart', '--'], sources(read));
    await offered(['res'], sources(read));
    expect(read).toEqual([]);
  });
});

describe('the lines the scripts read', () => {
  it('are value<TAB>description, or :files alone', () => {
    expect(
      linesOf({
        kind: 'words',
        candidates: [{ value: 'api', description: 'a\nb' }, { value: 'x' }],
      }),
    ).toBe('api\ta b\nx\n');
    expect(linesOf({ kind: 'files' })).toBe(':files\n');
  });
});
