/**
 * Which tokens `overseer mcp` keeps out of every answer, whatever state the config is in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tokensOf } from '../../src/cli/commands/mcp.js';

const saved = process.env.OVERSEER_TOKEN;
const dirs: string[] = [];
afterEach(() => {
  if (saved === undefined) delete process.env.OVERSEER_TOKEN;
  else process.env.OVERSEER_TOKEN = saved;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-mcp-tokens-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'overseer.yaml'), text);
  return join(dir, 'overseer.yaml');
}

it('regression: with a config that does not load, OVERSEER_TOKEN was shown unredacted', async () => {
  process.env.OVERSEER_TOKEN = 'env-token-of-some-length';
  const broken = config('version: 1\nprocesses: {}\n');
  expect(await tokensOf({ file: broken })).toEqual(['env-token-of-some-length']);
});

it("keeps out the --api token, OVERSEER_TOKEN and the config's own, each once", async () => {
  process.env.OVERSEER_TOKEN = 'env-token-of-some-length';
  const file = config(
    'version: 1\nsettings:\n  api: { listen: "127.0.0.1:0", token: config-token-of-some-length }\nprocesses:\n  web: { command: sleep 60 }\n',
  );
  expect(await tokensOf({ file })).toEqual([
    'env-token-of-some-length',
    'config-token-of-some-length',
  ]);
  expect(
    await tokensOf({ api: 'http://127.0.0.2:9615', token: 'env-token-of-some-length' }),
  ).toEqual(['env-token-of-some-length']);
});
