/**
 * Streams that end by themselves (a task's output, followed until the task ends), tracked
 * so that a shutdown lets each say what it owes (its last lines, its `end`) before the
 * listeners close every connection.
 */
export class OpenStreams {
  private readonly open = new Set<Promise<unknown>>();

  /** Tracks a stream being served until it is over; returns it as given. */
  track<T>(served: Promise<T>): Promise<T> {
    this.open.add(served);
    const forget = () => {
      this.open.delete(served);
    };
    served.then(forget, forget);
    return served;
  }

  /** Resolves once every stream open now is over, or after `withinMs`, whichever first. */
  async finished(withinMs: number): Promise<void> {
    if (this.open.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
    });
    await Promise.race([Promise.allSettled([...this.open]), late]);
    clearTimeout(timer);
  }
}
