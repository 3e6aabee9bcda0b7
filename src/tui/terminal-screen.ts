/**
 * The terminal as the dashboard borrows it: the alternate screen (so the shell's screen is
 * there again afterwards, as `less` and `vim` leave it), and everything given back however
 * the process ends: unmounted, crashed, or killed by a signal ink never hears of. Raw mode
 * and the cursor are ink's to set; they are reset here too, for the ends ink does not see.
 */

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export interface BorrowedScreen {
  /** Gives the terminal back; again is harmless. */
  restore(): void;
}

export function borrowScreen(
  stdin: NodeJS.ReadStream = process.stdin,
  stdout: NodeJS.WriteStream = process.stdout,
): BorrowedScreen {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    try {
      if (stdin.isTTY) stdin.setRawMode(false);
      // Synchronous even on a pipe: on `exit`, nothing written later would be.
      stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
    } catch {
      // A terminal already gone (SIGHUP) has nothing left to restore.
    }
  };
  // The terminal hung up (SIGHUP, a closed SSH session): reading the keys fails with EIO,
  // which must not crash a stack stopping gracefully, during the dashboard or after it.
  stdin.on('error', ignore);
  stdout.write(ENTER_ALTERNATE_SCREEN);
  // The last resort: an uncaught error, or `process.exit` called anywhere.
  process.on('exit', restore);
  return { restore };
}

function ignore(): void {}
