/**
 * The package as a user gets it: `npm pack`ed, installed from the tarball into a fresh
 * project, then used from there: the `overseer` bin on PATH, `import` and `require()`.
 *
 * Kept fast and offline, honestly: the tarball's dependencies are installed with `npm ci
 * --offline` from a lockfile holding exactly the entries the repository's own lockfile pins
 * (so from the npm cache that installing the repository filled, with no registry lookup),
 * and `--ignore-scripts` skips building better-sqlite3 from source (two minutes here):
 * the native module the repository already built, for the same version and the same node,
 * is copied in instead. `npm pack --ignore-scripts` packs the `dist/` under test (built
 * before the tests run, as for the CLI tests) rather than building it again.
 */

import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
  exports: { '.': { types: string; import: string; require: string } };
};

interface LockEntry {
  readonly dev?: boolean;
  readonly devOptional?: boolean;
}

let project: string;
/** PATH with the project's `node_modules/.bin` (so `overseer` is found) and this node. */
let path: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, manifest.exports['.'].import))) {
    throw new Error('no dist/ to pack: run `npm run build` first');
  }
  project = mkdtempSync(join(tmpdir(), 'ovp-'));
  const packed = await execa(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', project],
    { cwd: ROOT },
  );
  const tarball = String(packed.stdout).trim().split('\n').at(-1)!;
  writeConsumer(project, tarball);
  await execa('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: project,
  });
  const native = join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const built = join(dirname(createRequire(ROOT).resolve('better-sqlite3/package.json')), '..');
  mkdirSync(dirname(join(project, 'node_modules', native)), { recursive: true });
  copyFileSync(join(built, native), join(project, 'node_modules', native));
  path = [join(project, 'node_modules', '.bin'), dirname(process.execPath), process.env.PATH].join(
    ':',
  );
}, 90_000);

afterAll(async () => {
  if (!project) return;
  await run('overseer', ['down']).catch(() => {});
  rmSync(project, { recursive: true, force: true });
});

/** Runs a command in the project folder (or `cwd`) with the project's PATH. */
function run(file: string, args: readonly string[], input?: string, cwd = project) {
  return execa(file, args, {
    cwd,
    env: { PATH: path, OVERSEER_TEST_RUN: process.env.OVERSEER_TEST_RUN ?? '' },
    extendEnv: false,
    input,
    reject: false,
    timeout: 20_000,
  });
}

/**
 * The consumer's package.json, depending on the tarball, and its lockfile: the tarball's
 * entry, and the repository's lockfile entries of everything but its dev dependencies.
 */
function writeConsumer(dir: string, tarball: string): void {
  const spec = `file:${tarball}`;
  const integrity = `sha512-${createHash('sha512')
    .update(readFileSync(join(dir, tarball)))
    .digest('base64')}`;
  const pinned = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [key, entry] of Object.entries(pinned.packages)) {
    if (key !== '' && !entry.dev && !entry.devOptional) packages[key] = entry;
  }
  const consumer = { name: 'consumer', private: true, dependencies: { [manifest.name]: spec } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(consumer, null, 2));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
}

/** A job through the library, `{import}` or `{require}`d: prints its exit code and output. */
const LIBRARY_USE = `
const supervisor = new Supervisor();
supervisor.add({ name: 'hello', kind: 'job', command: [process.execPath, '-e', 'console.log(42)'] });
supervisor.up().then(async ([info]) => {
  await supervisor.shutdown();
  console.log(info.status, supervisor.logs('hello').map((line) => line.text).join());
});`;

describe('the packed package, installed in a fresh project', () => {
  it('puts a working overseer on PATH: up -d, ps, down', async () => {
    writeFileSync(
      join(project, 'overseer.yaml'),
      `version: 1\nprocesses:\n  idle:\n    command: ["${process.execPath}", "-e", "setInterval(() => {}, 1000)"]\n`,
    );

    expect((await run('overseer', ['--version'])).stdout).toBe(manifest.version);
    const up = await run('overseer', ['up', '-d']);
    expect(up.stderr).toBe('');
    expect(up.exitCode).toBe(0);
    const ps = await run('overseer', ['ps', '--json']);
    expect(JSON.parse(String(ps.stdout)).processes).toMatchObject([
      { name: 'idle', status: 'running' },
    ]);
    expect((await run('overseer', ['down'])).exitCode).toBe(0);
  });

  it('ships overseer.schema.json, which `overseer init` points a new config at', async () => {
    const init = await run('overseer', ['init', '-f', 'starter.yaml']);
    expect(init.exitCode).toBe(0);
    const firstLine = readFileSync(join(project, 'starter.yaml'), 'utf8').split('\n')[0];
    expect(firstLine).toBe(
      '# yaml-language-server: $schema=./node_modules/overseer/overseer.schema.json',
    );
    const resolved = await run(process.execPath, [
      '-p',
      "require.resolve('overseer/overseer.schema.json')",
    ]);
    expect(resolved.stdout).toBe(join(project, 'node_modules/overseer/overseer.schema.json'));
    expect(readFileSync(String(resolved.stdout), 'utf8')).toBe(
      readFileSync(join(ROOT, 'overseer.schema.json'), 'utf8'),
    );
  });

  it('ships what runs and nothing else: no sources, tests, benchmarks or examples', async () => {
    const shipped = readdirSync(join(project, 'node_modules', 'overseer'), { recursive: true })
      .map(String)
      .filter((path) => !path.endsWith('/') && !path.includes('node_modules'));
    const tops = new Set(shipped.map((path) => path.split(sep)[0]));
    expect([...tops].sort()).toEqual(
      [
        'LICENSE',
        'README.md',
        'dist',
        'native',
        'overseer.schema.json',
        'package.json',
        'scripts',
      ].sort(),
    );
    expect(shipped.filter((path) => /\.test\.|(^|\/)(test|bench|chaos|src)\//.test(path))).toEqual(
      [],
    );
    // What `exports`, `types` and `bin` name is there.
    for (const file of [
      manifest.exports['.'].types,
      manifest.exports['.'].import,
      manifest.exports['.'].require,
      ...Object.values(manifest.bin),
    ]) {
      expect(shipped).toContain(join(file));
    }
  });

  it('gives TypeScript its types through exports: a use type-checks, a misuse does not', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          // The package's own declarations name react's and ink's types, which a
          // consumer not using the dashboard has no reason to install.
          skipLibCheck: true,
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['use.mts'],
      }),
    );
    const use = (body: string) => {
      writeFileSync(
        join(project, 'use.mts'),
        `import { Supervisor, type ProcessInfo } from 'overseer';\n${body}\n`,
      );
      return execa(process.execPath, [tsc, '-p', project], { cwd: project, reject: false });
    };
    const good = await use(
      'const supervisor = new Supervisor();\nconst infos: ProcessInfo[] = await supervisor.up();\nconsole.log(infos.length);',
    );
    expect(good.stdout).toBe('');
    expect(good.exitCode).toBe(0);
    const bad = await use("new Supervisor().add({ nmae: 'web', command: 'true' });");
    expect(bad.stdout).toMatch(/nmae/);
    expect(bad.exitCode).not.toBe(0);
  });

  it("takes a new user's first steps: init, validate, schema, startup --print, completion, an agent's session", async () => {
    const fresh = join(project, 'fresh');
    mkdirSync(fresh);
    const inFresh = (args: readonly string[]) => run('overseer', args, undefined, fresh);
    expect((await inFresh(['init'])).exitCode).toBe(0);
    const validate = await inFresh(['validate']);
    expect(validate.exitCode).toBe(0);

    const schema = JSON.parse(String((await inFresh(['schema'])).stdout)) as { $schema: string };
    expect(schema.$schema).toMatch(/json-schema\.org/);

    const unit = String((await inFresh(['startup', '--print'])).stdout);
    const main = join(project, 'node_modules', 'overseer', 'dist', 'cli', 'main.js');
    expect(unit).toContain(
      `ExecStart=${process.execPath} ${main} up --no-tui -f ${join(fresh, 'overseer.yaml')}`,
    );

    const completion = await inFresh(['completion', 'bash']);
    expect(completion.exitCode).toBe(0);
    expect(String(completion.stdout)).toMatch(/complete .*overseer/);

    // An agent's session over stdio with the installed bin, against the stack of the first
    // test's config, brought up for it.
    expect((await run('overseer', ['up', '-d'])).exitCode).toBe(0);
    const transport = new StdioClientTransport({
      command: join(project, 'node_modules', '.bin', 'overseer'),
      args: ['mcp'],
      cwd: project,
      env: { PATH: path },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'first-agent', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('list_processes');
      expect(tools.map((tool) => tool.name)).not.toContain('restart_process');
      const answer = (await client.callTool({ name: 'list_processes', arguments: {} })) as {
        isError?: boolean;
        content: { type: string; text: string }[];
      };
      expect(answer.isError).toBeFalsy();
      expect(answer.content[0]?.text).toMatch(/idle.*running/);
    } finally {
      await client.close();
      await run('overseer', ['down']);
    }
  });

  it('can be imported', async () => {
    const script = `import { Supervisor } from 'overseer';\n${LIBRARY_USE}`;
    const result = await run(process.execPath, ['--input-type=module'], script);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('completed 42');
  });

  it('can be required (Node ≥ 20.19 loads its ES modules)', async () => {
    const script = `const { Supervisor } = require('overseer');\n${LIBRARY_USE}`;
    const result = await run(process.execPath, ['--input-type=commonjs'], script);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('completed 42');
  });
});
