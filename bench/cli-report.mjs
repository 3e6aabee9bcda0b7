// The table of the CLI benchmark (bench/cli.mjs): one row per figure of the comparison,
// overseer next to PM2 and supervisord, with its target, verdict and how busy the machine
// was while the row was measured; printed to the terminal and written as cli.md.
import { formatBusy, formatMs, summarize } from './lib.mjs';

const MIB = 1024 * 1024;
const KIB = 1024;
const NAMES = { overseer: 'overseer', pm2: 'PM2', supervisord: 'supervisord' };

const formatMiB = (bytes) => (bytes == null ? '—' : `${(bytes / MIB).toFixed(1)} MB`);
const formatKiB = (bytes) => (bytes == null ? '—' : `${(bytes / KIB).toFixed(1)} KB`);
const formatSignedMiB = (bytes) =>
  bytes == null ? '—' : `${bytes >= 0 ? '+' : ''}${(bytes / MIB).toFixed(1)} MB`;
const formatCpu = (perMinute) =>
  perMinute == null ? '—' : `${perMinute.toFixed(perMinute < 10 ? 1 : 0)} ms/min`;
/** Within `factor` of supervisord's median, when supervisord was measured. */
const nearSupervisord = (factor) => (medians) =>
  medians.supervisord == null ? undefined : medians.supervisord * factor;

/**
 * The rows, in the order of the comparison. `metric` names the samples (`metric.side`,
 * plus `suffix`); `busy` the busy-share samples (default `busy.metric`); `sides` who has
 * the figure (default all); `target` the limit from the row's medians.
 */
function definitions({ samples, idleSeconds }) {
  const node0 = samples.median('list.node0');
  return [
    {
      label: 'idle daemon RSS, no children, 10 s after start',
      metric: 'rssEarly0',
      format: formatMiB,
      target: () => 50 * MIB,
      targetText: '≤ 50 MB',
    },
    {
      label: 'idle daemon RSS, no children, settled',
      metric: 'rss0',
      format: formatMiB,
      target: () => 50 * MIB,
      targetText: '≤ 50 MB',
      reference: ['bare node', samples.median('rss0.node')],
    },
    {
      label: 'idle daemon RSS, 100 sleeping children, 10 s after start',
      metric: 'rssEarly100',
      format: formatMiB,
      target: (m) => m.pm2,
      targetText: '< PM2',
    },
    {
      label: 'idle daemon RSS, 100 sleeping children, settled',
      metric: 'rss100',
      format: formatMiB,
      target: (m) => m.pm2,
      targetText: '< PM2',
    },
    {
      label: 'idle daemon RSS, 500 sleeping children, 10 s after start',
      metric: 'rssEarly500',
      format: formatMiB,
      target: (m) => m.pm2,
      targetText: '< PM2',
    },
    {
      label: 'idle daemon RSS, 500 sleeping children, settled',
      metric: 'rss500',
      format: formatMiB,
      target: (m) => m.pm2,
      targetText: '< PM2',
    },
    {
      label: 'RSS per sleeping child, 0 → 500, 10 s after start',
      metric: 'perChildEarly',
      busy: 'busy.rssEarly500',
      format: formatKiB,
      target: () => 20 * KIB,
      targetText: '≤ 20 KB',
    },
    {
      label: 'RSS per sleeping child, 0 → 500, settled',
      metric: 'perChild',
      busy: 'busy.rss500',
      format: formatKiB,
      target: () => 20 * KIB,
      targetText: '≤ 20 KB',
    },
    {
      label: `idle daemon CPU per minute, 100 children (${idleSeconds} s window)`,
      metric: 'cpu100',
      // Per-thread run time (ns): a 10 ms tick of utime + stime is 20 ms/min in a 30 s window.
      suffix: '.sched',
      format: formatCpu,
      target: () => 20,
      targetText: '≤ 20 ms/min',
    },
    {
      label: `idle daemon CPU per minute, 500 children (${idleSeconds} s window)`,
      metric: 'cpu500',
      // Per-thread run time (ns): a 10 ms tick of utime + stime is 20 ms/min in a 30 s window.
      suffix: '.sched',
      format: formatCpu,
      target: () => 60,
      targetText: '≤ 60 ms/min',
      reference: ['bare node', samples.median('cpu500.node.sched')],
    },
    {
      label: '1 M × 100 B lines to disk, child stays alive: wall',
      metric: 'logWall',
      format: formatMs,
      target: nearSupervisord(1.1),
      targetText: '≤ 1.1 × supervisord',
    },
    {
      label: '1 M × 100 B lines to disk: daemon CPU',
      metric: 'logCpu',
      busy: 'busy.logWall',
      format: formatMs,
      target: () => 400,
      targetText: '≤ 400 ms',
    },
    {
      label: 'daemon RSS kept after those 1 M lines',
      metric: 'logKept',
      format: formatSignedMiB,
      target: () => 5 * MIB,
      targetText: '≤ +5 MB',
    },
    {
      label: '100 children alive, warm (daemon up: `start all`)',
      metric: 'warm100',
      format: formatMs,
      target: nearSupervisord(1.1),
      targetText: '≤ 1.1 × supervisord',
    },
    {
      label: '100 children alive, cold (no daemon)',
      metric: 'alive100',
      format: formatMs,
      target: nearSupervisord(1.1),
      targetText: '≤ 1.1 × supervisord',
    },
    {
      label: '`up -d` / `pm2 start` of 100 returns, `min_uptime: 0`, cold',
      metric: 'alive100',
      suffix: '.command',
      sides: ['overseer', 'pm2'],
      format: formatMs,
      target: () => 600,
      targetText: '≤ 0.6 s',
    },
    {
      label: 'stop 100 prompt children (`stop all`), all gone',
      metric: 'stop100',
      format: formatMs,
      target: nearSupervisord(1.1),
      targetText: '≤ 1.1 × supervisord',
    },
    {
      label: '`ps --json` / `pm2 jlist` / `supervisorctl status`, 100 running',
      metric: 'list',
      format: formatMs,
      target: () => (node0 === null ? undefined : node0 * 1.5),
      targetText: `≤ 1.5 × \`node -e 0\` (${formatMs(node0 === null ? null : node0 * 1.5)})`,
      reference: ['`node -e 0`', node0],
    },
    { label: '500 children alive, cold', metric: 'alive500', format: formatMs },
    {
      label: '`down` / `pm2 kill` / `supervisorctl shutdown`, every size',
      metric: 'down',
      format: formatMs,
    },
  ];
}

/** Every row with its medians per side, display text, verdict and busy share. */
export function rows(context) {
  const { samples, sides, versions } = context;
  return definitions(context).map((row) => {
    const has = row.sides ?? sides;
    const ids = Object.fromEntries(
      has.map((side) => [side, `${row.metric}.${side}${row.suffix ?? ''}`]),
    );
    const medians = Object.fromEntries(
      sides.map((side) => [side, ids[side] ? samples.median(ids[side]) : null]),
    );
    const limit = row.target?.(medians);
    const overseer = medians.overseer;
    let verdict = '—';
    if (limit != null && overseer !== null) verdict = overseer <= limit ? 'PASS' : 'MISS';
    const display = Object.fromEntries(
      sides.map((side) => {
        if (side === 'supervisord' && versions.supervisord === null) return [side, 'not installed'];
        return [side, ids[side] ? row.format(medians[side]) : '—'];
      }),
    );
    const busyId = row.busy ?? `busy.${row.metric}`;
    const busySamples = samples.get(busyId) ?? [];
    const busy = summarize(busySamples).median;
    const others = summarize(samples.get(busyId.replace(/^busy\./, 'others.')) ?? []).median;
    const [referenceLabel, reference] = row.reference ?? [];
    return {
      label: row.label,
      metrics: ids,
      medians,
      p90: { overseer: ids.overseer ? summarize(samples.get(ids.overseer) ?? []).p90 : null },
      reference: reference ?? null,
      referenceText: reference == null ? '—' : `${referenceLabel} ${row.format(reference)}`,
      target: row.targetText ?? null,
      limit: limit ?? null,
      verdict,
      busy,
      busyMax: summarize(busySamples).max,
      others,
      display: {
        ...display,
        busy: busy == null ? '—' : `${formatBusy(busy)} (${formatBusy(others)})`,
      },
    };
  });
}

export function printTable(table, { sides }) {
  const header = [
    'measurement',
    ...sides.map((side) => NAMES[side]),
    'target',
    'result',
    'busy (others)',
  ];
  const lines = table.map((row) =>
    [
      row.label,
      ...sides.map((side) => row.display[side]),
      row.target ?? '—',
      row.verdict,
      row.display.busy,
    ].map((cell) => cell.replaceAll('`', '')),
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  console.log(`\n${format(header)}`);
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

/** Which unit and format a metric id has, for the table of every sample. */
function formatOf(id) {
  if (id.startsWith('busy.') || id.startsWith('others.')) return formatBusy;
  if (id.startsWith('perChild')) return formatKiB;
  if (id.startsWith('logKept')) return formatSignedMiB;
  if (id.startsWith('rss')) return formatMiB;
  if (/^cpu\d/.test(id)) return formatCpu;
  return formatMs;
}

export function markdown(context) {
  const { samples, sides, versions, date, host, table, durationMs, measured, errors } = context;
  const { rounds, idleSeconds, listCalls, earlyMs, settle, rssReading } = context;
  const names = sides.map((side) => NAMES[side]);
  const lines = table.map(
    (row) =>
      `| ${row.label} | ${sides.map((side) => row.display[side]).join(' | ')} | ${row.referenceText} | ${row.target ?? '—'} | ${row.verdict} | ${row.display.busy} |`,
  );
  const memory = [
    ...sides.flatMap((side) =>
      [0, 100, 500].map((count) => {
        const m = (id) => formatMiB(samples.median(id));
        const after = count === 500 ? m(`rss500after.${side}`) : '—';
        return `| ${NAMES[side]} | ${count} | ${m(`rssFresh${count}.${side}`)} | ${m(`rssEarly${count}.${side}`)} | ${m(`rss${count}.${side}`)} | ${m(`rss${count}.${side}.anon`)} | ${m(`rss${count}.${side}.file`)} | ${after} |`;
      }),
    ),
    `| bare node | — | — | — | ${formatMiB(samples.median('rss0.node'))} | ${formatMiB(samples.median('rss0.node.anon'))} | ${formatMiB(samples.median('rss0.node.file'))} | — |`,
  ];
  const details = [...samples.entries()].map(([id, values]) => {
    const stats = summarize(values);
    const f = formatOf(id);
    return `| \`${id}\` | ${stats.n} | ${f(stats.median)} | ${f(stats.min)} | ${f(stats.max)} |`;
  });
  const settled = [...samples.entries()]
    .filter(([id]) => id.endsWith('.settled'))
    .flatMap(([, values]) => values);
  return `# CLI and daemon benchmark

Generated by \`npm run bench\` (bench/cli.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.
Machine: ${host.cpus} × ${host.cpuModel}, ${(host.totalMemoryBytes / 1024 ** 3).toFixed(0)} GiB,
${host.platform}, Node ${host.node}, PM2 ${versions.pm2}, supervisord ${versions.supervisord ?? 'not installed'};
load average at start ${host.loadavgAtStart.join(' / ')}. overseer at ${measured}. ${rounds} rounds;
every sample is in \`cli.json\`.

${names.join(', ')} run in the same rounds, each through its command line and watched from
outside (\`/proc\`), each round from a cold start (new folder, new \`PM2_HOME\`, no daemon
running); which side goes first alternates. Medians. The children are \`sleep 3600\`, exec'd
directly by all (no shell, no node). "busy" is the share of the machine (every core, from
\`/proc/stat\`) busy while the row was measured, the work measured included (a flood of
1 M lines or 100 spawns keeps both cores busy by itself); "(others)" is the part of it not
spent by the benchmark, the commands it ran or the supervisors measured and their children
(from their \`/proc/<pid>/stat\` times): a row measured while others kept the machine busy
was slowed by work not its own.

| measurement | ${names.join(' | ')} | reference | target | result | busy (others) |
|---|${sides.map(() => '---|').join('')}---|---|---|---|
${lines.join('\n')}

Memory of the daemon process (medians): "fresh" as soon as the start command has returned,
"10 s" ${earlyMs / 1000} s after it was run, "settled" once the daemon is quiet and V8's memory
reducer has run (see below), that split into anonymous memory (heap, malloc) and file-backed
pages (mostly the interpreter's own code); "after" at the end of the idle window.

| daemon | children | fresh | 10 s | settled | anonymous | file-backed | after |
|---|---|---|---|---|---|---|---|
${memory.join('\n')}

## What each number measures

- **daemon RSS**: VmRSS of the daemon's pid from \`/proc/<pid>/status\` (the supervisor alone,
  not its children), the median of ${rssReading.samples} readings ${rssReading.gapMs} ms apart. "10 s after start": ${earlyMs / 1000} s
  after the start command was run. "Settled": at least ${settle.minMs / 1000} s after the start, then until each
  node daemon's RSS is ${settle.shrunkBytes / MIB} MB below its peak since the start (V8's memory reducer has run;
  supervisord, in Python, has none) and none has used more than ${settle.quietCpuMs} ms of CPU over
  ${settle.quietMs / 1000} s, at most ${settle.maxMs / 1000} s (${settled.filter((flag) => flag === 1).length} of the ${settled.length} waits ended settled rather than at that
  limit). Nothing is done to hurry it (no GC forced). "No children": overseer runs a one-job
  stack (\`/bin/true\`, completed before \`up -d\` returns), since a config declares at least
  one process; PM2 is started by \`pm2 ping\`; supervisord with no program. Bare node:
  \`node -e "setInterval(() => {}, 1e9)"\`. **Per sleeping child**: (RSS with 500 − RSS
  with none) / 500, within each round.
- **idle daemon CPU**: the CPU time of the daemon's threads over a ${idleSeconds} s window, scaled
  to one minute, every daemon over the same window, after the settle above: the sum of the
  threads' run times from \`/proc/<pid>/task/*/schedstat\` (ns precision). From utime + stime
  of \`/proc/<pid>/stat\` instead (10 ms ticks: one tick in the window is
  ${formatCpu(600 / idleSeconds)}), at 100 / 500 children:
  ${sides.map((side) => `${NAMES[side]} ${formatCpu(samples.median(`cpu100.${side}`))} / ${formatCpu(samples.median(`cpu500.${side}`))}`).join(', ')}.
- **1 M × 100 B lines**: one node child (\`bench/fixtures/print-lines-then-stay.mjs\`) started
  through each CLI from cold, waiting until the daemon has been quiet for 2 s, then printing
  1,000,000 lines of 100 bytes as fast as its pipe takes them, and staying alive. Its stdout
  goes to a file as each supervisor writes logs: overseer its log folder (lines stamped,
  rotation 10 MB × 50 files so every line stays), PM2 \`out_file\` (its default format),
  supervisord \`stdout_logfile\` (no rotation). Wall: from the child's own start (it writes
  \`Date.now()\` first) until its last line is in the file; daemon CPU: utime + stime over
  that run; kept: the daemon's RSS at least 15 s after the last flood, once quiet, minus its
  RSS just before its flood. One side floods at a time. Lines lost are counted by the log
  benchmark (bench/logs.mjs), not here.
- **100 children alive**: from just before the command until the daemon's direct children
  running \`sleep\` (from \`/proc/<pid>/task/*/children\` and \`comm\`, zombies left out) number
  100, polled every 5 ms. Cold: \`overseer up -d\` (the stack sets \`restart: { min_uptime: 0 }\`),
  \`pm2 start ecosystem.config.cjs\` (one fork-mode app, \`instances: 100\`, \`interpreter:
  none\`), \`supervisord -c\` (one program, \`numprocs=100\`, \`startsecs=0\`), daemon start
  included. Warm: after \`stop all\`, \`overseer start all\` / \`pm2 start all\` /
  \`supervisorctl start all\` with the daemon up. When each command returned, in the samples
  (\`*.command\`): ${sides.map((side) => `${NAMES[side]} ${formatMs(samples.median(`alive100.${side}.command`))} cold, ${formatMs(samples.median(`warm100.${side}.command`))} warm`).join('; ')}.
  \`supervisord -c\` returns once it has daemonized, before spawning, so it has no
  \`up -d\` figure.
- **stop 100, all gone**: \`overseer stop all\` / \`pm2 stop all\` / \`supervisorctl stop all\`
  (\`stopasgroup\`, \`killasgroup\`), from just before the command until no child running
  \`sleep\` is left (as above); the children exit at once on SIGTERM. The commands returned in
  ${sides.map((side) => `${NAMES[side]} ${formatMs(samples.median(`stop100.${side}.command`))}`).join(', ')}.
- **status commands**: wall time of \`overseer ps --json\`, \`pm2 jlist\` and
  \`supervisorctl status\` with 100 running, from just before \`spawn()\` until the command has
  exited and its output is read; \`node -e 0\` timed the same way in the same loop is the
  reference. ${listCalls} calls of each per round, the order rotated.
- **\`down\` / \`pm2 kill\` / \`supervisorctl shutdown\`**: stopping the stack and its daemon,
  every stack size pooled.

## All samples, summarized

| metric | n | median | min | max |
|---|---|---|---|---|
${details.join('\n')}
${errors.length > 0 ? `\n## Errors\n\n${errors.map((e) => `- ${JSON.stringify(e)}`).join('\n')}\n` : ''}`;
}
