/** The one entry of the export layer: a project and a format in, files and losses out. */
import { exportCompose } from './compose.js';
import { exportKubernetes } from './kubernetes.js';
import type { ExportFile, ExportFormat, ExportInput, ExportResult } from './model.js';
import { exportNomad } from './nomad.js';
import { exportSystemd } from './systemd.js';

const EXPORTERS: Readonly<Record<ExportFormat, (input: ExportInput) => ExportResult>> = {
  kubernetes: exportKubernetes,
  nomad: exportNomad,
  compose: exportCompose,
  systemd: exportSystemd,
};

export function exportProject(input: ExportInput, format: ExportFormat): ExportResult {
  return EXPORTERS[format](input);
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
