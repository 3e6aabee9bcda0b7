/**
 * What every subscription returns, in-process or over the wire: events, output lines,
 * streams and their breaks.
 */

/** Ends a subscription; calling it twice is harmless. */
export type Disposer = () => void;
