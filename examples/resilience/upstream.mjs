// A flaky HTTP service for the worker to call: GET /quote answers a price, or fails, or
// hangs, depending on its mode. By itself it goes round healthy (12 s) → failing (10 s) →
// hanging (6 s) → healthy…; `POST /mode/healthy|failing|hanging` sets the mode by hand
// (and stops the round). Listens on 127.0.0.1:$UPSTREAM_PORT.
import { createServer } from 'node:http';

const port = Number(process.env.UPSTREAM_PORT);
const ROUND = [
  ['healthy', 12_000],
  ['failing', 10_000],
  ['hanging', 6_000],
];
let mode = 'healthy';
let step = 0;
let roundTimer;

function nextStep() {
  const [name, ms] = ROUND[step % ROUND.length];
  step++;
  setMode(name);
  roundTimer = setTimeout(nextStep, ms);
}

function setMode(name) {
  if (name !== mode) console.log(`upstream is now ${name}`);
  mode = name;
}

const server = createServer((req, res) => {
  const manual = req.method === 'POST' && req.url?.match(/^\/mode\/(healthy|failing|hanging)$/);
  if (manual) {
    clearTimeout(roundTimer);
    setMode(manual[1]);
    return res.writeHead(204).end();
  }
  if (req.url === '/health') return res.writeHead(200).end('up'); // the process, not its mode
  if (req.url !== '/quote') return res.writeHead(404).end();
  if (mode === 'failing') return res.writeHead(503).end('overloaded');
  if (mode === 'hanging') return; // never answers: the caller's timeout has to end it
  const price = (100 + Math.random() * 5).toFixed(2);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ price }));
});

server.listen(port, '127.0.0.1', () => {
  console.log(`upstream listening on :${port}`);
  if (process.env.UPSTREAM_ROUND !== 'off') nextStep();
});
process.on('SIGTERM', () => {
  clearTimeout(roundTimer);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
