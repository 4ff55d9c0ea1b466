// The serializability checker (bank.ts) on S3 through the fault proxy: error answers, connection
// resets, stalls, truncated bodies, and conditional PUTs the server applied but whose answer
// was lost, all between the manifest and the Ceph RGW. Faults change nothing about the final
// state: every acknowledged transaction is in the history once, no rejected one, a commit that
// failed with an error at most once, and the history replays serially to the final balances.
import { FaultProxy, type ProxiedRequest } from "@fusio-internal/test-support/fault-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBank, uniquePrefix } from "./bank.ts";
import { s3Config, s3Fs } from "./s3.ts";

const slowDown = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>r</RequestId></Error>`;
const internal = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>r</RequestId></Error>`;

/** Every `n`th request that `filter` lets through (deterministic, unlike a random share). */
function every(n: number, filter: (request: ProxiedRequest) => boolean = () => true) {
  let seen = 0;
  return (request: ProxiedRequest): boolean => filter(request) && ++seen % n === 0;
}
const isPut = ({ method }: ProxiedRequest): boolean => method === "PUT";
const isGet = ({ method, url }: ProxiedRequest): boolean => method === "GET" && !url.search.includes("list-type");

let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await new FaultProxy(s3Config().endpoint).start();
});

afterAll(async () => {
  await proxy.stop();
});

describe("serializability checker on S3 through the fault proxy", () => {
  it("errors, resets, stalls, truncations and lost answers change nothing", { timeout: 120_000 }, async () => {
    proxy
      .inject(every(23), { kind: "status", status: 503, body: slowDown }, 12)
      .inject(every(37), { kind: "status", status: 500, body: internal }, 8)
      .inject(every(29), { kind: "reset" }, 12)
      .inject(every(31, isPut), { kind: "lose" }, 8)
      .inject(every(41, isGet), { kind: "truncate", fraction: 0.5 }, 6)
      .inject(every(97), { kind: "stall" }, 3);
    const fs = s3Fs({
      endpoint: proxy.endpoint,
      timeout: 1_000,
      retry: { maxAttempts: 4, baseDelay: 5, maxDelay: 20 },
    });
    const result = await runBank(fs, {
      prefix: uniquePrefix("faults"),
      writers: 4,
      perWriter: 6,
      faulty: true,
      // A writer whose commit failed leaves its lease; recovery waits for it to lapse.
      manifest: { retention: { leaseTtlMs: 2_000 } },
    });
    const kinds = new Set(proxy.injected.map((line) => line.split(" -> ")[1]));
    const lostCommitWrites = proxy.injected.filter((line) => /(segments|HEAD)/.test(line) && line.endsWith("lose"));
    console.info(
      `checker on S3 with faults: ${result.committed} committed, ${result.conflicts} lost races, ${result.unknown} commits failed (${result.applied} of them applied), ${result.readErrors} failed reads retried; ${proxy.injected.length} faults in ${proxy.log.length} requests (${lostCommitWrites.length} lost answers to applied segment or HEAD writes)`,
    );
    expect([...kinds].sort()).toEqual(["lose", "reset", "stall", "status", "truncate"]);
    expect(result.committed + result.unknown).toBe(24);
  });
});
