/** The last lines: what the last action did, and the keys (or the filter being typed). */
import { Box, Text } from 'ink';
import { colourOf, type Theme } from './theme.js';

export interface FooterProps {
  readonly status: { readonly text: string; readonly failed: boolean } | undefined;
  /** The filter's text while it is being typed; `undefined` otherwise. */
  readonly typing: string | undefined;
  readonly filter: string;
  readonly theme: Theme;
}

const KEYS = '↑/↓ j/k select  / filter  s start  x stop  r restart  q quit';

export function Footer({ status, typing, filter, theme }: FooterProps) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate-end" color={status?.failed ? colourOf(theme, 'error') : undefined}>
        {status?.text ?? ' '}
      </Text>
      {typing === undefined ? (
        <Text wrap="truncate-end" dimColor={theme.colour}>
          {filter === '' ? KEYS : `filter: ${filter} (Esc clears)  ${KEYS}`}
        </Text>
      ) : (
        <Text wrap="truncate-end">{`/${typing}▏  Enter keeps, Esc clears`}</Text>
      )}
    </Box>
  );
}
