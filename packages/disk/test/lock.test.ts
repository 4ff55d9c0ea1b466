// How the CAS lock judges a lock file it finds: whose, how old, and what waiting does.
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lockPathOf } from "../src/internal/lock.ts";
import { rejectsWith, tempDir, text } from "./helpers.ts";
import { NodeFs } from "./node-fs.ts";

describe("CAS lock files", () => {
  let dir: ReturnType<typeof tempDir>;
  let fs: NodeFs;
  let lock: string;
  let tag: string;

  beforeEach(async () => {
    dir = tempDir("lock");
    fs = new NodeFs({ root: dir.path, casLeaseMs: 5_000 });
    tag = await fs.putConditional("key", text("v1"), { ifNotExists: true });
    lock = lockPathOf(join(dir.path, "key"));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    dir.cleanup();
  });

  const age = (path: string, seconds: number): void => {
    const then = Date.now() / 1000 - seconds;
    utimesSync(path, then, then);
  };

  it("a fresh lock of another host is honoured: the writer waits, and its signal stops the wait", async () => {
    writeFileSync(lock, "boot\nanother-host\n1234\n99\ntoken\n0\n");
    const controller = new AbortController();
    const pending = fs.putConditional("key", text("v2"), { ifMatch: tag }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await rejectsWith(pending, "Aborted");
    expect(readFileSync(join(dir.path, "key"), "utf8")).toBe("v1");
    expect(readFileSync(lock, "utf8")).toContain("another-host");
  });

  it("a lock of another host older than casLeaseMs is taken as left by a crash", async () => {
    writeFileSync(lock, "boot\nanother-host\n1234\n99\ntoken\n0\n");
    age(lock, 60);
    await fs.putConditional("key", text("v2"), { ifMatch: tag });
    expect(readFileSync(join(dir.path, "key"), "utf8")).toBe("v2");
  });

  it("an unreadable lock (content lost in a power cut) is stale after a short grace", async () => {
    writeFileSync(lock, "");
    age(lock, 10);
    await fs.putConditional("key", text("v2"), { ifMatch: tag });
    expect(readFileSync(join(dir.path, "key"), "utf8")).toBe("v2");
  });

  it("a lock of a pid that cannot be probed (an error without errno, as in a sandbox) is honoured", async () => {
    const host = (await import("node:os")).hostname();
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    // A pid above Linux's maximum: a real probe would prove it dead (ESRCH).
    writeFileSync(lock, `${boot}\n${host}\n${2 ** 23}\n\ntoken\n0\n`);
    vi.spyOn(process, "kill").mockImplementation(() => {
      throw new Error("refused by the sandbox");
    });
    const controller = new AbortController();
    const pending = fs.putConditional("key", text("v2"), { ifMatch: tag }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await rejectsWith(pending, "Aborted");
    expect(readFileSync(join(dir.path, "key"), "utf8")).toBe("v1");
    vi.restoreAllMocks();
    await fs.putConditional("key", text("v2"), { ifMatch: tag });
    expect(readFileSync(join(dir.path, "key"), "utf8")).toBe("v2");
  });

  it("a lock from an earlier boot of this host is stale at once", async () => {
    const host = (await import("node:os")).hostname();
    writeFileSync(lock, `some-other-boot-id\n${host}\n${process.pid}\n1\ntoken\n0\n`);
    await fs.putConditional("key", text("v2"), { ifMatch: tag });
    expect(readFileSync(join(dir.path, "key"), "utf8")).toBe("v2");
  });
});
