/**
 * Typed delivery to listeners, isolated: a listener that throws is reported and the others
 * (and whoever delivered) go on, so a bad listener can neither end the host process nor
 * keep an event or a line of output from anyone else. Subscriptions return a disposer.
 */
import type { EventOf, SupervisorEvent, SupervisorEventType } from '../../core/events.js';
import type { Disposer } from '../../core/subscription.js';

export type Listener<E> = (event: E) => void;

/** Told of what a listener threw, after which delivery goes on. */
export type ListenerErrorReporter = (error: unknown) => void;

/**
 * The default report of a listener that threw: a process warning. The host sees it
 * (`process.on('warning')`, or on stderr unless started with `--no-warnings`) and it never
 * ends the process, as an uncaught exception would.
 */
export const warnOfListenerError: ListenerErrorReporter = (error) => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`a listener threw, and was skipped: ${message}`, {
    type: 'OverseerListenerError',
    detail: error instanceof Error ? error.stack : undefined,
  });
};

/**
 * The listeners of one kind of item, each called in turn with every item. The list is
 * replaced, never changed in place: a delivery goes to the listeners there when it began
 * (one added meanwhile starts with the next item), at no cost per item.
 */
export class Listeners<T> {
  private listeners: ReadonlyArray<Listener<T>> = [];

  constructor(private readonly report: ListenerErrorReporter = warnOfListenerError) {}

  /** How many listen now. */
  get size(): number {
    return this.listeners.length;
  }

  /** Adds a listener (the same function added twice is called twice). */
  add(listener: Listener<T>): Disposer {
    const wrapped: Listener<T> = (item) => listener(item);
    this.listeners = [...this.listeners, wrapped];
    return () => {
      this.listeners = this.listeners.filter((known) => known !== wrapped);
    };
  }

  /** Calls every listener with `item`; one that throws is reported and the next is called. */
  deliver(item: T): void {
    for (const listener of this.listeners) {
      try {
        listener(item);
      } catch (error) {
        this.reportSafely(error);
      }
    }
  }

  private reportSafely(error: unknown): void {
    try {
      this.report(error);
    } catch {
      // A reporter that throws too: the warning channel still tells the host.
      warnOfListenerError(error);
    }
  }
}

/**
 * Supervisor events, in order. Events raised while listeners run are queued and delivered
 * after them, so a listener that acts on the supervisor never sees events out of order.
 */
export class EventHub {
  private readonly listeners: Listeners<SupervisorEvent>;
  private readonly queue: SupervisorEvent[] = [];
  private delivering = false;

  constructor(report: ListenerErrorReporter = warnOfListenerError) {
    this.listeners = new Listeners(report);
  }

  /** Every event, in order. */
  onAny(listener: Listener<SupervisorEvent>): Disposer {
    return this.listeners.add(listener);
  }

  /** Events of one type. */
  on<T extends SupervisorEventType>(type: T, listener: Listener<EventOf<T>>): Disposer {
    return this.onAny((event) => {
      if (event.type === type) listener(event as EventOf<T>);
    });
  }

  publish(event: SupervisorEvent): void {
    this.queue.push(event);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        this.listeners.deliver(next);
      }
    } finally {
      this.delivering = false;
    }
  }
}
