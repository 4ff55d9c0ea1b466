import type { LeaseHandle, LeaseStore } from "./lease.ts";

/**
 * Renews a session's lease in the background until stopped, for sessions that live longer
 * than the lease TTL. The port of Rust's `LeaseKeeper`.
 */
export class LeaseKeeper {
  readonly #leases: LeaseStore;
  readonly #lease: LeaseHandle;
  readonly #ttlMs: number;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  /** The error of the latest failed heartbeat, cleared by the next success. */
  lastError: unknown;

  /** @internal Sessions create keepers through `startLeaseKeeper()`. */
  constructor(leases: LeaseStore, lease: LeaseHandle, ttlMs: number, intervalMs: number) {
    this.#leases = leases;
    this.#lease = lease;
    this.#ttlMs = ttlMs;
    this.#intervalMs = intervalMs;
    this.#schedule();
  }

  /** Stops renewing; resolves once an in-flight heartbeat has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#leases.heartbeat(this.#lease, this.#ttlMs).then(
        () => {
          this.lastError = undefined;
          this.#schedule();
        },
        (error: unknown) => {
          this.lastError = error;
          this.#schedule();
        },
      );
    }, this.#intervalMs);
  }
}
