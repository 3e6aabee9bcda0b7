/**
 * Typed event delivery. Subscriptions return a disposer. Events raised while listeners run
 * are queued and delivered in order after them, so a listener that acts on the supervisor
 * never sees events out of order.
 */
import type { EventOf, SupervisorEvent, SupervisorEventType } from '../core/events.js';

export type Listener<E> = (event: E) => void;
/** Ends a subscription; calling it twice is harmless. */
export type Disposer = () => void;

export class EventHub {
  private readonly listeners = new Set<Listener<SupervisorEvent>>();
  private readonly queue: SupervisorEvent[] = [];
  private delivering = false;

  /** Every event, in order. */
  onAny(listener: Listener<SupervisorEvent>): Disposer {
    const wrapped: Listener<SupervisorEvent> = (event) => listener(event);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
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
        for (const listener of [...this.listeners]) deliver(listener, next);
      }
    } finally {
      this.delivering = false;
    }
  }
}

/** A throwing listener must not break the supervisor or starve the other listeners. */
function deliver(listener: Listener<SupervisorEvent>, event: SupervisorEvent): void {
  try {
    listener(event);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
