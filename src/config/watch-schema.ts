/**
 * `watch:` of a process entry: the files whose change restarts it (a job: runs it again),
 * what does not count, and how close changes are one (docs/configuration.md, “Watch”).
 */
import { z } from 'zod';
import { BOUNDS, duration } from './units-schema.js';

/** `watch:` a list of paths, or its long form. */
export const watchSchema = z.strictObject({
  paths: z
    .array(z.string().min(1, 'expected a non-empty path'))
    .min(1, 'expected at least one path')
    .max(BOUNDS.watchPaths, `expected at most ${BOUNDS.watchPaths} paths`)
    .describe('Files and folders watched, relative to the config (folders recursively).'),
  ignore: z
    .array(z.string().min(1, 'expected a non-empty glob'))
    .max(BOUNDS.watchPaths)
    .describe(
      'Globs of what not to watch; one without / matches a name at any depth (node_modules, *.log).',
    )
    .optional(),
  debounce: duration()
    .describe('Changes this close together are one change (default 500ms).')
    .optional(),
});
