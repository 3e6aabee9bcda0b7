// The worker: runs ingest runs as they come, 4 at a time, starting with what a crash of
// its previous life left (overseer restarts it under the same name, so it takes those back
// at once). Its runs live in the project's workflows.db (see overseer.yaml).
import { Workflows } from 'overseer';
import { defineIngest } from './ingest.mjs';

const workflows = new Workflows();
defineIngest(workflows);
workflows.onEvent((event) => {
  if (event.type === 'workflow:completed') console.log(`${event.runId}: completed`);
  if (event.type === 'workflow:dead-lettered') {
    console.log(
      `${event.runId}: dead letter at ${event.letter.step}: ${event.letter.error.message}`,
    );
  }
});
workflows.onEvent((event) => {
  if (event.type === 'workflow:started' && event.resumed) console.log(`${event.runId}: resumed`);
});
const worker = workflows.worker({ concurrency: 4, pollMs: 200 });
console.log('worker ready');

process.on('SIGTERM', async () => {
  await worker.stop();
  await workflows.close();
  process.exit(0);
});
