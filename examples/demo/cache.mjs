// The demo's cache: a TCP server that hangs (stops accepting) after a while, so its liveness probe restarts it.
import { createServer } from 'node:net';

const port = Number(process.env.CACHE_PORT);
const server = createServer((socket) => {
  socket.on('error', () => {}); // probes hang up without reading
  socket.end('PONG\n');
});
server.listen(port, '127.0.0.1', () => console.log(`cache up on :${port}`));
setTimeout(() => {
  console.error('cache wedged: no longer accepting connections');
  server.close();
  setInterval(() => {}, 1 << 30); // still alive, just useless: only a liveness probe can tell
}, 4000);
process.on('SIGTERM', () => process.exit(0));
