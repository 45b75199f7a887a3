// Callers of one turn of the event loop served by one operation: the first call waits for the end of the turn
// (setImmediate), so that every caller of that turn joins it; callers that arrive while it runs wait for the next,
// which begins after they came. A group commit of audit records, and the snapshot cache's check, are two such.

export type Waiter<T, R> = { item: T; resolve: (value: R) => void; reject: (error: unknown) => void };

export class TurnBatch<T, R> {
  readonly #serve: (group: Waiter<T, R>[]) => Promise<void>;
  readonly #take: (waiting: readonly Waiter<T, R>[]) => number;
  readonly #waiting: Waiter<T, R>[] = [];
  #running = false;

  /**
   * serve: answers each waiter of a group (an error it throws fails those not answered yet); take: how many of the
   * waiting go in the next group (all by default).
   */
  constructor(
    serve: (group: Waiter<T, R>[]) => Promise<void>,
    take: (waiting: readonly Waiter<T, R>[]) => number = (waiting) => waiting.length,
  ) {
    this.#serve = serve;
    this.#take = take;
  }

  /** The answer to this item, from an operation that begins once this call has been made. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, Math.max(1, this.#take(this.#waiting)));
        try {
          await this.#serve(group);
        } catch (error) {
          for (const each of group) each.reject(error);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
