// API fuzz: random hostile requests on the daemon's Unix socket and on its TCP listener. The
// daemon must stay up and answer each within 10 s; on TCP, anything without the exact token
// is 401; every error is the JSON error shape `{"error": {"code", "message"}}`; no 5xx.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_FRAME } from '../lib/context.mjs';
import { randomRequest } from '../lib/mutate-request.mjs';
import { isAlive } from '../lib/procs.mjs';
import { freePort, TEST_FIXTURES, TOKEN } from '../lib/project.mjs';
import { rawRequest } from '../lib/raw-http.mjs';
import { summarize } from '../lib/stats.mjs';

const ANSWER_BOUND_MS = 10_000;
const PARALLEL = 4;

export const apiFuzz = {
  name: 'api-fuzz',
  reap: 'live',
  budgetMs: { quick: 40_000, full: 300_000 },
  params: { quick: { requests: 500 }, full: { requests: 2_400 } },
  async run(ctx) {
    const project = ctx.project('api-fuzz');
    project.port = await freePort();
    project.write(`version: 1
settings:
  api: { listen: "127.0.0.1:${project.port}", token: "${TOKEN}" }
processes:
  app:
    command: [node, ${TEST_FIXTURES}sleeper.mjs]
    restart: { max_restarts: 100000, delay: 100ms }
  job:
    kind: job
    command: [node, ${TEST_FIXTURES}exit-with.mjs, "0"]
`);
    const up = await project.cli(['up', '-d'], { timeoutMs: 60_000 });
    if (
      !ctx.check('up -d starts the stack', up.code === 0, {
        code: up.code,
        stderr: up.stderr.slice(-1500),
      })
    )
      return;
    const daemon = project.lockPid();
    const socket = { path: join(project.stateDir, 'overseer.sock') };
    const tcp = { host: '127.0.0.1', port: project.port };
    const statuses = {};
    const ms = [];
    let sent = 0;
    let unauthorizedTcp = 0;
    let parserRefused = 0;
    let next = 0;
    const worker = async () => {
      while (next < ctx.params.requests && ctx.timeLeft() > 5_000) {
        next += 1;
        let request = randomRequest(ctx.prng, { token: TOKEN, tcp: ctx.prng.chance(0.5) });
        while (request.destructive && request.authorized)
          request = randomRequest(ctx.prng, { token: TOKEN, tcp: request.tcp });
        const answer = await rawRequest(request.tcp ? tcp : socket, {
          head: request.head,
          body: request.body,
          timeoutMs: request.incomplete ? 1_500 : ANSWER_BOUND_MS,
        });
        sent += 1;
        const key = answer.status ?? (answer.timedOut ? 'timeout' : answer.error);
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (answer.status) ms.push(answer.ms);
        judge(ctx, request, answer, () => {
          if (request.tcp && !request.authorized) unauthorizedTcp += 1;
        });
        if (!request.wellFormed && answer.status && answer.status < 500 && !isJsonError(answer))
          parserRefused += 1;
        if (sent % 100 === 0) await stillUp(ctx, project, socket, daemon, sent);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    await stillUp(ctx, project, socket, daemon, sent);
    let daemonOut = '';
    try {
      daemonOut = readFileSync(join(project.stateDir, 'daemon.out'), 'utf8');
    } catch {
      // none written
    }
    ctx.check('the daemon writes no stack trace to daemon.out', !STACK_FRAME.test(daemonOut), {
      daemonOut: daemonOut.slice(0, 2000),
    });
    ctx.figure('requests', sent);
    ctx.figure('tcpWithoutToken', unauthorizedTcp);
    ctx.figure('refusedByHttpParser', parserRefused);
    ctx.figure('statuses', statuses);
    ctx.figure('answerMs', summarize(ms));
  },
};

function isJsonError(answer) {
  try {
    const { error } = JSON.parse(answer.body);
    return (
      typeof error?.code === 'string' &&
      typeof error?.message === 'string' &&
      /json/.test(answer.headers['content-type'] ?? '')
    );
  } catch {
    return false;
  }
}

/** The invariants one answer must meet. */
function judge(ctx, request, answer, countUnauthorized) {
  const evidence = {
    request: `${request.tcp ? 'tcp' : 'socket'} ${request.head.slice(0, 300).replaceAll('\r\n', ' | ')}`,
    bodyBytes: request.body.length,
    status: answer.status,
    error: answer.error,
    timedOut: answer.timedOut,
    answer: answer.body?.slice(0, 300),
  };
  if (request.incomplete) return; // the server rightly waits for the rest of the body
  const resetEarly = request.huge && /EPIPE|ECONNRESET/.test(answer.error ?? '');
  if (request.wellFormed && !resetEarly) {
    ctx.check(
      `every request gets an answer within ${ANSWER_BOUND_MS / 1000} s`,
      answer.status !== undefined,
      evidence,
    );
  }
  if (answer.status === undefined) return;
  const status = answer.status;
  const health = /^\/(health|daemon)$/.test(request.path) && status === 503;
  ctx.check('no 5xx', status < 500 || health, evidence);
  if (request.tcp && !request.authorized && request.wellFormed) {
    countUnauthorized();
    ctx.check('TCP without the exact token is always 401', status === 401, evidence);
  }
  if (request.tcp && request.authorized && request.wellFormed) {
    ctx.check('TCP with the exact token is never 401', status !== 401, evidence);
  }
  const isError = status >= 400;
  if (isError && request.wellFormed && request.method.toUpperCase() !== 'HEAD') {
    ctx.check(
      'every error is the JSON error shape {"error": {"code", "message"}}',
      isJsonError(answer),
      evidence,
    );
  }
}

/** The daemon is the same process, alive, and answers GET /health. */
async function stillUp(ctx, project, socket, daemon, sent) {
  const health = await rawRequest(socket, {
    head: 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close',
  });
  ctx.check(
    'the daemon stays up and answers /health',
    isAlive(daemon) &&
      project.lockPid() === daemon &&
      (health.status === 200 || health.status === 503),
    {
      afterRequests: sent,
      daemon,
      lockPid: project.lockPid(),
      health: health.status ?? health.error,
    },
  );
}
