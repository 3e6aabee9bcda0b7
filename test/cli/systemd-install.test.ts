/**
 * Putting a unit in place and taking it away, in temp folders standing for
 * /etc/systemd/system, with a `systemctl` that records what it is asked: the files whole,
 * the environment file readable by its owner alone, a different unit refused with nothing
 * written, systemd told in order, and what is said when systemd does not answer.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installUnit,
  type Systemctl,
  type UnitPlace,
  uninstallUnit,
} from '../../src/cli/systemd-install.js';
import { UNIT_MARK } from '../../src/export/systemd-unit.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function placeIn(scope: UnitPlace['scope'] = 'system'): UnitPlace {
  const root = mkdtempSync(join(tmpdir(), 'overseer-install-'));
  dirs.push(root);
  return {
    scope,
    name: 'overseer-shop.service',
    unitDir: join(root, 'systemd'),
    environmentFile: join(root, 'overseer', 'overseer-shop.env'),
  };
}

/** A systemctl answering `answers[command]` (ok by default), recording every call. */
function systemctl(answers: Record<string, { ok: boolean; message: string }> = {}) {
  const calls: string[] = [];
  const run: Systemctl = async (args) => {
    calls.push(args.join(' '));
    const command = args.find((arg) => !arg.startsWith('-'))!;
    return answers[command] ?? { ok: true, message: '' };
  };
  return { calls, run };
}

const UNIT = `${UNIT_MARK}\n[Service]\nExecStart=/usr/bin/node main.js up --no-tui\n`;
const unitFile = (place: UnitPlace) => join(place.unitDir, place.name);

function install(place: UnitPlace, options: { force?: boolean; run?: Systemctl; env?: string }) {
  const said: string[] = [];
  const done = installUnit(place, UNIT, options.env, {
    force: options.force ?? false,
    systemctl: options.run ?? systemctl().run,
    say: (line) => said.push(line),
  });
  return { said, done };
}

describe('installing the unit', () => {
  it('writes it and its environment file (0600), then reloads, enables and starts it', async () => {
    const place = placeIn();
    const { calls, run } = systemctl();
    const { said, done } = install(place, { run, env: 'OVERSEER_TOKEN="t"\n' });
    expect(await done).toBe(0);
    expect(readFileSync(unitFile(place), 'utf8')).toBe(UNIT);
    expect(readFileSync(place.environmentFile, 'utf8')).toBe('OVERSEER_TOKEN="t"\n');
    expect(statSync(place.environmentFile).mode & 0o777).toBe(0o600);
    expect(calls).toEqual(['daemon-reload', 'enable --now overseer-shop.service']);
    expect(said).toContain('enabled and started overseer-shop.service');
  });

  it('a user unit: systemctl --user', async () => {
    const { calls, run } = systemctl();
    expect(await install(placeIn('user'), { run }).done).toBe(0);
    expect(calls).toEqual(['--user daemon-reload', '--user enable --now overseer-shop.service']);
  });

  it('the same unit again: left as it is, enabled again', async () => {
    const place = placeIn();
    await install(place, {}).done;
    const { said, done } = install(place, {});
    expect(await done).toBe(0);
    expect(said[0]).toBe(`${unitFile(place)} is already this unit`);
    expect(said.join('\n')).not.toContain('restart');
  });

  it('refuses a different unit of that name, naming it, and writes nothing', async () => {
    const place = placeIn();
    mkdirSync(place.unitDir, { recursive: true });
    writeFileSync(unitFile(place), '[Service]\nExecStart=/bin/true\n');
    const { calls, run } = systemctl();
    await expect(install(place, { run, env: 'OVERSEER_TOKEN="t"\n' }).done).rejects.toThrow(
      `${unitFile(place)} already exists and differs from the unit this config makes (it was not written by overseer startup): nothing written; --force replaces it`,
    );
    expect(readFileSync(unitFile(place), 'utf8')).toBe('[Service]\nExecStart=/bin/true\n');
    expect(existsSync(place.environmentFile)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('regression: --force deleted an environment file holding values written by hand', async () => {
    const place = placeIn();
    await install(place, { env: 'OVERSEER_TOKEN="t"\n' }).done;
    writeFileSync(place.environmentFile, 'OVERSEER_TOKEN="t"\nDB_PASSWORD="typed by hand"\n');
    writeFileSync(unitFile(place), `${UNIT_MARK}\n# an older one\n`);
    const { said, done } = install(place, { force: true });
    expect(await done).toBe(0);
    expect(readFileSync(unitFile(place), 'utf8')).toBe(UNIT);
    expect(readFileSync(place.environmentFile, 'utf8')).toContain('DB_PASSWORD="typed by hand"');
    expect(said).toEqual([
      `replaced ${unitFile(place)}`,
      'enabled and started overseer-shop.service',
      'a stack it already ran goes on as before until systemctl restart overseer-shop.service',
      'status: systemctl status overseer-shop.service; logs: journalctl -u overseer-shop.service -f',
    ]);
  });

  it('systemd not answering: the unit written, the commands to run said, exit 0', async () => {
    const place = placeIn('user');
    const { calls, run } = systemctl({
      'daemon-reload': { ok: false, message: 'Failed to connect to bus: No medium found' },
    });
    const { said, done } = install(place, { run });
    expect(await done).toBe(0);
    expect(existsSync(unitFile(place))).toBe(true);
    expect(calls).toEqual(['--user daemon-reload']);
    expect(said.slice(1)).toEqual([
      'systemd did not answer (Failed to connect to bus: No medium found); once it runs, run:',
      '  systemctl --user daemon-reload',
      '  systemctl --user enable --now overseer-shop.service',
    ]);
  });

  it('systemd refusing to start it: exit 1, and where to see why', async () => {
    const { run } = systemctl({ enable: { ok: false, message: 'Job failed' } });
    const { said, done } = install(placeIn(), { run });
    expect(await done).toBe(1);
    expect(said.slice(-2)).toEqual([
      'systemctl enable --now overseer-shop.service failed: Job failed',
      'see why: journalctl -u overseer-shop.service -f',
    ]);
  });
});

describe('removing the unit', () => {
  async function installed(scope: UnitPlace['scope'] = 'system') {
    const place = placeIn(scope);
    await install(place, { env: 'OVERSEER_TOKEN="t"\n' }).done;
    // As `enable` leaves it.
    const wants = join(place.unitDir, 'multi-user.target.wants');
    mkdirSync(wants);
    writeFileSync(join(wants, place.name), '');
    return place;
  }

  function uninstall(place: UnitPlace, run: Systemctl = systemctl().run) {
    const said: string[] = [];
    return { said, done: uninstallUnit(place, { systemctl: run, say: (line) => said.push(line) }) };
  }

  it('stops and disables it, then removes it, its link and its environment file', async () => {
    const place = await installed();
    const { calls, run } = systemctl();
    const { said, done } = uninstall(place, run);
    expect(await done).toBe(0);
    expect(calls).toEqual([
      'daemon-reload',
      'disable --now overseer-shop.service',
      'daemon-reload',
    ]);
    expect(existsSync(unitFile(place))).toBe(false);
    expect(existsSync(join(place.unitDir, 'multi-user.target.wants', place.name))).toBe(false);
    expect(existsSync(place.environmentFile)).toBe(false);
    expect(said).toEqual([
      'stopped and disabled overseer-shop.service',
      `removed ${unitFile(place)}`,
      `removed ${place.environmentFile}`,
    ]);
  });

  it('nothing there: says so, exit 0', async () => {
    const place = placeIn();
    const { said, done } = uninstall(place);
    expect(await done).toBe(0);
    expect(said).toEqual([`no overseer-shop.service in ${place.unitDir}: nothing to remove`]);
  });

  it('leaves a unit it did not write, naming it', async () => {
    const place = placeIn();
    mkdirSync(place.unitDir, { recursive: true });
    writeFileSync(unitFile(place), '[Service]\nExecStart=/bin/true\n');
    await expect(uninstall(place).done).rejects.toThrow(
      `${unitFile(place)} was not written by overseer startup: left as it is`,
    );
    expect(existsSync(unitFile(place))).toBe(true);
  });

  it('systemd refusing to stop it: nothing removed', async () => {
    const place = await installed();
    const { run } = systemctl({ disable: { ok: false, message: 'Access denied' } });
    await expect(uninstall(place, run).done).rejects.toThrow(
      'systemctl disable --now overseer-shop.service failed: Access denied; nothing removed',
    );
    expect(existsSync(unitFile(place))).toBe(true);
    expect(existsSync(place.environmentFile)).toBe(true);
  });
});
