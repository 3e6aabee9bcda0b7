// biome-ignore-all lint/suspicious/noTemplateCurlyInString: a config's own ${NAME} interpolation is what these tests write
/**
 * `overseer export` through the built binary, as a user runs it: the files on stdout or in
 * a folder, what did not carry over on stderr, and the refusals (exit 2, nothing written).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, createProject, overseer } from './helpers.js';

afterEach(cleanup);

const STACK = `
version: 1
name: shop
processes:
  db:
    command: [postgres, -D, data]
    readiness: { tcp: "127.0.0.1:5432" }
  api:
    command: node server.js
    instances: 2
    env: { PORT: "3000", API_TOKEN: hunter2 }
    depends_on: { db: healthy }
    readiness: { http: "http://127.0.0.1:3000/health" }
    limits: { open_files: 1024 }
`;

describe('overseer export', () => {
  it('prints YAML documents separated by ---, and lists on stderr what did not carry over', async () => {
    const project = createProject(STACK);
    const result = await overseer(project, ['export', '--format', 'kubernetes']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toMatch(/kind: Deployment[\s\S]*\n---\n[\s\S]*kind: Deployment/);
    expect(String(result.stdout)).not.toContain('hunter2');
    const stderr = String(result.stderr);
    expect(stderr).toContain('REPLACE BEFORE USE');
    expect(stderr).toContain('image REPLACE_ME/api:latest');
    expect(stderr).toContain('Secret api-secrets: API_TOKEN');
    expect(stderr).toMatch(/limits\.open_files \(api\): /);
  });

  it('writes the files in a folder, again when nothing changed, and refuses one that differs', async () => {
    const project = createProject(STACK);
    const out = join(project.dir, 'deploy', 'units');
    const args = ['export', '--format', 'systemd', '-o', out];
    const first = await overseer(project, args);
    expect(first.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'overseer-shop-api@.service',
      'overseer-shop-db.service',
      'overseer-shop.target',
    ]);
    expect((await overseer(project, args)).exitCode).toBe(0);

    const edited = join(out, 'overseer-shop-db.service');
    writeFileSync(edited, '# mine\n');
    const refused = await overseer(project, args);
    expect(refused.exitCode).toBe(2);
    expect(String(refused.stderr)).toContain(edited);
    expect(String(refused.stderr)).toContain('--force');
    expect(readFileSync(edited, 'utf8')).toBe('# mine\n');

    expect((await overseer(project, [...args, '--force'])).exitCode).toBe(0);
    expect(readFileSync(edited, 'utf8')).toContain('ExecStart=postgres -D data');
  });

  it('regression: -o naming a file, not a folder, failed with a bare Node error', async () => {
    const project = createProject(STACK);
    const file = join(project.dir, 'taken');
    writeFileSync(file, 'mine\n');
    const result = await overseer(project, ['export', '--format', 'compose', '-o', file]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain(`cannot write the export into ${file}`);
    expect(String(result.stderr)).toContain('nothing written');
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  it('refuses an unknown format, naming the formats, and writes nothing', async () => {
    const project = createProject(STACK);
    const out = join(project.dir, 'out');
    const result = await overseer(project, ['export', '--format', 'helm', '-o', out]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('kubernetes, nomad, compose, systemd');
    expect(existsSync(out)).toBe(false);
  });

  it('regression: a secret from the shell in a command was written into the exported files', async () => {
    const project = createProject(`
version: 1
name: shop
processes:
  api:
    command: node server.js --token \${API_TOKEN}
    labels: { region: "\${REGION}" }
`);
    const out = join(project.dir, 'out');
    const env = { API_TOKEN: 'hunter2-from-the-shell', REGION: 'eu-west' };

    const refused = await overseer(project, ['export', '--format', 'compose', '-o', out], { env });

    expect(refused.exitCode).toBe(2);
    expect(String(refused.stderr)).toContain('processes.api.command (${API_TOKEN})');
    expect(String(refused.stderr)).not.toContain('hunter2');
    expect(existsSync(out)).toBe(false);
  });

  it('says where a value that is not secret came from the shell, on stderr and atop the files', async () => {
    const project = createProject(`
version: 1
name: shop
processes:
  api:
    command: node server.js --region \${REGION}
`);
    const result = await overseer(project, ['export', '--format', 'systemd'], {
      env: { REGION: 'eu-west' },
    });

    expect(result.exitCode).toBe(0);
    const said =
      "command (api): takes ${REGION} from the exporting shell: that shell's value is written in the file";
    expect(String(result.stderr)).toContain(said);
    expect(String(result.stdout)).toContain(`#   - ${said}`);
    expect(String(result.stdout)).toContain('server.js --region eu-west');
  });

  it("refuses a secret from the shell only where the format writes it, and never for the shell's own PWD", async () => {
    const project = createProject(`
version: 1
name: shop
processes:
  api:
    command: node \${PWD}/server.js
    labels: { token: "\${API_TOKEN}" }
`);
    const env = { API_TOKEN: 'hunter2-from-the-shell' };
    // systemd units have no labels: nothing of the token is written, nothing to refuse.
    const systemd = await overseer(project, ['export', '--format', 'systemd'], { env });
    expect(systemd.exitCode).toBe(0);
    expect(String(systemd.stdout)).not.toContain('hunter2');
    expect(String(systemd.stdout)).toContain('takes ${PWD} from the exporting shell');
    const compose = await overseer(project, ['export', '--format', 'compose'], { env });
    expect(compose.exitCode).toBe(2);
    expect(String(compose.stderr)).toContain('processes.api.labels.token (${API_TOKEN})');
  });
});
