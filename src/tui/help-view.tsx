/** `?`: every key of every pane, from the one keymap the footer reads too. */
import { Box, Text } from 'ink';
import { KEYMAP, type Pane } from './keymap.js';
import type { Theme } from './theme.js';

const TITLES: Readonly<Record<Exclude<Pane, 'help'>, string>> = {
  table: 'Processes',
  logs: 'Log pane (Tab from the table)',
  details: 'Details (Enter on a process)',
  tasks: 'Tasks (t)',
};

export interface HelpViewProps {
  readonly width: number;
  readonly theme: Theme;
}

export function HelpView({ width, theme }: HelpViewProps) {
  const panes = Object.keys(TITLES) as Array<keyof typeof TITLES>;
  const keyWidth = Math.max(...panes.flatMap((pane) => KEYMAP[pane].map((key) => key.keys.length)));
  return (
    <Box flexDirection="column" width={width}>
      {panes
        .filter((pane) => KEYMAP[pane].length > 0)
        .map((pane) => (
          <Box key={pane} flexDirection="column" marginBottom={1}>
            <Text bold color={theme.colour ? theme.colours.primary : undefined}>
              {TITLES[pane]}
            </Text>
            {KEYMAP[pane].map((key) => (
              <Text key={key.keys} wrap="truncate-end">
                {`  ${key.keys.padEnd(keyWidth)}  ${key.does}`}
              </Text>
            ))}
          </Box>
        ))}
    </Box>
  );
}
