// The timer behind the stall timeouts of FetchHttpClient's exchanges (not exported from the package).

/** Something waiting on the network until `deadline` (performance.now() ms). */
export interface Waiting {
  readonly deadline: number;
  /** The deadline passed while it was watched. */
  expire(): void;
}

/**
 * One runtime timer for the deadlines of everything it watches. The timer is set for the
 * earliest deadline when it is first needed; a watched deadline that moves later (each wait of
 * an exchange moves it) costs nothing, and the timer, when it fires before the deadlines it
 * finds, sleeps again until the earliest. So the waits of one exchange cost one timer, and with
 * a clock shared by a client's exchanges (all on the same timeout), the timer is set about once
 * per timeout period instead of once per request.
 */
export class StallClock {
  readonly #waiting = new Set<Waiting>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer fires (performance.now() ms), or Infinity when none is set. */
  #firesAt = Number.POSITIVE_INFINITY;

  /** Watches `waiting` until {@link unwatch}; its `deadline` may only move later meanwhile. */
  watch(waiting: Waiting): void {
    this.#waiting.add(waiting);
    if (waiting.deadline < this.#firesAt) this.#schedule(waiting.deadline);
  }

  unwatch(waiting: Waiting): void {
    this.#waiting.delete(waiting);
  }

  /** Clears the timer (a clock that serves a single exchange, once the exchange is over). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#firesAt = Number.POSITIVE_INFINITY;
  }

  #schedule(at: number): void {
    clearTimeout(this.#timer);
    this.#firesAt = at;
    this.#timer = unref(setTimeout(this.#tick, Math.max(0, at - performance.now())));
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    this.#firesAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const waiting of this.#waiting) {
      if (waiting.deadline <= now) {
        this.#waiting.delete(waiting);
        waiting.expire();
      } else if (waiting.deadline < next) {
        next = waiting.deadline;
      }
    }
    if (next < this.#firesAt) this.#schedule(next);
  };
}

/**
 * The timer must not keep the process alive by itself: a response left unread would otherwise
 * hold it for the whole timeout. (The fetch in flight keeps the process alive while waiting.)
 * Node's and Bun's timers are objects with `unref()`; Deno's are numbers, unref'ed through
 * `Deno.unrefTimer`; browsers and Workers have neither, and need neither.
 */
function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  if (typeof timer === "number") {
    (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno?.unrefTimer?.(timer);
  } else {
    (timer as { unref?: () => void }).unref?.();
  }
  return timer;
}
