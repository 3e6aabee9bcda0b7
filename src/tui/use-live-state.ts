/**
 * State that a key handler reads as it is now, not as it was when the handler was made.
 * ink attaches a component's newest handler only after the frame it belongs to is drawn,
 * so a key that comes in between (a fast typist, a busy machine) reaches the handler of
 * the render before: one that read plain state would act on the state of then (a `y`
 * answering a question it did not see asked). Set through here, the value is current at
 * once, for every handler; the component renders it as any state.
 */
import { useRef, useState } from 'react';

export interface LiveState<T> {
  /** The value as rendered. */
  readonly value: T;
  /** The value as it is now: for key handlers. */
  readonly now: () => T;
  readonly set: (next: T) => void;
}

export function useLiveState<T>(initial: T): LiveState<T> {
  const [value, setValue] = useState(initial);
  const live = useRef(initial);
  return {
    value,
    now: () => live.current,
    set: (next) => {
      live.current = next;
      setValue(next);
    },
  };
}

/** The latest of a value computed while rendering, for handlers made before it. */
export function useLatest<T>(value: T): { readonly current: T } {
  const latest = useRef(value);
  latest.current = value;
  return latest;
}
