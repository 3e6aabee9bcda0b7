/**
 * Serving on stdio until the client is done: its stdin closed (or a signal), and every
 * request it sent before answered, so that `… | overseer mcp` gets all its answers.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

type Id = string | number;

/** Connects `server` to this process's stdin and stdout; resolves once it has closed. */
export async function serveStdio(server: McpServer): Promise<void> {
  const transport = new StdioServerTransport();
  await server.connect(transport);
  const pending = new Set<Id>();
  let drained: () => void = () => {};
  const settle = (id: Id | undefined) => {
    if (id !== undefined && pending.delete(id) && pending.size === 0) drained();
  };
  const received = transport.onmessage;
  transport.onmessage = (...args: Parameters<NonNullable<typeof received>>) => {
    const id = requestId(args[0]);
    if (id !== undefined) pending.add(id);
    // A request the client cancelled is never answered: it waits for nothing more.
    settle(cancelledId(args[0]));
    received?.(...args);
  };
  const send = transport.send.bind(transport);
  transport.send = async (...args: Parameters<typeof send>) => {
    try {
      await send(...args);
    } finally {
      // Answered, or past answering (the client's end of the pipe is gone).
      settle(responseId(args[0]));
    }
  };
  await inputEnded();
  if (pending.size > 0) {
    await new Promise<void>((resolve) => {
      drained = resolve;
    });
  }
  await server.close();
}

function requestId(message: JSONRPCMessage): Id | undefined {
  return 'method' in message && 'id' in message ? message.id : undefined;
}

function cancelledId(message: JSONRPCMessage): Id | undefined {
  if (!('method' in message) || message.method !== 'notifications/cancelled') return undefined;
  const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

function responseId(message: JSONRPCMessage): Id | undefined {
  return !('method' in message) && 'id' in message ? message.id : undefined;
}

/**
 * Resolves once the client closed stdin, or a signal asked the server to end. Its listeners
 * go then: a signal while the last answers are written ends the process as signals do.
 */
function inputEnded(): Promise<void> {
  return new Promise((resolve) => {
    const end = () => {
      process.stdin.off('end', end).off('close', end);
      process.off('SIGINT', end).off('SIGTERM', end);
      resolve();
    };
    process.stdin.once('end', end).once('close', end);
    process.once('SIGINT', end).once('SIGTERM', end);
  });
}
