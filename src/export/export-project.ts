/** The one entry of the export layer: a project and a format in, files and losses out. */
import type { ShellValue } from '../config/shell-env-names.js';
import { exportCompose } from './compose.js';
import { COMPOSE_KEYS } from './compose-keys.js';
import { carries, type KeyTable } from './coverage.js';
import { exportKubernetes } from './kubernetes.js';
import { KUBERNETES_KEYS } from './kubernetes-keys.js';
import type { ExportFile, ExportFormat, ExportInput, ExportResult } from './model.js';
import { exportNomad } from './nomad.js';
import { NOMAD_KEYS } from './nomad-keys.js';
import { exportSystemd } from './systemd.js';
import { SYSTEMD_KEYS } from './systemd-keys.js';

/** Each format's table of where every config key goes (see coverage.ts). */
export const KEY_TABLES: Readonly<Record<ExportFormat, KeyTable>> = {
  kubernetes: KUBERNETES_KEYS,
  nomad: NOMAD_KEYS,
  compose: COMPOSE_KEYS,
  systemd: SYSTEMD_KEYS,
};

const EXPORTERS: Readonly<Record<ExportFormat, (input: ExportInput) => ExportResult>> = {
  kubernetes: exportKubernetes,
  nomad: exportNomad,
  compose: exportCompose,
  systemd: exportSystemd,
};

export function exportProject(input: ExportInput, format: ExportFormat): ExportResult {
  return EXPORTERS[format](input);
}

/** The values from the shell that `format` writes in its files (the others it leaves out). */
export function writtenShellValues(
  format: ExportFormat,
  values: readonly ShellValue[],
): ShellValue[] {
  return values.filter(({ key }) => carries(KEY_TABLES[format], key));
}

/**
 * Every file as one text for stdout: YAML documents joined by `---` (kubectl and compose
 * read them so); Nomad jobs and units, which have no such separator, each after a
 * `# ==> NAME <==` line, as `head` prints several files.
 */
export function stdoutText(format: ExportFormat, files: readonly ExportFile[]): string {
  if (format === 'kubernetes') return files.map((file) => file.text).join('---\n');
  if (files.length === 1) return files[0]!.text;
  return files.map((file) => `# ==> ${file.name} <==\n${file.text}`).join('\n');
}
