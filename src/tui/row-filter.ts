/** The dashboard's text filter: a row stays when its name, namespace or status contains the text. */
import type { ProcessInfo } from '../core/view.js';

export function filterRows(processes: readonly ProcessInfo[], text: string): ProcessInfo[] {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return [...processes];
  return processes.filter((process) =>
    [process.name, process.namespace, process.status].some((field) =>
      field.toLowerCase().includes(wanted),
    ),
  );
}
