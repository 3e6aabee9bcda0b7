/**
 * A pane on its own in a test, its keys read from the test's stdin and handed to it as the
 * dashboard hands them (through a key route), while `active`.
 */
import type { ReactNode } from 'react';
import { type KeyRoute, useKeyRoute } from '../../src/tui/key-route.js';
import { useKeys } from '../../src/tui/use-keys.js';

export function Keyed({
  active = true,
  children,
}: {
  readonly active?: boolean;
  readonly children: (keys: KeyRoute) => ReactNode;
}) {
  const route = useKeyRoute();
  useKeys((input, key) => {
    if (active) route.current?.(input, key);
  });
  return <>{children(route)}</>;
}
