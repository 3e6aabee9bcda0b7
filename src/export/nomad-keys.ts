/** Where each process key goes in the Nomad export, or why it does not (see coverage.ts). */
import { type KeyTable, lost, to } from './coverage.js';

const PROBE = (kind: string, use: string): KeyTable => ({
  [`${kind}.http`]: to(`an http check of the group's service (${use})`),
  [`${kind}.tcp`]: to(`a tcp check of the group's service (${use})`),
  [`${kind}.exec`]: lost(
    "Nomad's own service checks are http and tcp only (a script check needs Consul)",
  ),
  [`${kind}.log`]: lost('a check cannot read a log line'),
  [`${kind}.interval`]: to('check interval'),
  [`${kind}.timeout`]: to('check timeout'),
  [`${kind}.failure_threshold`]:
    kind === 'liveness'
      ? to('check_restart.limit')
      : lost('a service registers as passing or not: no threshold of failures'),
  [`${kind}.initial_delay`]:
    kind === 'liveness'
      ? to('check_restart.grace')
      : lost('a check starts with its task: no initial delay'),
});

export const NOMAD_KEYS: KeyTable = {
  name: to('the job ID'),
  command: to('a raw_exec task: config.command and args (a string: /bin/sh -c)'),
  cwd: to(
    'the command runs from it (/bin/sh -c \'cd DIR && exec "$@"\'): the project must be at the same path on the client',
  ),
  env: to("the task's env block; names that look secret: a template reading Nomad Variables"),
  env_file: to('its variables at export time, in the same env block and template'),
  namespace: to(
    'meta overseer_namespace (Nomad namespaces would separate what overseer only groups)',
  ),
  description: to('meta description'),
  labels: to('group meta'),
  kind: to(
    'a service job (service) or a batch job (job): a job a group waits for becomes its prestart task',
  ),
  instances: to('group count; OVERSEER_INSTANCE from NOMAD_ALLOC_INDEX'),
  priority: lost("start order among waiting processes: Nomad's job priority is about preemption"),
  depends_on: to(
    "a prestart task that waits for the dependency's service (or that runs the job itself)",
  ),
  'depends_on.restart': lost("a dependency's restart does not restart its dependents"),
  'restart.policy': to(
    'restart attempts (never: 0); a service job restarts on any exit (on-failure is listed)',
  ),
  'restart.max_restarts': to('restart.attempts'),
  'restart.window': to('restart.interval'),
  'restart.delay': to('restart.delay'),
  'restart.factor': lost("Nomad's restart delay is fixed (jitter aside)"),
  'restart.max_delay': lost("Nomad's restart delay is fixed (jitter aside)"),
  'restart.min_uptime': lost('a run counts against attempts however long it lasted'),
  'restart.cooldown': to(
    'reschedule.delay (exponential, unlimited): a failed allocation is placed again',
  ),
  'restart.max_cooldown': to('reschedule.max_delay'),
  'restart.exit_codes': lost('a batch task succeeds with exit 0 only'),
  start_timeout: lost("Nomad has no start deadline for a service's first passing check"),
  ...PROBE('readiness', 'registration'),
  ...PROBE('liveness', 'with check_restart'),
  'stop.signal': to('kill_signal'),
  'stop.timeout': to('kill_timeout'),
  'logs.max_size': to("the task's logs.max_file_size (MiB, rounded up)"),
  'logs.max_files': to("the task's logs.max_files"),
  'limits.memory': to('resources.memory (MiB, for placement: raw_exec does not enforce it)'),
  'limits.memory_action': lost('raw_exec does not enforce memory'),
  'limits.cpu': to(
    'resources.cpu (MHz at 1000 MHz a core, for placement: raw_exec does not enforce it)',
  ),
  'limits.cpu_action': lost('raw_exec does not enforce CPU'),
  'limits.cpu_window': lost('raw_exec does not enforce CPU'),
  'limits.max_runtime': lost(
    "no deadline for a task (a periodic job's next launch does not stop it)",
  ),
  'limits.open_files': lost("raw_exec inherits the client's descriptor limit"),
  'limits.memory_warn': lost("overseer's alerts: use Nomad's metrics"),
  'limits.cpu_warn': lost("overseer's alerts: use Nomad's metrics"),
  'limits.alert_cooldown': lost("overseer's alerts: use Nomad's metrics"),
  'sandbox.allowed_commands': lost('no command allow-list in raw_exec'),
  'sandbox.restricted_paths': lost('no restricted working folders in raw_exec'),
  'sandbox.env.inherit': lost("raw_exec tasks get the client's environment and the job's"),
  'sandbox.env.pass': lost("raw_exec tasks get the client's environment and the job's"),
  'sandbox.isolate': lost(
    'raw_exec runs unisolated (the exec driver isolates, but chroots away from the project)',
  ),
  'sandbox.network': lost('raw_exec shares the host network'),
  user: to('task user'),
  group: lost("the task runs with its user's own group"),
  'schedule.cron': to("periodic crons, in its own batch job (periodic is a whole job's)"),
  'schedule.timezone': to('periodic time_zone'),
  'schedule.overlap': to('prohibit_overlap: skip → true (queue and replace are listed)'),
  'schedule.run_on_start': lost('nomad job periodic force NAME runs one at once'),
  'watch.paths': lost('restarts on a file change are for development'),
  'watch.ignore': lost('restarts on a file change are for development'),
  'watch.debounce': lost('restarts on a file change are for development'),
};
