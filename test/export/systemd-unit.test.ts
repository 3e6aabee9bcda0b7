// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * The unit `overseer startup` writes, from real projects loaded from temp folders: the stop
 * timeout from each stop layer's slowest process, the environment kept (and the secrets
 * kept out of it), paths quoted as systemd reads them, names made fit for a unit, and
 * `systemd-analyze verify` on the result where systemd-analyze is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import {
  environmentFileText,
  mergedEnvironmentFileText,
  referencedVariables,
  STOP_MARGIN_S,
  systemdUnit,
  type UnitFacts,
  unitName,
} from '../../src/export/systemd-unit.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `yaml` as `overseer.yaml` in a fresh folder (`sub`, inside it, when given), loaded. */
async function projectOf(yaml: string, sub = '') {
  const root = mkdtempSync(join(tmpdir(), 'overseer-unit-'));
  dirs.push(root);
  const dir = join(root, sub);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'overseer.yaml'), yaml);
  return loadProject(join(dir, 'overseer.yaml'), { PATH: process.env.PATH, ...ENV });
}

const ENV = { HOME: '/home/ann', DATABASE_URL: 'postgres://ann:pw@db/app' };

const facts = (overrides: Partial<UnitFacts> = {}): UnitFacts => ({
  scope: 'system',
  nodePath: process.execPath,
  mainPath: '/opt/overseer/dist/cli/main.js',
  env: { PATH: '/usr/bin:/bin', HOME: '/home/ann' },
  referenced: [],
  environmentFile: '/etc/overseer/overseer-shop.env',
  ...overrides,
});

const lines = (text: string, prefix: string) =>
  text.split('\n').filter((line) => line.startsWith(prefix));

describe('the stop timeout', () => {
  const table = [
    {
      title: 'one process at the default 10s',
      yaml: 'version: 1\nprocesses:\n  api: { command: x }\n',
      seconds: 10,
    },
    {
      title: 'processes of one layer stop together: the slowest counts',
      yaml: [
        'version: 1',
        'processes:',
        '  a: { command: x, stop: { timeout: 3s } }',
        '  b: { command: x, stop: { timeout: 45s } }',
      ].join('\n'),
      seconds: 45,
    },
    {
      title: 'layers stop one after the other: their slowest add up',
      yaml: [
        'version: 1',
        'processes:',
        '  db: { command: x, stop: { timeout: 30s } }',
        '  api: { command: x, stop: { timeout: 10s }, depends_on: [db] }',
        '  worker: { command: x, instances: 2, stop: { timeout: 20s }, depends_on: [api] }',
        '  cron: { command: x, stop: { timeout: 1500ms }, depends_on: [api] }',
      ].join('\n'),
      seconds: 60,
    },
    {
      title: 'part seconds round up',
      yaml: 'version: 1\nprocesses:\n  api: { command: x, stop: { timeout: 2500ms } }\n',
      seconds: 3,
    },
  ];
  it.each(table)('$title', async ({ yaml, seconds }) => {
    const unit = systemdUnit(await projectOf(`${yaml}\n`), facts());
    expect(unit.timeoutStopSec).toBe(seconds + STOP_MARGIN_S);
    expect(lines(unit.text, 'TimeoutStopSec=')).toEqual([
      `TimeoutStopSec=${seconds + STOP_MARGIN_S}`,
    ]);
  });
});

describe('the unit name', () => {
  it.each([
    ['shop', 'overseer-shop.service'],
    ['my shop/eu', 'overseer-my-shop-eu.service'],
    ['café', 'overseer-caf.service'],
    ['api_v2.internal', 'overseer-api_v2.internal.service'],
    ['--..', 'overseer-stack.service'],
    ['${x}', 'overseer-x.service'],
  ])('%j is %s', (project, name) => {
    expect(unitName(project)).toBe(name);
  });
});

describe('the unit', () => {
  const yaml = 'version: 1\nname: shop\nprocesses:\n  api: { command: x }\n';

  it('runs the stack in the foreground without the dashboard, from absolute paths', async () => {
    const project = await projectOf(yaml);
    const { name, text } = systemdUnit(project, facts());
    expect(name).toBe('overseer-shop.service');
    expect(lines(text, 'ExecStart=')).toEqual([
      `ExecStart=${process.execPath} /opt/overseer/dist/cli/main.js up --no-tui -f ${project.configPath}`,
    ]);
    expect(lines(text, 'WorkingDirectory=')).toEqual([`WorkingDirectory=${project.baseDir}`]);
    for (const line of [
      'Type=simple',
      'KillMode=mixed',
      'Delegate=yes',
      'Restart=on-failure',
      'RestartSec=5',
      'WantedBy=multi-user.target',
      'After=network-online.target',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).not.toMatch(/^User=|^Type=notify|^EnvironmentFile=/m);
  });

  it('as a user unit: wanted by default.target, no User=, no network-online.target', async () => {
    const { text } = systemdUnit(await projectOf(yaml), facts({ scope: 'user', user: 'ann' }));
    expect(text).toContain('WantedBy=default.target');
    expect(text).not.toMatch(/^User=|network-online/m);
  });

  it('as a system unit written by a user: runs as that user', async () => {
    const { text } = systemdUnit(await projectOf(yaml), facts({ user: 'ann' }));
    expect(lines(text, 'User=')).toEqual(['User=ann']);
  });

  it('quotes paths with spaces, and keeps % and $ literal', async () => {
    const project = await projectOf(yaml, 'my 100% $HOME app');
    const { text } = systemdUnit(project, facts({ mainPath: '/opt/my tools/main.js' }));
    const config = project.configPath.replaceAll('%', '%%').replaceAll('$', '$$$$');
    expect(lines(text, 'ExecStart=')).toEqual([
      `ExecStart=${process.execPath} "/opt/my tools/main.js" up --no-tui -f "${config}"`,
    ]);
    expect(lines(text, 'WorkingDirectory=')).toEqual([
      `WorkingDirectory=${project.baseDir.replaceAll('%', '%%')}`,
    ]);
  });

  it('lists PATH, HOME, NODE_ENV and OVERSEER_*; the token and the config’s variables go to the file', async () => {
    const project = await projectOf(
      `${yaml}  db: { command: "x \${DATABASE_URL}", env: { P: "\${PATH}", Q: "\${UNSET:-q}" } }\n`,
    );
    const env = {
      PATH: '/usr/local/bin:/usr/bin',
      HOME: '/home/ann',
      NODE_ENV: 'production',
      OVERSEER_LOG_LEVEL: 'debug',
      OVERSEER_TOKEN: 'a-token-of-32-characters-exactly',
      OVERSEER_RUN: 'mark-of-the-supervisor-above',
      DATABASE_URL: 'postgres://ann:p"w$@db/app',
      SHELL: '/bin/bash',
    };
    const referenced = referencedVariables(`\${DATABASE_URL} \${PATH} \${UNSET:-q} $\${NOT}`);
    expect(referenced).toEqual(['DATABASE_URL', 'PATH', 'UNSET']);
    const unit = systemdUnit(project, facts({ env, referenced }));
    expect(lines(unit.text, 'Environment')).toEqual([
      'Environment="PATH=/usr/local/bin:/usr/bin"',
      'Environment="HOME=/home/ann"',
      'Environment="NODE_ENV=production"',
      'Environment="OVERSEER_LOG_LEVEL=debug"',
      'EnvironmentFile=-/etc/overseer/overseer-shop.env',
    ]);
    expect(unit.listed).toEqual(['PATH', 'HOME', 'NODE_ENV', 'OVERSEER_LOG_LEVEL']);
    expect(unit.secrets.map(([name]) => name)).toEqual(['OVERSEER_TOKEN', 'DATABASE_URL']);
    expect(unit.text).not.toContain(env.OVERSEER_TOKEN);
    expect(unit.text).not.toContain('ann:p');
    expect(environmentFileText(unit.secrets)).toBe(
      'OVERSEER_TOKEN="a-token-of-32-characters-exactly"\nDATABASE_URL="postgres://ann:p\\"w\\$@db/app"\n',
    );
  });

  it('regression: a workflows store URL with its password was written into the unit, readable by everyone', async () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/ann',
      OVERSEER_WORKFLOWS_STORE: 'postgres://app:s3cret@db.internal/app',
      OVERSEER_WORKFLOWS_SCHEMA: 'ingest',
      OVERSEER_API_KEY: 'k-1234',
    };
    const unit = systemdUnit(await projectOf(yaml), facts({ env, referenced: [] }));
    expect(unit.text).not.toContain('s3cret');
    expect(unit.text).not.toContain('k-1234');
    expect(unit.listed).toContain('OVERSEER_WORKFLOWS_SCHEMA');
    expect(unit.secrets.map(([name]) => name).sort()).toEqual([
      'OVERSEER_API_KEY',
      'OVERSEER_WORKFLOWS_STORE',
    ]);
  });

  it('sets the secrets over an environment file kept as written: other lines and comments stay', () => {
    const existing = '# typed by hand\nDB_PASSWORD="kept"\nOVERSEER_TOKEN="old"\n';
    expect(mergedEnvironmentFileText(existing, [['OVERSEER_TOKEN', 'new']])).toBe(
      'OVERSEER_TOKEN="new"\n# typed by hand\nDB_PASSWORD="kept"\n',
    );
    expect(mergedEnvironmentFileText(undefined, [])).toBe('');
  });

  it('escapes quotes, backslashes and % in a listed value; leaves out a newline and a name systemd refuses', async () => {
    const env = {
      PATH: '/bin',
      HOME: '/home/"a\\b" 100%',
      OVERSEER_DEBUG: 'x\ny',
      'OVERSEER_A-B': 'c',
    };
    const unit = systemdUnit(await projectOf(yaml), facts({ env }));
    expect(lines(unit.text, 'Environment=')).toEqual([
      'Environment="PATH=/bin"',
      'Environment="HOME=/home/\\"a\\\\b\\" 100%%"',
    ]);
    expect(unit.skipped).toEqual([
      { name: 'OVERSEER_A-B', why: 'systemd takes no variable of that name' },
      { name: 'OVERSEER_DEBUG', why: 'its value holds control characters' },
    ]);
  });
});

const analyzer = '/usr/bin/systemd-analyze';
const noAnalyzer = existsSync(analyzer) ? undefined : `${analyzer} is not installed`;

describe.skipIf(noAnalyzer !== undefined)(
  `systemd-analyze verify${noAnalyzer ? ` (skipped: ${noAnalyzer})` : ''}`,
  () => {
    it.each(['system', 'user'] as const)('finds nothing wrong in a %s unit', async (scope) => {
      const project = await projectOf(
        // No name: the folder's, spaces and all, made fit for a unit name.
        'version: 1\nprocesses:\n  api: { command: x }\n',
        'my shop',
      );
      // verify wants ExecStart's program to exist: node does, and so must the script.
      const main = join(project.baseDir, 'main.js');
      writeFileSync(main, '');
      const unit = systemdUnit(
        project,
        facts({
          scope,
          mainPath: main,
          env: {
            PATH: '/usr/bin:/bin',
            HOME: '/home/a "quoted" 100% \\ home',
            OVERSEER_TOKEN: 't'.repeat(20),
          },
          environmentFile: join(project.baseDir, 'unit.env'),
        }),
      );
      const path = join(project.baseDir, unit.name);
      writeFileSync(path, unit.text);
      const result = spawnSync(
        analyzer,
        [...(scope === 'user' ? ['--user'] : []), 'verify', path],
        {
          encoding: 'utf8',
          // The user manager's verify wants a runtime folder: the project's stands in for it.
          env: { ...process.env, SYSTEMD_LOG_COLOR: '0', XDG_RUNTIME_DIR: project.baseDir },
        },
      );
      // Lines about the host's own units are not ours to judge; only lines naming ours are.
      const ours = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((line) => line.includes(unit.name));
      expect(ours).toEqual([]);
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    });
  },
);
