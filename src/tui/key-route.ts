/**
 * Keys handed down by the dashboard, the one reader of the keyboard: a pane puts its handler
 * in a route as it renders, and the dashboard calls it while the pane has the focus. Ink's
 * own `isActive` switch would take effect only after the next render, and a key typed just
 * after the one that moved the focus (Tab, then `a`) would reach no one.
 */
import type { Key } from 'ink';
import { useEffect, useRef } from 'react';

/**
 * Handles a key; `false` when the key is not the pane's, for the dashboard to act on
 * (anything else: it was the pane's).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing took the key
export type KeyHandler = (input: string, key: Key) => boolean | void;

/** Where a pane's handler is found; empty while no pane is there to take keys. */
export interface KeyRoute {
  current: KeyHandler | undefined;
}

/** A route, for the component that reads the keys and hands them on. */
export function useKeyRoute(): KeyRoute {
  return useRef<KeyHandler | undefined>(undefined);
}

/** Puts `handler` (as of this render) in `route`, and takes it out on unmount. */
export function useRoutedKeys(route: KeyRoute, handler: KeyHandler): void {
  const latest = useRef(handler);
  latest.current = handler;
  route.current = (input, key) => latest.current(input, key);
  useEffect(
    () => () => {
      route.current = undefined;
    },
    [route],
  );
}
