/**
 * Text in a status's look, or plain when colour is off (`NO_COLOR`): the symbol beside a
 * status still says what the colour would.
 */
import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { Look } from './status-look.js';
import { colourOf, type Theme } from './theme.js';

export function Painted({
  look,
  theme,
  children,
}: {
  readonly look: Look | undefined;
  readonly theme: Theme;
  readonly children: ReactNode;
}) {
  if (!theme.colour || look === undefined) return <Text>{children}</Text>;
  return (
    <Text color={colourOf(theme, look.role)} dimColor={look.dim === true}>
      {children}
    </Text>
  );
}
