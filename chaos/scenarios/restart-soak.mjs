// Restart soak: a process that exits at once, restarted with `delay: 0`, for a while. The
// daemon must keep up a steady restart rate with its memory and file descriptors flat after
// warm-up (RSS slope under 100 KB per 1,000 restarts), and the store must stay within its
// retention (settings.retention, docs/state.md: runs and events per process).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { isAlive, usage } from '../lib/procs.mjs';
import { slope, summarize } from '../lib/stats.mjs';

const MAX_RSS_SLOPE_PER_1000 = 100 * 1024;
/** Runs and events the store keeps per process (`settings.retention` below), plus the writes between two trims. */
const RUNS_KEPT = 200;
const EVENTS_KEPT = 2_000;
const TRIM_SLACK = 256;
/** Warm-up: the first 30% of the soak and its first 2,000 restarts (V8's heap is still growing). */
const WARM_UP = 0.3;
const WARM_UP_RESTARTS = 2_000;
/** A slope over fewer restarts than this is noise (one GC moves RSS by megabytes). */
const JUDGED_SPAN = 5_000;

export const restartSoak = {
  name: 'restart-soak',
  reap: 'live',
  budgetMs: { quick: 45_000, full: 420_000 },
  params: { quick: { seconds: 12 }, full: { seconds: 240 } },
  async run(ctx) {
    const project = ctx.project('restart-soak');
    project.write(`version: 1
settings:
  retention: { runs: ${RUNS_KEPT}, events: ${EVENTS_KEPT} }
processes:
  flap:
    command: [/bin/true]
    restart: { policy: always, max_restarts: 100000, window: 1s, delay: 0, min_uptime: 1ms }
`);
    const up = await project.cli(['up', '-d', '--wait-timeout', '10s'], { timeoutMs: 30_000 });
    const daemon = project.lockPid();
    if (
      !ctx.check('up -d leaves a daemon running', daemon && isAlive(daemon), {
        code: up.code,
        stderr: up.stderr.slice(-1500),
      })
    )
      return;
    const samples = [];
    const started = Date.now();
    const endAt = started + Math.min(ctx.params.seconds * 1000, ctx.timeLeft() - 8_000);
    while (Date.now() < endAt) {
      const answer = await project.http({ path: '/processes/flap', timeoutMs: 5_000 });
      const use = usage(daemon);
      let restarts = null;
      try {
        const body = JSON.parse(answer.body);
        restarts = (body.processes?.[0] ?? body).restarts ?? null;
      } catch {
        // counted below
      }
      ctx.check(
        'the daemon answers GET /processes/flap during the soak',
        answer.status === 200 && restarts !== null,
        {
          status: answer.status ?? answer.error ?? answer.timedOut,
          body: answer.body?.slice(0, 300),
        },
      );
      if (!ctx.check('the daemon stays up', use !== null, { daemon })) return;
      samples.push({ at: Date.now() - started, restarts, rss: use.rssBytes, fds: use.fds });
      await sleep(1_000);
    }
    const steady = samples
      .slice(Math.floor(samples.length * WARM_UP))
      .filter((s) => s.restarts !== null && s.restarts >= WARM_UP_RESTARTS);
    const first = steady[0];
    const last = steady[steady.length - 1];
    // The rate over the whole soak, warm-up included: it needs no steady phase.
    const counted = samples.filter((s) => s.restarts !== null);
    const [from, to] = [counted[0], counted[counted.length - 1]];
    const restartsPerSecond =
      from && to && to.at > from.at
        ? ((to.restarts - from.restarts) * 1000) / (to.at - from.at)
        : 0;
    const rssSlope = slope(steady.map((s) => [s.restarts / 1000, s.rss]));
    const fdsSlope = slope(steady.map((s) => [s.restarts / 1000, s.fds]));
    ctx.figure('restarts', to?.restarts ?? 0);
    ctx.figure('restartsPerSecond', Math.round(restartsPerSecond));
    // Before a steady phase exists (a short soak), the figures cover the whole of it.
    const shown = steady.length > 0 ? steady : counted;
    ctx.figure('rssBytes', summarize(shown.map((s) => s.rss)));
    ctx.figure('rssSlopeBytesPer1000Restarts', rssSlope === null ? null : Math.round(rssSlope));
    ctx.figure('fds', summarize(shown.map((s) => s.fds)));
    ctx.figure(
      'fdsSlopePer1000Restarts',
      fdsSlope === null ? null : Math.round(fdsSlope * 100) / 100,
    );
    ctx.check('restarts keep going (at least 10 a second)', restartsPerSecond >= 10, {
      restartsPerSecond,
      samples: samples.slice(-5),
    });
    const span = last && first ? last.restarts - first.restarts : 0;
    ctx.figure('restartsJudged', span);
    ctx.figure('rssJudged', span >= JUDGED_SPAN);
    ctx.check(
      'daemon RSS flat: slope under 100 KB per 1,000 restarts after warm-up',
      span < JUDGED_SPAN || (rssSlope !== null && rssSlope < MAX_RSS_SLOPE_PER_1000),
      {
        rssSlope,
        samples: steady.map((s) => [s.restarts, s.rss]),
      },
    );
    ctx.check(
      'daemon file descriptors flat after warm-up',
      span < JUDGED_SPAN || (fdsSlope !== null && fdsSlope < 1 && last.fds - first.fds <= 5),
      {
        fdsSlope,
        first: first?.fds,
        last: last?.fds,
      },
    );
    checkStore(ctx, project);
  },
};

/** The store holds no more than its retention: counted with a read-only connection. */
function checkStore(ctx, project) {
  const file = join(project.stateDir, 'state.db');
  let db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    const runs = db.prepare("SELECT count(*) AS n FROM runs WHERE process = 'flap'").get().n;
    const events = db.prepare("SELECT count(*) AS n FROM events WHERE process = 'flap'").get().n;
    ctx.figure('storeRuns', runs);
    ctx.figure('storeEvents', events);
    ctx.figure('storeBytes', statSync(file).size + walSize(file));
    ctx.check('the store keeps at most its retention of runs', runs <= RUNS_KEPT + TRIM_SLACK, {
      runs,
      kept: RUNS_KEPT,
    });
    ctx.check(
      'the store keeps at most its retention of events',
      events <= EVENTS_KEPT + TRIM_SLACK,
      { events, kept: EVENTS_KEPT },
    );
  } catch (error) {
    ctx.fail('the store can be read', { error: String(error) });
  } finally {
    db?.close();
  }
}

function walSize(file) {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
