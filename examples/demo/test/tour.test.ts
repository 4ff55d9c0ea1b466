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

it("the demo tour runs on S3 (Ceph RGW, or the server S3_ENDPOINT names) and leaves nothing behind", async () => {
  const { inject } = await import("vitest");
  const { CEPH_PACIFIC_COMPAT, S3Fs } = await import("@fusio/s3");
  const s3 = inject("s3");
  const fs = new S3Fs({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    compat: s3.cephPacific ? CEPH_PACIFIC_COMPAT : undefined,
  });
  const lines: string[] = [];
  await tour(fs, (line) => lines.push(line));
  expect(lines.some((line) => line.includes('read    6 bytes at offset 11: "second"'))).toBe(true);
  expect(lines.some((line) => line.includes("a stale tag is refused: PreconditionFailed"))).toBe(true);
  const dir = lines.at(-1)?.replace(/^removed\s+/, "") ?? "";
  const left = [];
  for await (const entry of fs.list(dir, { recursive: true })) left.push(entry);
  expect(left).toEqual([]);
});
