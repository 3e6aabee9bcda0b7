/**
 * Text in a status's look, or plain when colour is off (`NO_COLOR`): the symbol beside a
 * status still says what the colour would.
 */
import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { Look } from './status-look.js';

export function Painted({
  look,
  colour,
  children,
}: {
  readonly look: Look | undefined;
  readonly colour: boolean;
  readonly children: ReactNode;
}) {
  if (!colour || look === undefined) return <Text>{children}</Text>;
  return (
    <Text color={look.colour} dimColor={look.dim === true}>
      {children}
    </Text>
  );
}
