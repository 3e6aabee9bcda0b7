/**
 * `useInput` with the handler of the last render, always. Ink subscribes a handler in an
 * effect, which runs some time after the frame it belongs to is drawn: a key pressed in
 * between would reach the handler of the frame before, and act on rows no longer shown (or
 * on none at all, right after the first frame).
 */
import { type Key, useInput } from 'ink';
import { useRef } from 'react';

export function useKeys(
  handler: (input: string, key: Key) => void,
  options: { readonly isActive?: boolean } = {},
): void {
  const latest = useRef(handler);
  latest.current = handler;
  useInput((input, key) => latest.current(input, key), options);
}
