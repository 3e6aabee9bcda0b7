/**
 * The last lines: what the last action did (or why it failed), then the prompt being
 * answered, or what narrows the table and the keys of the pane that has them.
 */
import { Box, Text } from 'ink';
import { describeReach } from './actions.js';
import type { Prompt } from './prompt.js';
import { colourOf, type Theme } from './theme.js';

export interface StatusLine {
  readonly text: string;
  readonly failed: boolean;
}

export interface FooterProps {
  readonly status: StatusLine | undefined;
  readonly prompt: Prompt | undefined;
  /** What narrows or orders the table, and how far actions reach: `filter: web · sort: cpu`. */
  readonly context: readonly string[];
  readonly keys: string;
  readonly theme: Theme;
}

export function Footer({ status, prompt, context, keys, theme }: FooterProps) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate-end" color={status?.failed ? colourOf(theme, 'error') : undefined}>
        {status?.text ?? ' '}
      </Text>
      {prompt === undefined ? (
        <Text wrap="truncate-end" dimColor={theme.colour}>
          {[...context, keys].join('  ·  ')}
        </Text>
      ) : (
        <Text wrap="truncate-end" color={colourOf(theme, 'primary')}>
          {promptLine(prompt)}
        </Text>
      )}
    </Box>
  );
}

function promptLine(prompt: Prompt): string {
  switch (prompt.kind) {
    case 'filter':
      return `/${prompt.text}▏  Enter keeps, Esc clears`;
    case 'argument':
      return prompt.verb === 'signal'
        ? `signal to send to ${describeReach(prompt.reach)} (e.g. HUP, USR1): ${prompt.text}▏  Enter sends, Esc gives up`
        : `instances of ${describeReach(prompt.reach)}: ${prompt.text}▏  Enter scales, Esc gives up`;
    case 'confirm':
      return `${prompt.verb} ${describeReach(prompt.reach)}? y/n`;
  }
}
