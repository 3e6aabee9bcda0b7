// The demo's worker: starts once the API is healthy and calls it every second. SIGUSR1
// (`overseer signal SIGUSR1 worker`) makes it say how much it has done.
const url = `http://127.0.0.1:${process.env.PORT}/work`;
let done = 0;
const timer = setInterval(async () => {
  const { served } = await (await fetch(url)).json();
  done += 1;
  console.log(`job done (api has served ${served})`);
}, 1000);
process.on('SIGUSR1', () =>
  console.log(`worker ${process.env.OVERSEER_INSTANCE}: ${done} jobs done so far`),
);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('draining and exiting');
  process.exit(0);
});
