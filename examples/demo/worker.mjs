// The demo's worker: starts once the API is healthy and calls it every second.
const url = `http://127.0.0.1:${process.env.PORT}/work`;
const timer = setInterval(async () => {
  const { served } = await (await fetch(url)).json();
  console.log(`job done (api has served ${served})`);
}, 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('draining and exiting');
  process.exit(0);
});
