/**
 * The project as systemd units: one `overseer-PROJECT-NAME.service` per process (a template
 * `@.service` for instances), a `.timer` per schedule, a `.path` per watch, and
 * `overseer-PROJECT.target` that starts the stack. Units run the host's files, from the
 * project's folder on the target (`root`).
 */

import { tableLosses } from './coverage.js';
import { headerComment, lossesOf } from './file-text.js';
import type { ExportFile, ExportInput, ExportResult, Loss } from './model.js';
import { onTarget, type ProcessView, processViews } from './process-view.js';
import { cronToCalendar } from './systemd-calendar.js';
import { SYSTEMD_KEYS } from './systemd-keys.js';
import { baseName, serviceSections } from './systemd-service.js';
import { unitStem } from './systemd-unit.js';
import { execWord, literal, type UnitSection, unitText } from './unit-file.js';

export function exportSystemd(input: ExportInput): ExportResult {
  const { project } = input;
  const views = processViews(input);
  const losses: Loss[] = tableLosses(SYSTEMD_KEYS, input, 'systemd');
  const placeholders: string[] = [];
  const stem = unitStem(project.name);
  const target = `overseer-${stem}.target`;
  const units: Array<{ name: string; process?: string; sections: Record<string, UnitSection> }> =
    [];
  for (const view of views) {
    const lose = (key: string, reason: string) => losses.push({ process: view.name, key, reason });
    const base = baseName(stem, view.name);
    const secrets = `/etc/overseer/${stem}/${view.name}.env`;
    if (view.envSecretNames.length > 0) {
      placeholders.push(`${secrets}: ${view.envSecretNames.join(', ')} (mode 0600) (${view.name})`);
    }
    units.push({
      name: `${base}${view.instances !== undefined ? '@' : ''}.service`,
      process: view.name,
      sections: serviceSections(input, view, views, target, secrets, lose),
    });
    const schedule = view.spec.schedule;
    if (schedule) {
      const calendar = cronToCalendar(schedule.cron, schedule.timezone);
      if ('refused' in calendar) {
        lose('schedule.cron', `${schedule.cron}: ${calendar.refused}; no timer written`);
      } else {
        if (view.instances !== undefined && view.instances > 1) {
          lose('instances', 'a timer starts one unit: the scheduled run is instance 0 alone');
        }
        if (schedule.overlap !== 'skip') {
          lose(
            'schedule.overlap',
            `${schedule.overlap}: a timer skips a fire while the unit still runs`,
          );
        }
        units.push({
          name: `${base}.timer`,
          process: view.name,
          sections: {
            Unit: [['Description', literal(`Schedule of ${view.name} (overseer ${project.name})`)]],
            Timer: [
              ['OnCalendar', calendar.calendar],
              ['OnActiveSec', schedule.runOnStart ? '0' : undefined],
              // The default accuracy is a minute: a seconds field would mean nothing.
              ['AccuracySec', '1s'],
              ['Unit', view.instances === undefined ? `${base}.service` : `${base}@0.service`],
            ],
            Install: [['WantedBy', target]],
          },
        });
      }
    }
    if (view.spec.watch) {
      units.push(...watchUnits(input, view, base));
    }
  }
  units.push({
    name: target,
    sections: {
      Unit: [['Description', literal(`The overseer stack ${project.name}`)]],
      Install: [['WantedBy', 'multi-user.target']],
    },
  });
  const files: ExportFile[] = units.map((unit) => {
    const mine = unit.process === undefined ? [] : [unit.process];
    return {
      name: unit.name,
      text:
        headerComment(
          `systemd unit exported from the overseer project ${project.name}`,
          placeholders.filter((text) => mine.some((name) => text.endsWith(`(${name})`))),
          lossesOf(losses, mine),
        ) + unitText(unit.sections),
    };
  });
  return { files, losses, placeholders };
}

function watchUnits(
  input: ExportInput,
  view: ProcessView,
  base: string,
): Array<{ name: string; process: string; sections: Record<string, UnitSection> }> {
  const watch = view.spec.watch!;
  const restarted = view.instances === undefined ? `${base}.service` : `${base}@*.service`;
  return [
    {
      name: `${base}-watch.path`,
      process: view.name,
      sections: {
        Unit: [['Description', `Restart ${view.name} when its files change`]] as UnitSection,
        Path: [
          ...watch.paths.map(
            (path) => ['PathChanged', literal(onTarget(input.root, path))] as const,
          ),
          ['Unit', `${base}-restart.service`],
        ] as UnitSection,
        Install: [['WantedBy', `overseer-${unitStem(input.project.name)}.target`]] as UnitSection,
      },
    },
    {
      name: `${base}-restart.service`,
      process: view.name,
      sections: {
        Unit: [['Description', `Restart ${view.name}`]] as UnitSection,
        Service: [
          ['Type', 'oneshot'],
          ['ExecStart', `/bin/systemctl restart ${execWord(restarted)}`],
        ] as UnitSection,
      },
    },
  ];
}
