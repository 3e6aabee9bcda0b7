/**
 * The built CLI in a real pseudo-terminal, read back as a terminal would show it: every byte
 * the program writes is fed to a headless xterm, so a test asserts on the screen a person
 * would see (after cursor moves, erases and redraws), not on the stream of escapes. The raw
 * output is kept as well, for what only the stream says (terminal modes set and reset).
 *
 * Waits are on frames: `waitForScreen` checks the screen each time the terminal has parsed
 * a write, never on a clock. Everything started here is killed, with its process group, by
 * `closeTerminals()`.
 */
import xterm from '@xterm/headless';
import { type IPty, spawn } from 'node-pty';
import { BIN } from '../cli/helpers.js';

const { Terminal } = xterm;

/** Generous: on a loaded 2-core machine `top` alone takes seconds to its first frame. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** What `press` sends for a named key; anything else is sent as the text it is. */
const KEYS: Readonly<Record<string, string>> = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  backspace: '\u007f',
  tab: '\t',
  'ctrl-c': '\u0003',
};

export interface TerminalOptions {
  readonly cwd: string;
  readonly cols?: number;
  readonly rows?: number;
  /**
   * Changes to the environment: a string sets a variable, `undefined` removes it. `CI`,
   * `NO_COLOR` and `FORCE_COLOR` are removed before these apply (the dashboard shows only
   * when `CI` is unset, and CI sets it), and `TERM` is `xterm-256color`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Exit {
  readonly exitCode: number;
  /** The signal that ended the program, or 0. */
  readonly signal: number;
}

/** A screen test: a pattern the screen's text matches, or a predicate over it. */
export type ScreenMatch = RegExp | ((screen: string) => boolean);

export interface TerminalRun {
  /** The program's pid; it leads its own process group (and session). */
  readonly pid: number;
  /** The visible lines, right-trimmed, joined by newlines. */
  screen(): string;
  /** Resolves with the screen of the first frame that matches, the current one included. */
  waitForScreen(match: ScreenMatch, timeoutMs?: number): Promise<string>;
  /**
   * Resolves once the program has drawn its next whole frame (a synchronized update, as ink
   * writes on a terminal outside CI). An ink program
   * takes keys through the handler of its last render only once React has run that render's
   * effects, which may come after its frame is written: a key sent the instant a frame shows
   * can reach the handler of the render before. The next frame comes after those effects.
   */
  nextFrame(timeoutMs?: number): Promise<string>;
  /**
   * Waits for a screen matching `match`, then presses `keys`: they act on what that screen
   * shows, as a person's would (who presses once they see it). A program that handles keys
   * with the state of the render before a frame's effects ran fails this way; `nextFrame`
   * first gives such a program time.
   */
  pressOnceShown(match: ScreenMatch, ...keys: string[]): Promise<void>;
  /** Sends keys in order: named ones (`up`, `down`, `enter`, `escape`, `ctrl-c`…) or text. */
  press(...keys: string[]): void;
  /** Everything the program wrote so far, escapes included. */
  raw(): string;
  /** Resolves once the program has exited and everything it wrote is on the screen. */
  readonly exited: Promise<Exit>;
  /** Kills the program's process group and frees the terminal; resolves once it exited. */
  close(): Promise<void>;
}

const open = new Set<TerminalRun>();

/** The end of a synchronized update: a program that draws in frames ends each with it. */
const FRAME_END = '\u001b[?2026l';

/** `ESC[?25l`, `ESC[?1049;25h`: DEC private modes set (h) or reset (l). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape codes is the point
const DEC_PRIVATE_MODE = /\u001b\[\?([\d;]+)([hl])/g;

/** Runs `node <built CLI> ARGS…` in a fresh pseudo-terminal (80×24 unless told). */
export function runInTerminal(args: readonly string[], options: TerminalOptions): TerminalRun {
  return runProgramInTerminal(process.execPath, [BIN, ...args], options);
}

/** Runs any program in a fresh pseudo-terminal; `runInTerminal` is the CLI's shorthand. */
export function runProgramInTerminal(
  file: string,
  args: readonly string[],
  options: TerminalOptions,
): TerminalRun {
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const terminal = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const pty: IPty = spawn(file, [...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: options.cwd,
    env: environment(options.env),
  });
  let raw = '';
  /** Frames drawn so far: synchronized updates (ESC[?2026h … ESC[?2026l) on the screen. */
  let frames = 0;
  let scannedUpTo = 0;
  const checks = new Set<() => void>();
  let exit: Exit | undefined;

  pty.onData((data) => {
    raw += data;
    const end = raw.length;
    // Checked once the chunk is parsed: the screen then shows it.
    terminal.write(data, () => {
      for (
        let at = raw.indexOf(FRAME_END, scannedUpTo);
        at !== -1 && at + FRAME_END.length <= end;
      ) {
        frames += 1;
        scannedUpTo = at + FRAME_END.length;
        at = raw.indexOf(FRAME_END, scannedUpTo);
      }
      scannedUpTo = Math.max(scannedUpTo, end - FRAME_END.length + 1);
      for (const check of checks) check();
    });
  });
  const exited = new Promise<Exit>((resolve) => {
    pty.onExit(({ exitCode, signal }) => {
      // The empty write lands after every write before it: the screen is complete then.
      terminal.write('', () => {
        exit = { exitCode, signal: signal ?? 0 };
        resolve(exit);
        for (const check of checks) check();
      });
    });
  });

  const screen = () => screenOf(terminal);

  const run: TerminalRun = {
    pid: pty.pid,
    screen,
    raw: () => raw,
    exited,
    press(...keys) {
      for (const key of keys) pty.write(KEYS[key] ?? key);
    },
    waitForScreen(match, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const test = typeof match === 'function' ? match : (text: string) => match.test(text);
      return new Promise((resolve, reject) => {
        const settle = (error?: Error) => {
          clearTimeout(timer);
          checks.delete(check);
          if (error) reject(error);
          else resolve(screen());
        };
        const check = () => {
          if (test(screen())) settle();
          else if (exit !== undefined) {
            settle(failure(`the program exited (${describeExit(exit)}) before`, match, screen()));
          }
        };
        const timer = setTimeout(
          () => settle(failure(`timed out after ${timeoutMs}ms`, match, screen())),
          timeoutMs,
        );
        checks.add(check);
        check();
      });
    },
    async pressOnceShown(match, ...keys) {
      await run.waitForScreen(match);
      run.press(...keys);
    },
    nextFrame(timeoutMs = DEFAULT_TIMEOUT_MS) {
      const framesSoFar = frames;
      return run.waitForScreen(function anotherFrame() {
        return frames > framesSoFar;
      }, timeoutMs);
    },
    async close() {
      open.delete(run);
      if (exit === undefined) {
        killGroup(pty.pid);
        await exited;
      }
      checks.clear();
      terminal.dispose();
    },
  };
  open.add(run);
  return run;
}

/** For `afterEach`/`afterAll`: closes every terminal still open, killing what runs in it. */
export async function closeTerminals(): Promise<void> {
  await Promise.all([...open].map((run) => run.close()));
}

/**
 * The DEC private modes (`ESC[?25l`, `ESC[?1049h`, `ESC[?2004h`…) that `raw` leaves other
 * than a terminal starts with: for each mode it set, its last setting must be the default
 * again. Empty when the program gave the terminal back as it found it.
 */
export function modesLeftChanged(raw: string): string[] {
  const last = new Map<number, 'h' | 'l'>();
  // Several modes may be set by one sequence: ESC[?1049;25h.
  for (const match of raw.matchAll(DEC_PRIVATE_MODE)) {
    for (const mode of match[1]!.split(';')) {
      if (mode !== '') last.set(Number(mode), match[2] as 'h' | 'l');
    }
  }
  return [...last]
    .filter(([mode, setting]) => setting !== defaultOf(mode))
    .map(([mode, setting]) => `?${mode}${setting}`);
}

/** True when every DEC private mode the program changed is back to its default. */
export function modesRestored(raw: string): boolean {
  return modesLeftChanged(raw).length === 0;
}

/**
 * A mode's setting on a fresh terminal: reset for nearly all of them; the cursor shows
 * (25) and lines wrap at the margin (7).
 */
function defaultOf(mode: number): 'h' | 'l' {
  return mode === 25 || mode === 7 ? 'h' : 'l';
}

function environment(changes: TerminalOptions['env'] = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color' };
  delete env.CI;
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  Object.assign(env, changes);
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function screenOf(terminal: InstanceType<typeof Terminal>): string {
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let row = 0; row < terminal.rows; row++) {
    lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
  }
  return lines.join('\n').replace(/\n+$/, '');
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

function describeExit(exit: Exit): string {
  return exit.signal === 0 ? `code ${exit.exitCode}` : `signal ${exit.signal}`;
}

function failure(why: string, match: ScreenMatch, screen: string): Error {
  const wanted = typeof match === 'function' ? match.name || 'a predicate' : String(match);
  return new Error(`${why} a screen matching ${wanted}; the last screen:\n${screen}`);
}
