/** Where each process key goes in the systemd export, or why it does not (see coverage.ts). */
import { type KeyTable, lost, to } from './coverage.js';

const PROBE = (kind: string): KeyTable => ({
  [`${kind}.http`]: lost(
    `systemd does not probe: ${kind} needs the program's sd_notify (Type=notify, WatchdogSec=)`,
  ),
  [`${kind}.tcp`]: lost(
    `systemd does not probe: ${kind} needs the program's sd_notify (Type=notify, WatchdogSec=)`,
  ),
  [`${kind}.exec`]: lost(
    `systemd does not probe: ${kind} needs the program's sd_notify (Type=notify, WatchdogSec=)`,
  ),
  [`${kind}.log`]: lost('systemd does not probe'),
  [`${kind}.interval`]: lost('systemd does not probe'),
  [`${kind}.timeout`]: lost('systemd does not probe'),
  [`${kind}.failure_threshold`]: lost('systemd does not probe'),
  [`${kind}.initial_delay`]: lost('systemd does not probe'),
});

export const SYSTEMD_KEYS: KeyTable = {
  name: to('the unit names: overseer-PROJECT-NAME.service'),
  command: to('ExecStart= (a string: /bin/sh -c)'),
  cwd: to('WorkingDirectory= (relative: under the project folder on the target, --root)'),
  env: to('Environment=; names that look secret: an EnvironmentFile= to fill in'),
  env_file: to('EnvironmentFile= (the file itself, read at each start)'),
  namespace: to('the unit Description= and the stack target overseer-PROJECT.target'),
  description: to('Description='),
  labels: lost('units have no labels'),
  kind: to('Type=simple (service) or Type=oneshot (job)'),
  instances: to(
    'a template unit NAME@.service, started as NAME@0 … NAME@N-1; OVERSEER_INSTANCE=%i',
  ),
  priority: lost('systemd starts every unit that is ready at once'),
  depends_on: to(
    'After= with Wants= (started, completed) or Requires= (healthy, completed_successfully)',
  ),
  'depends_on.restart': to(
    'PartOf= (an explicit stop or restart of the dependency; not its automatic restarts)',
  ),
  'restart.policy': to('Restart=always | on-failure | no'),
  'restart.max_restarts': to('StartLimitBurst= (the first start counts: max_restarts + 1)'),
  'restart.window': to('StartLimitIntervalSec='),
  'restart.delay': to('RestartSec='),
  'restart.factor': lost('RestartSteps= needs systemd 254; the delay is fixed here'),
  'restart.max_delay': lost('RestartMaxDelaySec= needs systemd 254; the delay is fixed here'),
  'restart.min_uptime': lost('every start counts against the start limit'),
  'restart.cooldown': lost(
    'no circuit breaker: a unit over its start limit stays failed until reset',
  ),
  'restart.max_cooldown': lost('no circuit breaker'),
  'restart.exit_codes': to('SuccessExitStatus='),
  start_timeout: lost(
    'a Type=simple unit is started once executed: nothing to time out (a Type=notify program would use TimeoutStartSec=)',
  ),
  ...PROBE('readiness'),
  ...PROBE('liveness'),
  'stop.signal': to('KillSignal='),
  'stop.timeout': to('TimeoutStopSec='),
  'logs.max_size': lost("journald keeps the output (SystemMaxUse=, the whole journal's)"),
  'logs.max_files': lost("journald keeps the output (SystemMaxFiles=, the whole journal's)"),
  'limits.memory': to('MemoryMax='),
  'limits.memory_action': to(
    'restart: the OOM kill fails the unit and Restart= applies (stop and alert are listed)',
  ),
  'limits.cpu': to('CPUQuota='),
  'limits.cpu_action': to('throttle: CPUQuota= throttles (alert and restart are listed)'),
  'limits.cpu_window': lost('CPUQuota= applies at every period'),
  'limits.max_runtime': to('RuntimeMaxSec='),
  'limits.open_files': to('LimitNOFILE='),
  'limits.memory_warn': lost("overseer's alerts"),
  'limits.cpu_warn': lost("overseer's alerts"),
  'limits.alert_cooldown': lost("overseer's alerts"),
  'sandbox.allowed_commands': lost('no command allow-list for a unit'),
  'sandbox.restricted_paths': lost(
    'InaccessiblePaths= would hide them altogether, which is not the same',
  ),
  'sandbox.env.inherit': to('systemd starts a unit with a clean environment'),
  'sandbox.env.pass': to(
    'systemd starts a unit with a clean environment (PassEnvironment= from the manager)',
  ),
  'sandbox.isolate': to(
    'ProtectSystem=strict, ProtectHome=read-only, PrivateTmp=, PrivateIPC=, NoNewPrivileges=, no capabilities',
  ),
  'sandbox.network': to('PrivateNetwork=yes when false'),
  user: to('User='),
  group: to('Group='),
  'schedule.cron': to(
    'a NAME.timer with OnCalendar= (what has no exact equal is listed, and no timer written)',
  ),
  'schedule.timezone': to('the zone at the end of OnCalendar='),
  'schedule.overlap': to(
    'skip: a timer does not start a unit that still runs (queue and replace are listed)',
  ),
  'schedule.run_on_start': to('OnActiveSec=0 in the timer'),
  'watch.paths': to(
    'a NAME-watch.path unit (PathChanged=; a folder itself, not below it) that restarts the unit',
  ),
  'watch.ignore': lost('a path unit watches what it names, with no ignore list'),
  'watch.debounce': lost('a path unit triggers at each change (its own rate limit aside)'),
};
