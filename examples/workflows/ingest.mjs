// The ingest workflow, shared by the worker that runs it and the job that starts it: four
// steps, each recorded before the next begins. `parse` kills the worker the first time it
// runs for a record marked `crash` (to show the supervisor restarting the worker and the
// run resuming at that step);
// `enrich` refuses a poison record until the file `fixed` exists in this folder (to show a
// dead letter, and its retry after the fix).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const crashes = join(here, '.overseer', 'crashed');

export function defineIngest(workflows) {
  return workflows.define('ingest', async (ctx, input) => {
    const raw = await ctx.step('fetch', () => ({ id: input.id, body: `record ${input.id}` }));
    const parsed = await ctx.step('parse', () => {
      const marker = join(crashes, ctx.runId);
      if (input.crash && !existsSync(marker)) {
        mkdirSync(crashes, { recursive: true });
        writeFileSync(marker, '');
        console.log(`${ctx.runId}: parse crashes the worker (once)`);
        process.exit(1);
      }
      return { id: raw.id, words: raw.body.split(' ').length };
    });
    const enriched = await ctx.step(
      'enrich',
      () => {
        if (input.poison && !existsSync(join(here, 'fixed'))) {
          throw new Error(
            `record ${input.id} is poison: touch examples/workflows/fixed, then overseer dlq retry`,
          );
        }
        return { ...parsed, score: parsed.words * 10 };
      },
      { retry: { attempts: 3 } },
    );
    await ctx.step('store', ({ key }) => {
      console.log(`${ctx.runId}: stored ${JSON.stringify(enriched)} (idempotency key ${key})`);
    });
    return enriched;
  });
}
