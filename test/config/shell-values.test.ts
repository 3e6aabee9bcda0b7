// biome-ignore-all lint/suspicious/noTemplateCurlyInString: a config's own ${NAME} interpolation is what these tests write
/**
 * Which values of a config an export would write as this shell has them: a `${NAME}` the
 * shell sets, anywhere in a process's entry but its `env`, and in `defaults` where the
 * process does not set the same key.
 */
import { describe, expect, it } from 'vitest';
import { shellEnvNames, shellValues } from '../../src/config/shell-env-names.js';

const SHELL = { PORT: '3000', REGION: 'eu', TOKEN: 'x', TEAM: 'pay' };

describe('shellValues', () => {
  it('finds a set ${NAME} in commands, probes and labels, by key, and leaves env to shellEnvNames', () => {
    const text = `
version: 1
processes:
  api:
    command: [node, server.js, --port, "\${PORT}"]
    readiness: { http: "http://127.0.0.1:\${PORT}/health" }
    labels: { region: "\${REGION}", unset: "\${NOT_SET:-x}", escaped: "$\${TEAM}" }
    env: { KEY: "\${TOKEN}" }
`;
    expect(shellValues(text, SHELL)).toEqual([
      { process: 'api', key: 'command', variable: 'PORT' },
      { process: 'api', key: 'readiness.http', variable: 'PORT' },
      { process: 'api', key: 'labels.region', variable: 'REGION' },
    ]);
    expect(shellEnvNames(text, SHELL).get('api')).toEqual(new Set(['KEY']));
  });

  it('counts a default for each process that does not set that key itself', () => {
    const text = `
version: 1
defaults:
  labels: { team: "\${TEAM}" }
  env: { KEY: "\${TOKEN}" }
processes:
  api: { command: serve }
  worker: { command: work, labels: { team: payments } }
`;
    expect(shellValues(text, SHELL)).toEqual([
      { process: 'api', key: 'labels.team', variable: 'TEAM' },
    ]);
  });

  it('finds nothing in a config that takes nothing from the shell', () => {
    expect(
      shellValues('version: 1\nprocesses:\n  a: { command: "echo ${NOPE:-hi}" }\n', SHELL),
    ).toEqual([]);
    expect(shellValues('', SHELL)).toEqual([]);
  });

  it('regression: a literal $ before a reference ($$${NAME}) hid a value the loader takes from the shell', () => {
    const text = 'version: 1\nprocesses:\n  a: { command: "serve --token $$${TOKEN}" }\n';
    expect(shellValues(text, SHELL)).toEqual([{ process: 'a', key: 'command', variable: 'TOKEN' }]);
    expect(
      shellValues('version: 1\nprocesses:\n  a: { command: "echo $${TOKEN}" }\n', SHELL),
    ).toEqual([]);
  });

  it('regression: an empty variable under :- and a default probe the process replaced were counted', () => {
    const text = `
version: 1
defaults:
  readiness: { http: "http://127.0.0.1:\${PORT}/health" }
processes:
  a: { command: "serve \${EMPTY:-dev}", readiness: { tcp: "127.0.0.1:5432" } }
`;
    expect(shellValues(text, { ...SHELL, EMPTY: '' })).toEqual([]);
  });
});
