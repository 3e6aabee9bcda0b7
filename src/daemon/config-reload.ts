/**
 * Live reload: while `settings.reload` is on (or `up --watch` asked for it), the config file
 * and the `env_file`s its processes read are watched, and each burst of changes applies the
 * config as a second `up -d` would. What applying does, and what a broken file does, is the
 * daemon's `apply`: this only watches and asks.
 */

import type { Project } from '../config/load.js';
import type { CategoryLog } from '../core/logging.js';
import { sameData } from '../core/stack/apply-plan.js';
import { describeBurst } from '../core/triggers/watch.js';
import { FileWatch } from '../runtime/triggers/file-watch.js';
import { configFiles } from './config-files.js';

/**
 * An editor's save is several writes (or a write and a rename) within a few milliseconds;
 * a config is applied once they are done.
 */
export const CONFIG_DEBOUNCE_MS = 100;

/** Watches a project's config files for as long as it asks, and applies each change. */
export class ConfigReload {
  private watch: FileWatch | undefined;
  private files: readonly string[] = [];
  /** `up --watch`: watched for the rest of this daemon's life, whatever the config says. */
  private forRun = false;

  constructor(
    /** Applies the config file as it is now; rejects when it does not load (and says so itself). */
    private readonly apply: () => Promise<unknown>,
    private readonly log: CategoryLog,
  ) {}

  /** Resolves once the files followed now are watched: a change from then on is applied. */
  get ready(): Promise<void> {
    return this.watch?.ready ?? Promise.resolve();
  }

  /** Watches `project`'s files from now on, for as long as this daemon runs. */
  watchForRun(project: Project): void {
    this.forRun = true;
    this.follow(project);
  }

  /**
   * Follows the project now running: its files are watched while it has `settings.reload`
   * on (or `watchForRun` was asked), and the set of files follows its `env_file`s.
   */
  follow(project: Project): void {
    const wanted = this.forRun || project.settings.reload ? configFiles(project) : [];
    if (sameData(wanted, this.files)) return;
    void this.watch?.close();
    this.watch = undefined;
    this.files = wanted;
    if (wanted.length === 0) return;
    this.watch = new FileWatch(
      { baseDir: project.baseDir, paths: wanted, ignore: [], debounceMs: CONFIG_DEBOUNCE_MS },
      (burst) => {
        this.log.info({ files: burst.files }, `${describeBurst(burst)}: applying the config`);
        // A config that does not load is announced and logged by `apply`; nothing to add.
        this.apply().catch(() => {});
      },
      (error) => this.log.error({ err: error }, 'watching the config failed'),
    );
    const watch = this.watch;
    void watch.ready.then(() => {
      if (this.watch === watch) this.log.info({ files: wanted }, 'watching the config');
    });
  }

  async close(): Promise<void> {
    const watch = this.watch;
    this.watch = undefined;
    this.files = [];
    await watch?.close();
  }
}
