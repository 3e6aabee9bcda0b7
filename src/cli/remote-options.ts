/**
 * `--api URL` and `--token T` on the command line, defined once: on every command that
 * talks to a supervisor (which reaches it through `connect` or `remoteClient`, the one place
 * that picks the local socket or the URL), and refused by name on the commands that only
 * make sense on the supervisor's own machine, rather than left unknown or ignored.
 */
import type { Command, Option } from 'commander';
import { OverseerError } from '../core/errors.js';

const API_HELP =
  "a daemon's TCP listener (its settings.api.listen), e.g. http://10.0.0.5:9615, instead of this folder's";
const TOKEN_HELP = "with --api: the daemon's bearer token (default: OVERSEER_TOKEN)";

/** Adds `--api <url>` and `--token <token>` to a command that talks to a supervisor. */
export function withRemoteOptions(command: Command, OptionClass: typeof Option): Command {
  return command
    .addOption(new OptionClass('--api <url>', API_HELP))
    .addOption(new OptionClass('--token <token>', TOKEN_HELP));
}

/**
 * Makes a command that works on this machine only refuse `--api` and `--token` with a usage
 * error saying `why`, before it does anything.
 */
export function localOnly(command: Command, OptionClass: typeof Option, why: string): Command {
  return command
    .addOption(new OptionClass('--api <url>', API_HELP).hideHelp())
    .addOption(new OptionClass('--token <token>', TOKEN_HELP).hideHelp())
    .hook('preAction', (_program, action) => {
      const { api, token } = action.opts<{ api?: string; token?: string }>();
      if (api === undefined && token === undefined) return;
      throw new OverseerError(
        'BAD_REQUEST',
        `${action.name()} ${why}: ${api === undefined ? '--token' : '--api'} is for the commands that talk to a running supervisor (ps, logs, restart…)`,
      );
    });
}
