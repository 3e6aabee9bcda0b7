/** Whether a command may take over the terminal with the dashboard. */

/**
 * Both ends are a person's terminal (keys can be read, the screen redrawn in place) and not
 * a CI runner's, which fakes a terminal nobody watches.
 */
export function wantsDashboard(env: NodeJS.ProcessEnv = process.env): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true && env.CI === undefined;
}
