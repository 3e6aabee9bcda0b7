// The demo's HTTP API: takes a moment to warm up, then answers /health and /work on $PORT.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
let served = 0;
const server = createServer((req, res) => {
  if (req.url === '/health') return res.writeHead(200).end('ok');
  served += 1;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ served }));
});
console.log('warming up caches…');
setTimeout(() => server.listen(port, '127.0.0.1', () => console.log(`listening on :${port}`)), 800);
process.on('SIGTERM', () => {
  console.log(`shutting down after ${served} requests`);
  server.close(() => process.exit(0));
});
