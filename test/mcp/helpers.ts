/**
 * The server driven as a coding agent drives it: the SDK's own `Client`, linked in process
 * to a server over a real daemon's socket. Clients and servers are closed after the test.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createOverseerMcpServer } from '../../src/mcp/server.js';
import { type ClientTarget, HttpSupervisorClient } from '../../src/protocol/client.js';

const open: Array<{ close(): Promise<void> }> = [];

/** For `afterEach`: closes every client and server. */
export async function closeClients(): Promise<void> {
  await Promise.allSettled(open.splice(0).map((one) => one.close()));
}

/** A client of a server over the daemon at `target` (its socket's path, or TCP and a token). */
export async function mcpClient(
  target: string | ClientTarget,
  options: { allowActions?: boolean; secrets?: readonly string[] } = {},
): Promise<Client> {
  const supervisor = new HttpSupervisorClient(
    typeof target === 'string' ? { socketPath: target } : target,
  );
  const server = createOverseerMcpServer({
    supervisor,
    withWorkflows: (use) => use(supervisor.workflows),
    allowActions: options.allowActions ?? false,
    noDaemonHint: 'Start one with `overseer up -d`.',
    version: '0.0.0',
    ...(options.secrets && { secrets: options.secrets }),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(clientSide);
  open.push(client, server);
  return client;
}

/** The text a tool answered, and whether it answered a failure. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const [first] = result.content;
  return { text: first?.type === 'text' ? first.text : '', isError: result.isError === true };
}

/** The text of a resource. */
export async function readText(client: Client, uri: string): Promise<string> {
  const { contents } = await client.readResource({ uri });
  const [first] = contents;
  return first !== undefined && 'text' in first ? first.text : '';
}
