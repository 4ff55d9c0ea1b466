// Streamed request bodies of FetchHttpClient, loaded at the first one: the remote backends
// send buffers, so most bundles never need this.
import type { Exchange } from "./exchange.ts";

/**
 * A caller's chunk iterable as the ReadableStream fetch wants, pulled one chunk at a time
 * (nothing is read ahead or buffered). Cancelling the stream ends the iterator.
 */
export function bodyStream(body: AsyncIterable<Uint8Array>, exchange: Exchange): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Time spent in the caller's producer is not a network stall; each chunk that goes up is
        // progress, so the stall timer restarts after it.
        if (exchange.sending) exchange.disarm();
        try {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
          if (exchange.sending) exchange.arm();
        } catch (error) {
          exchange.bodyError = error;
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
