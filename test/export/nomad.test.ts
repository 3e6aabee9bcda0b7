// biome-ignore-all lint/suspicious/noExplicitAny: parsed documents, read as the assertions walk them
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the engines' own interpolation is what these files hold
/**
 * The Nomad export: its model written as the jobs API's JSON and checked against that
 * structure as Nomad documents it (nomad-job.schema.json: no package ships one), with the
 * rules Nomad adds to it; and the HCL written from the same model.
 */
import { readFileSync } from 'node:fs';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { exportNomad, nomadJobs } from '../../src/export/nomad.js';
import { nomadJobHcl } from '../../src/export/nomad-hcl.js';
import { nomadJobJson } from '../../src/export/nomad-json.js';
import { demoProject, everyKeyProject, inputOf, projectOf } from './helpers.js';

const schema = JSON.parse(
  readFileSync(new URL('./nomad-job.schema.json', import.meta.url), 'utf8'),
);
const validate = new Ajv2020({ allErrors: true }).compile(schema);

type Json = Record<string, any>;

/** HCL's escapes undone (`$${` is `${`, `%%{` is `%{`): the parser gives template text as written. */
function unescaped(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => [
      key,
      value.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{'),
    ]),
  );
}

async function jobs(): Promise<Json[]> {
  const projects = [await demoProject(), await everyKeyProject()];
  return projects.flatMap((project) => nomadJobs(inputOf(project)).jobs.map(nomadJobJson));
}

describe('nomad export', () => {
  it('writes jobs of the documented JSON structure', async () => {
    for (const job of await jobs()) {
      validate(job);
      expect(validate.errors ?? [], job.Job.ID).toEqual([]);
    }
  });

  it('keeps the rules Nomad adds: attempts × delay within the interval, unique task names', async () => {
    for (const { Job } of await jobs()) {
      for (const group of Job.TaskGroups) {
        const restart = group.RestartPolicy;
        expect(restart.Interval).toBeGreaterThanOrEqual(restart.Attempts * restart.Delay);
        const names = group.Tasks.map((task: Json) => task.Name);
        expect(new Set(names).size).toBe(names.length);
      }
    }
  });

  it('maps count, checks, restart, reschedule, periodic and ordering', async () => {
    const { jobs: built } = nomadJobs(inputOf(await everyKeyProject()));
    const [main, ...others] = built.map(nomadJobJson).map((job) => job.Job as Json);
    const api = main!.TaskGroups.find((group: Json) => group.Name === 'api');
    expect(api.Count).toBe(2);
    expect(api.Services[0].Checks.map((check: Json) => check.Type)).toEqual(['http', 'tcp']);
    expect(api.Services[0].Checks[1].CheckRestart).toEqual({ Limit: 3, Grace: 2e9 });
    expect(api.RestartPolicy).toEqual({ Attempts: 5, Interval: 120e9, Delay: 2e9, Mode: 'fail' });
    expect(api.ReschedulePolicy).toMatchObject({ Unlimited: true, Delay: 300e9, MaxDelay: 3600e9 });
    const [wait, task] = api.Tasks;
    expect(wait.Lifecycle).toEqual({ Hook: 'prestart', Sidecar: false });
    expect(task.Env.OVERSEER_INSTANCE).toBe('${NOMAD_ALLOC_INDEX}');
    expect(task.Resources).toEqual({ CPU: 1500, MemoryMB: 256 });
    expect(task.KillSignal).toBe('SIGINT');
    const worker = main!.TaskGroups.find((group: Json) => group.Name === 'worker');
    // The job it waits to complete runs first, in its group.
    expect(worker.Tasks.map((one: Json) => one.Name)).toEqual([
      'wait-for-api',
      'run-migrate',
      'worker',
    ]);
    const report = others.find((job) => job.ID === 'every-key-report')!;
    expect(report).toMatchObject({
      Type: 'batch',
      Periodic: { Spec: '30 2 * * MON-FRI', TimeZone: 'Europe/Paris', ProhibitOverlap: true },
    });
  });

  it('writes HCL of the same model, secrets read from Nomad Variables', async () => {
    const { files } = exportNomad(inputOf(await everyKeyProject()));
    const text = files.map((file) => file.text).join('\n');
    expect(files.map((file) => file.name)).toEqual([
      'every-key.nomad.hcl',
      'every-key-report.nomad.hcl',
    ]);
    for (const file of files) {
      const code = file.text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      expect(code.split('{').length, file.name).toBe(code.split('}').length);
    }
    expect(text).toContain('group "api" {\n    count = 2');
    expect(text).toContain('"OVERSEER_INSTANCE" = "${NOMAD_ALLOC_INDEX}"');
    expect(text).toContain(
      '{{ with nomadVar \\"nomad/jobs/every-key\\" }}STRIPE_KEY={{ .STRIPE_KEY }}',
    );
    for (const secret of ['hunter2', 'app:secret', 'sk_live_x']) expect(text).not.toContain(secret);
  });

  it('writes HCL that an HCL2 parser reads back as the model: names, counts, commands, env, templates', async () => {
    for (const project of [await demoProject(), await everyKeyProject()]) {
      for (const job of nomadJobs(inputOf(project)).jobs) {
        const parsed = (await parseHcl(`${job.id}.nomad.hcl`, nomadJobHcl(job))) as Json;
        const [body] = parsed.job[job.id];
        expect(body.type).toBe(job.type);
        for (const group of job.groups) {
          const [read] = body.group[group.name];
          expect(read.count, group.name).toBe(group.count);
          for (const task of group.tasks) {
            const [readTask] = read.task[task.name];
            expect(readTask.config[0], task.name).toEqual({
              command: task.command,
              args: task.args,
            });
            expect(unescaped(readTask.env ?? {}), task.name).toEqual(task.env);
            expect(readTask.kill_signal).toBe(task.killSignal);
            expect((readTask.template ?? []).map((one: Json) => one.data)).toEqual(
              task.templates.map((one) => one.data),
            );
          }
        }
      }
    }
  });

  it('runs a job several groups wait for in each of them, and says so', async () => {
    const project = await projectOf(`
version: 1
processes:
  migrate: { command: [node, migrate.js], kind: job }
  api: { command: [node, api.js], depends_on: { migrate: completed_successfully } }
  web: { command: [node, web.js], depends_on: { migrate: completed_successfully } }
`);
    const { jobs: built, losses } = nomadJobs(inputOf(project));
    expect(built.map((job) => job.id)).toHaveLength(1);
    for (const group of built[0]!.groups) {
      expect(group.tasks.map((task) => task.name)).toEqual(['run-migrate', group.name]);
    }
    expect(losses).toContainEqual({
      process: 'migrate',
      key: 'kind',
      reason: 'job waited for by 2 processes: it runs once in each of their groups',
    });
  });
});
