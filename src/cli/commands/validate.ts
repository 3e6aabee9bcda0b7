import { categoryLevels, DEFAULT_LOG_SETTINGS } from '../../core/logging.js';
import { type ConfigOption, openProject } from '../context.js';
import { painterFor } from '../output.js';

/** Checks the config (errors exit 2 through the caller) and prints the start order. */
export async function validate(options: ConfigOption & { json?: boolean }): Promise<number> {
  // What `up` would refuse is not valid here either: a misspelt OVERSEER_LOG_LEVEL or
  // OVERSEER_DEBUG is a usage error, named the same way.
  categoryLevels(DEFAULT_LOG_SETTINGS, process.env);
  const project = await openProject(options);
  if (options.json) {
    const { name, configPath, startOrder, specs } = project;
    process.stdout.write(`${JSON.stringify({ name, configPath, startOrder, processes: specs })}\n`);
    return 0;
  }
  const paint = painterFor(process.stdout);
  const lines = [
    `${project.configPath} is valid: ${project.specs.length} process(es).`,
    'start order:',
  ];
  // Counted once: filtering the specs per name took seconds for a few thousand processes.
  const instances = new Map<string, number>();
  // A process on a schedule is brought up to wait for its first fire: say so beside it.
  const schedules = new Map<string, string>();
  for (const spec of project.specs) {
    instances.set(spec.family, (instances.get(spec.family) ?? 0) + 1);
    if (spec.schedule) schedules.set(spec.family, spec.schedule.cron);
  }
  project.startOrder.forEach((layer, index) => {
    const names = layer.map((family) => {
      const count = instances.get(family) ?? 1;
      const name = count > 1 ? `${family} ×${count}` : family;
      const cron = schedules.get(family);
      return cron === undefined ? name : `${name} (on schedule ${cron})`;
    });
    lines.push(`  ${paint('bold', String(index + 1))}. ${names.join(', ')}`);
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
