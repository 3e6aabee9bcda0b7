/** Where each process key goes in the Kubernetes export, or why it does not (see coverage.ts). */
import { type KeyTable, lost, to } from './coverage.js';

const PROBE = (kind: string): KeyTable => ({
  [`${kind}.http`]: to(`${kind}Probe.httpGet (the host is the pod's own address)`),
  [`${kind}.tcp`]: to(`${kind}Probe.tcpSocket`),
  [`${kind}.exec`]: to(`${kind}Probe.exec: /bin/sh -c`),
  [`${kind}.log`]: lost('Kubernetes probes cannot read a log line: use an http, tcp or exec check'),
  [`${kind}.interval`]: to(`${kind}Probe.periodSeconds (whole seconds, rounded up)`),
  [`${kind}.timeout`]: to(`${kind}Probe.timeoutSeconds (whole seconds, rounded up)`),
  [`${kind}.failure_threshold`]: to(`${kind}Probe.failureThreshold`),
  [`${kind}.initial_delay`]: to(`${kind}Probe.initialDelaySeconds`),
});

export const KUBERNETES_KEYS: KeyTable = {
  name: to('the app.kubernetes.io/part-of label'),
  command: to('container command (a string: /bin/sh -c)'),
  cwd: to(
    'container workingDir (relative: under /app, where the image is assumed to hold the project)',
  ),
  env: to('a ConfigMap (envFrom); names that look secret: a Secret with placeholders'),
  env_file: to('its variables at export time, in the same ConfigMap and Secret'),
  namespace: to(
    'the overseer/namespace label (names stay unique across the stack, as in overseer)',
  ),
  description: to('the overseer/description annotation'),
  labels: to('metadata labels (a key or value Kubernetes refuses is listed)'),
  kind: to('a Deployment (service) or a Job (job)'),
  instances: to('Deployment replicas; Job parallelism and completions'),
  priority: lost(
    'start order among waiting processes: the scheduler has no such queue (a PriorityClass is about eviction)',
  ),
  depends_on: to("init containers that wait for the dependency's Service port or HTTP probe"),
  'depends_on.restart': lost("a dependency's restart does not restart its dependents"),
  'restart.policy': to("restartPolicy of a Job (a Deployment's pods always restart)"),
  'restart.max_restarts': to('backoffLimit of a Job (a Deployment restarts without a budget)'),
  'restart.window': lost("the kubelet's backoff has no budget window"),
  'restart.delay': lost("the kubelet's backoff is fixed: 10s doubling up to 5m"),
  'restart.factor': lost("the kubelet's backoff is fixed: 10s doubling up to 5m"),
  'restart.max_delay': lost("the kubelet's backoff is fixed: 10s doubling up to 5m"),
  'restart.min_uptime': lost('the kubelet resets its backoff after 10 minutes up'),
  'restart.cooldown': lost('no circuit breaker: a crash-looping pod keeps its backoff'),
  'restart.max_cooldown': lost('no circuit breaker: a crash-looping pod keeps its backoff'),
  'restart.exit_codes': lost('a container succeeds with exit 0 only'),
  start_timeout: to(
    'a startupProbe with the readiness check: failureThreshold × period ≥ start_timeout',
  ),
  ...PROBE('readiness'),
  ...PROBE('liveness'),
  'stop.signal': to(
    'a preStop hook sending it to PID 1 (lifecycle.stopSignal needs Kubernetes 1.33+ with ContainerStopSignals)',
  ),
  'stop.timeout': to('terminationGracePeriodSeconds'),
  'logs.max_size': lost('the kubelet rotates container logs (containerLogMaxSize)'),
  'logs.max_files': lost('the kubelet rotates container logs (containerLogMaxFiles)'),
  'limits.memory': to('resources.limits.memory'),
  'limits.memory_action': to(
    'restart: the OOM kill restarts the container (stop and alert are listed)',
  ),
  'limits.cpu': to('resources.limits.cpu (100% = 1000m)'),
  'limits.cpu_action': to('throttle: the CPU limit throttles (alert and restart are listed)'),
  'limits.cpu_window': lost('the CPU limit applies at every scheduling period'),
  'limits.max_runtime': to("activeDeadlineSeconds of a Job (a service's is listed)"),
  'limits.open_files': lost("a pod has no per-container descriptor limit: the runtime's applies"),
  'limits.memory_warn': lost("overseer's alerts: use the cluster's monitoring"),
  'limits.cpu_warn': lost("overseer's alerts: use the cluster's monitoring"),
  'limits.alert_cooldown': lost("overseer's alerts: use the cluster's monitoring"),
  'sandbox.allowed_commands': lost('no command allow-list: the image decides what can run'),
  'sandbox.restricted_paths': lost('the image decides what folders exist'),
  'sandbox.env.inherit': to("a container sees only the manifest's variables"),
  'sandbox.env.pass': to("a container sees only the manifest's variables"),
  'sandbox.isolate': to(
    'securityContext: readOnlyRootFilesystem, no capabilities, no privilege escalation',
  ),
  'sandbox.network': lost('a NetworkPolicy, which needs to know the cluster'),
  user: to('securityContext.runAsUser (a numeric id; a name is listed)'),
  group: to('securityContext.runAsGroup (a numeric id; a name is listed)'),
  'schedule.cron': to('a CronJob schedule (5 fields; a seconds field is listed)'),
  'schedule.timezone': to('CronJob timeZone'),
  'schedule.overlap': to(
    'concurrencyPolicy: skip → Forbid, replace → Replace, queue → Forbid (listed)',
  ),
  'schedule.run_on_start': lost('kubectl create job --from=cronjob/NAME runs one at once'),
  'watch.paths': lost(
    'restarts on a file change are for development; a new image is a new rollout',
  ),
  'watch.ignore': lost('restarts on a file change are for development'),
  'watch.debounce': lost('restarts on a file change are for development'),
};
