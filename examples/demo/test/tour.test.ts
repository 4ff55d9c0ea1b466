import { MemoryFs } from "@fusio/memory";
import { expect, it } from "vitest";
import { tour } from "../src/tour.ts";

it("the demo tour runs on memory and leaves nothing behind", async () => {
  const fs = new MemoryFs();
  const lines: string[] = [];
  await tour(fs, (line) => lines.push(line));
  expect(lines.some((line) => line.includes('read    6 bytes at offset 11: "second"'))).toBe(true);
  expect(lines.some((line) => line.includes("a stale tag is refused: PreconditionFailed"))).toBe(true);
  const left = [];
  for await (const entry of fs.list("", { recursive: true })) left.push(entry);
  expect(left).toEqual([]);
});

it("the demo tour runs on local disk and leaves nothing behind", async () => {
  const { mkdtemp, readdir, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { NodeFs } = await import("@fusio/node");
  const root = await mkdtemp(join(tmpdir(), "fusio-demo-test-"));
  try {
    const lines: string[] = [];
    await tour(new NodeFs({ root }), (line) => lines.push(line));
    expect(lines.some((line) => line.includes("a stale tag is refused: PreconditionFailed"))).toBe(true);
    const left = (await readdir(root, { recursive: true })).filter((name) => !name.startsWith(".fusio-"));
    expect(left.every((name) => !name.includes("events"))).toBe(true);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
