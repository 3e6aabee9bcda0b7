/**
 * `overseer mcp` as a client starts it: the built CLI spawned over stdio by the SDK's own
 * transport, in a project whose daemon is not running. Stdout carries nothing but the
 * protocol (a stray line would be an error of the client), and closing the client ends it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, expect, it } from 'vitest';
import { BIN, cleanup, createProject, isGone, overseer, waitFor } from '../cli/helpers.js';

afterEach(cleanup);

it('serves over stdio: lists its tools, answers a call, and ends when the client closes', async () => {
  const project = createProject('version: 1\nprocesses:\n  web:\n    command: sleep 60\n');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--allow-actions'],
    cwd: project.dir,
    // Ours whole: the test run's mark with it, so that a server left behind is found.
    env: process.env as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  const errors: Error[] = [];
  client.onerror = (error) => errors.push(error);
  await client.connect(transport);
  const pid = transport.pid!;
  project.pids.add(pid);

  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual(
    expect.arrayContaining(['list_processes', 'read_logs', 'run_task']),
  );
  const answer = (await client.callTool({
    name: 'list_processes',
    arguments: {},
  })) as CallToolResult;
  expect(answer.isError).toBe(true);
  expect(answer.content[0]).toMatchObject({
    type: 'text',
    text: expect.stringMatching(
      /^no supervisor is running at .*: start one with `overseer up -d -f .*overseer\.yaml`/,
    ),
  });

  const closing = Date.now();
  await client.close();
  await waitFor(() => isGone(pid), 'the server to end');
  // On the end of its stdin, not on the SIGTERM the transport sends after 2 seconds.
  expect(Date.now() - closing).toBeLessThan(2_000);
  expect(errors).toEqual([]);
  expect(stderr).toMatch(/^overseer mcp: serving .*overseer\.yaml on stdio \(actions allowed\)$/m);
});

it('regression: a request the client cancelled kept the server running after the client closed', async () => {
  const project = createProject('version: 1\nprocesses:\n  web:\n    command: sleep 60\n');
  expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--allow-actions'],
    cwd: project.dir,
    env: process.env as Record<string, string>,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid!;
  project.pids.add(pid);

  // Sent, then cancelled: the server never answers a cancelled request.
  const cancel = new AbortController();
  const call = client.callTool(
    { name: 'run_task', arguments: { command: 'sleep 30', wait_seconds: 60 } },
    undefined,
    { signal: cancel.signal },
  );
  cancel.abort();
  await expect(call).rejects.toThrow();

  const closing = Date.now();
  await client.close();
  await waitFor(() => isGone(pid), 'the server to end');
  expect(Date.now() - closing).toBeLessThan(2_000);
});
