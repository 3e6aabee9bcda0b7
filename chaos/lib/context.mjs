// What a scenario is given: its seed and parameters, a deadline, invariant checks that
// collect evidence instead of throwing, figures, and projects cleaned up by pid at the end.
import { readFileSync } from 'node:fs';
import { Prng } from './prng.mjs';
import { markedProcesses, removeCgroups } from './procs.mjs';
import { Project } from './project.mjs';

/** Evidence kept per broken invariant: the first few examples, and a count of all. */
const EXAMPLES_KEPT = 8;

/** Matches a JavaScript stack frame (`    at fn (file.js:1:2)`): never shown to a user. */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

export class ScenarioContext {
  constructor({ name, seed, mode, params, budgetMs, runId }) {
    this.name = name;
    this.seed = seed;
    this.mode = mode;
    this.params = params;
    this.runId = runId;
    this.prng = new Prng(seed);
    this.startedAt = Date.now();
    /** Stops a little before the runner's hard bound, to leave time to clean up. */
    this.deadline = this.startedAt + budgetMs - Math.min(15_000, budgetMs * 0.2);
    this.figures = {};
    this.failures = new Map();
    this.projects = [];
    /** cgroup v2 paths our processes were seen in; the scenario's own is not ours to remove. */
    this.cgroups = new Set();
    this.ownCgroup = ownCgroup();
  }

  /** Milliseconds left before the scenario must wrap up. */
  timeLeft() {
    return this.deadline - Date.now();
  }

  /** A line on stderr, stamped with the seconds since the scenario began. */
  log(message) {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[${this.name} ${seconds}s] ${message}\n`);
  }

  /** Records a broken invariant when `ok` is false; returns `ok`. */
  check(invariant, ok, evidence) {
    if (ok) return true;
    this.fail(invariant, evidence);
    return false;
  }

  /** Records one breach of `invariant` with its evidence (kept for the first few). */
  fail(invariant, evidence) {
    const entry = this.failures.get(invariant) ?? { invariant, count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < EXAMPLES_KEPT) entry.examples.push(evidence);
    this.failures.set(invariant, entry);
    if (entry.count <= 3) this.log(`FAIL ${invariant}: ${JSON.stringify(evidence).slice(0, 400)}`);
  }

  /** Sets one figure of the results. */
  figure(key, value) {
    this.figures[key] = value;
  }

  /** A temp project, removed at the end (kept when the scenario failed, as evidence). */
  project(label) {
    const project = new Project(label);
    this.projects.push(project);
    return project;
  }

  /** Processes of this run, apart from the scenario itself and its reaper. */
  marked() {
    const spare = new Set([process.pid, process.ppid]);
    const found = markedProcesses(this.runId).filter((p) => !spare.has(p.pid));
    for (const proc of found) {
      if (proc.cgroup && !isAncestorOrSelf(proc.cgroup, this.ownCgroup))
        this.cgroups.add(proc.cgroup);
    }
    return found;
  }

  /** Removes the cgroups our processes were seen in (the daemon's per-run cgroups). */
  removeCgroups() {
    return removeCgroups(this.cgroups);
  }
}

function ownCgroup() {
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'));
    return line ? line.slice(3) : '/';
  } catch {
    return '/';
  }
}

function isAncestorOrSelf(path, of) {
  return path === '/' || path === of || of.startsWith(`${path}/`);
}
