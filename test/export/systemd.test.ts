// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the engines' own interpolation is what these files hold
/**
 * The systemd export: its units as `systemd-analyze verify` reads them (once, for every
 * unit of two projects), what each key becomes, and cron as OnCalendar.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import { exportSystemd } from '../../src/export/systemd.js';
import { cronToCalendar } from '../../src/export/systemd-calendar.js';
import { demoProject, everyKeyProject, inputOf, projectOf } from './helpers.js';

const ANALYZE = '/usr/bin/systemd-analyze';
const folder = mkdtempSync(join(tmpdir(), 'ovu-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function units(): Promise<Map<string, string>> {
  const files = [await demoProject(), await everyKeyProject()].flatMap(
    (project) => exportSystemd(inputOf(project)).files,
  );
  return new Map(files.map((file) => [file.name, file.text]));
}

describe('systemd export', () => {
  it.skipIf(!existsSync(ANALYZE))(
    'writes units that systemd-analyze verify takes without a word',
    async () => {
      const all = await units();
      for (const [name, text] of all) writeFileSync(join(folder, name), text);
      const verified = spawnSync(
        ANALYZE,
        ['verify', '--man=no', ...[...all.keys()].map((name) => join(folder, name))],
        {
          cwd: folder,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      // verify exits 0 even on an unknown key: what it says is the verdict.
      expect(verified.stderr).toBe('');
      expect(verified.status).toBe(0);
    },
  );

  it('maps a process to its unit: dependencies, restart, budget, stop, limits, user, env', async () => {
    const api = (await units()).get('overseer-every-key-api@.service')!;
    for (const line of [
      'After=overseer-every-key-db.service',
      'Requires=overseer-every-key-db.service',
      'PartOf=overseer-every-key-db.service',
      'StartLimitIntervalSec=120s',
      'StartLimitBurst=6',
      'Restart=on-failure',
      'RestartSec=2s',
      'SuccessExitStatus=3',
      'KillSignal=SIGINT',
      'TimeoutStopSec=20s',
      'MemoryMax=268435456',
      'CPUQuota=150%',
      'RuntimeMaxSec=3600s',
      'LimitNOFILE=4096',
      'User=1000',
      'Environment="OVERSEER_INSTANCE=%i"',
      'Environment="PORT=3000"',
      // A % is a specifier to systemd, a $ nothing in Environment=.
      'Environment="TEXT=${HOME} 100%%{x}"',
      'EnvironmentFile=/srv/demo/.env',
      'EnvironmentFile=/etc/overseer/every-key/api.env',
      'WorkingDirectory=/srv/demo',
      'PrivateNetwork=yes',
    ]) {
      expect(api).toContain(`\n${line}\n`);
    }
    expect(api).not.toContain('hunter2');
    const timer = (await units()).get('overseer-every-key-report.timer')!;
    expect(timer).toContain('\nOnCalendar=Mon..Fri *-*-* 02:30:00 Europe/Paris\n');
    expect(timer).toContain('\nOnActiveSec=0\n');
  });

  it('regression: a project named after a folder with a space wrote unit names systemd splits', async () => {
    // No name: the folder's, which nothing checks.
    const shop = join(folder, 'my shop');
    mkdirSync(shop);
    writeFileSync(
      join(shop, 'overseer.yaml'),
      'version: 1\nprocesses:\n  db: { command: x }\n  web: { command: x, depends_on: [db] }\n',
    );
    const project = await loadProject(join(shop, 'overseer.yaml'), { PATH: process.env.PATH });
    const { files } = exportSystemd(inputOf(project));
    expect(files.map((file) => file.name).sort()).toEqual([
      'overseer-my-shop-db.service',
      'overseer-my-shop-web.service',
      'overseer-my-shop.target',
    ]);
    const web = files.find((file) => file.name === 'overseer-my-shop-web.service')!.text;
    expect(web).toContain('\nAfter=overseer-my-shop-db.service');
    expect(web).toContain('\nWantedBy=overseer-my-shop.target\n');
  });

  it('regression: a description of several lines wrote lines systemd read as settings', async () => {
    const project = await projectOf(
      'version: 1\nname: shop\nprocesses:\n  web:\n    command: x\n    description: |\n      The web front.\n      ExecStartPre=/bin/false\n',
    );
    const web = exportSystemd(inputOf(project)).files.find(
      (file) => file.name === 'overseer-shop-web.service',
    )!.text;
    expect(web).toContain('\nDescription=The web front. ExecStartPre=/bin/false\n');
    expect(web).not.toMatch(/^ExecStartPre=/m);
  });
  it('regression: a % in a description, a working folder or a watched path was read as a systemd specifier', async () => {
    const project = await projectOf(
      'version: 1\nname: shop\nprocesses:\n  web:\n    command: x\n    description: 50%n of traffic\n    watch: { paths: [./50%h] }\n',
    );
    const files = exportSystemd(inputOf(project, '/srv/100%a')).files;
    const web = files.find((file) => file.name === 'overseer-shop-web.service')!.text;
    expect(web).toContain('\nDescription=50%%n of traffic\n');
    expect(web).toContain('\nWorkingDirectory=/srv/100%%a\n');
    const path = files.find((file) => file.name === 'overseer-shop-web-watch.path')!.text;
    expect(path).toContain('\nPathChanged=/srv/100%%a/50%%h\n');
  });
});

describe('cron as OnCalendar', () => {
  it.each([
    ['*/5 * * * *', '*-*-* *:00/5:00'],
    ['*/15 * * * * *', '*-*-* *:*:00/15'],
    ['0 30 2 * * *', '*-*-* 02:30:00'],
    ['0 9 * * MON-FRI', 'Mon..Fri *-*-* 09:00:00'],
    ['0 0 1 JAN,JUL *', '*-01,07-01 00:00:00'],
    ['15 10 */2 * *', '*-*-01/2 10:15:00'],
    ['0 8-18 * * 0,6', 'Sun,Sat *-*-* 08..18:00:00'],
  ])('%s is %s', (cron, calendar) => {
    expect(cronToCalendar(cron)).toEqual({ calendar });
  });

  it.each([
    ['0 0 1 * MON', 'day of month and day of week are both set'],
    ['0 0 L * *', 'day of month L has no systemd equal'],
    ['0 0 * * FRI-MON', 'day of week FRI-MON has no systemd equal'],
    ['0-30/5 * * * *', 'minutes 0-30/5 has no systemd equal'],
  ])('%s is refused: %s', (cron, reason) => {
    expect(cronToCalendar(cron)).toEqual({ refused: expect.stringContaining(reason) });
  });
});
