// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is shell text run by bash and zsh, not a template mistake
/**
 * Shell completion as a user installs it: `overseer completion SHELL` from the built CLI,
 * sourced into a real shell whose completion function is run as the shell runs it on Tab,
 * offering the process names of the project's config. Shells that are not installed are
 * skipped, each saying so.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, createProject, overseer, type Project } from './helpers.js';

afterEach(cleanup);

const CONFIG = [
  'version: 1',
  'processes:',
  '  api: { command: node api.js, namespace: backend }',
  '  worker: { command: node worker.js, instances: 2 }',
  '',
].join('\n');

/** Whether `shell` is installed here. */
function installed(shell: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The shells tested only where installed: the tests never install one. */
const HAS = { fish: installed('fish'), zsh: installed('zsh') };
const NOT_INSTALLED = ' (skipped: not installed on this machine)';

/**
 * The project's folder made ready for `shell`: `overseer` on PATH (the built CLI) and the
 * script it prints saved beside the config; resolves with the environment that finds it.
 */
async function installCompletion(project: Project, shell: string) {
  const bin = join(project.dir, 'bin');
  mkdirSync(bin);
  const shim = join(bin, 'overseer');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const script = await overseer(project, ['completion', shell]);
  expect(script.exitCode).toBe(0);
  writeFileSync(join(project.dir, `completion.${shell}`), String(script.stdout));
  return { PATH: `${bin}:${process.env.PATH}` };
}

/** Runs `shell ARGS…` in the project's folder; its stdout. */
async function inShell(project: Project, shell: string, args: string[], env: object) {
  const result = await execa(shell, args, {
    cwd: project.dir,
    env: { ...env, HOME: project.dir },
    reject: false,
    stdin: 'ignore',
    timeout: 20_000,
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  return String(result.stdout).split('\n');
}

describe('overseer completion', () => {
  it('prints a script for each shell, each asking overseer __complete', async () => {
    const project = createProject(CONFIG);
    const [bash, zsh, fish] = await Promise.all(
      ['bash', 'zsh', 'fish'].map((shell) => overseer(project, ['completion', shell])),
    );
    expect(String(bash!.stdout)).toMatch(/complete -F _overseer_complete overseer/);
    expect(String(zsh!.stdout)).toMatch(/^#compdef overseer\n/);
    expect(String(fish!.stdout)).toMatch(/complete -c overseer /);
    for (const result of [bash!, zsh!, fish!]) {
      expect(result.exitCode).toBe(0);
      expect(String(result.stdout)).toContain('overseer __complete');
    }
  });

  it('exits 2 on a shell it does not know, naming those it knows', async () => {
    const result = await overseer(createProject(CONFIG), ['completion', 'tcsh']);
    expect(result.exitCode).toBe(2);
    expect(String(result.stdout)).toBe('');
    expect(String(result.stderr)).toMatch(/tcsh[\s\S]*bash, zsh, fish/);
  });

  it('offers no names and prints no error when the config is broken, exiting 0', async () => {
    const project = createProject('version: 1\nprocesses:\n  api: [\n');
    const result = await overseer(project, ['__complete', 'restart', '']);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(String(result.stdout)).toBe('all\tevery process\n');
  });
});

describe('completion in a real shell', () => {
  it('bash: COMPREPLY holds the process names, then the instances, then paths', async () => {
    const project = createProject(CONFIG);
    const env = await installCompletion(project, 'bash');
    const lines = await inShell(
      project,
      'bash',
      [
        '--noprofile',
        '--norc',
        '-c',
        [
          'source ./completion.bash',
          "COMP_WORDS=(overseer restart ''); COMP_CWORD=2; _overseer_complete",
          'echo "names: ${COMPREPLY[*]}"',
          'COMP_WORDS=(overseer stop worker-); COMP_CWORD=2; _overseer_complete',
          'echo "instances: ${COMPREPLY[*]}"',
          'COMP_WORDS=(overseer up -f overseer.y); COMP_CWORD=3; _overseer_complete',
          'echo "files: ${COMPREPLY[*]}"',
        ].join('\n'),
      ],
      env,
    );
    expect(lines).toContain('names: api worker all');
    expect(lines).toContain('instances: worker-0 worker-1');
    expect(lines).toContain('files: overseer.yaml');
  });

  it.skipIf(!HAS.fish)(
    `fish: the candidates for the line${HAS.fish ? '' : NOT_INSTALLED}`,
    async () => {
      const project = createProject(CONFIG);
      const env = await installCompletion(project, 'fish');
      const lines = await inShell(
        project,
        'fish',
        [
          '--no-config',
          '-c',
          "source ./completion.fish; complete --do-complete 'overseer restart '",
        ],
        env,
      );
      expect(lines).toEqual(expect.arrayContaining(['api\tprocess in backend', 'worker\tprocess']));
    },
  );

  it.skipIf(!HAS.zsh)(
    `zsh: the candidates handed to _describe${HAS.zsh ? '' : NOT_INSTALLED}`,
    async () => {
      const project = createProject(CONFIG);
      const env = await installCompletion(project, 'zsh');
      // compinit needs a terminal: its two functions the script calls are stood in for.
      const lines = await inShell(
        project,
        'zsh',
        [
          '-f',
          '-c',
          [
            'compdef() { :; }',
            '_describe() { print -l -- "${(@P)4}"; }',
            'source ./completion.zsh',
            "words=(overseer restart ''); CURRENT=3; _overseer",
          ].join('\n'),
        ],
        env,
      );
      expect(lines).toEqual(expect.arrayContaining(['api:process in backend', 'worker:process']));
    },
  );
});
