// The worker that the workflows benchmark SIGKILLs: it starts `runs` runs, each of which
// records `crashAfter` steps and then waits in the next one for good; once all of them
// wait there it prints `ready` and waits to be killed. Settings as JSON in argv[2].
import { Workflows } from '../dist/index.js';

const { runs, crashAfter, ...options } = JSON.parse(process.argv[2]);
const workflows = new Workflows(options);
let waiting = 0;
const workflow = workflows.define('interrupted', async (ctx) => {
  for (let index = 0; index < crashAfter; index++) await ctx.step(`step-${index}`, () => {});
  await ctx.step(`step-${crashAfter}`, () => {
    if (++waiting === runs) process.stdout.write('ready\n');
    return new Promise(() => {});
  });
  return null;
});
for (let first = 0; first < runs; first += 50) {
  const batch = Math.min(50, runs - first);
  await Promise.all(Array.from({ length: batch }, () => workflow.start(null)));
}
// Kept alive by nothing else once the runs wait on promises that never settle.
setInterval(() => {}, 60_000);
