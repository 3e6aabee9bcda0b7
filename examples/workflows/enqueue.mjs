// Starts five ingest runs (the third one crashes the worker once) and one poison one, for
// the worker to take up. Ids make it safe to run again: a second start of one id is the
// same run.
import { Workflows } from 'overseer';
import { defineIngest } from './ingest.mjs';

const workflows = new Workflows();
const ingest = defineIngest(workflows);
for (const n of [1, 2, 3, 4, 5]) {
  const run = await ingest.start({ id: n, crash: n === 3 }, { id: `record-${n}`, enqueue: true });
  console.log(`${run.id}: ${run.created ? 'queued' : 'already there'}`);
}
const poison = await ingest.start({ id: 666, poison: true }, { id: 'record-666', enqueue: true });
console.log(`${poison.id}: ${poison.created ? 'queued (poison)' : 'already there'}`);
await workflows.close();
