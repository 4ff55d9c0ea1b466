// Local-disk tests that @fusio/bun and @fusio/deno run alike (each inside its own runtime, in
// its own describe block, where these functions register them). Test-only: import it as
// `@fusio-internal/test-support/disk/runtime-disk-tests`.
import { existsSync, mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bytes } from "@fusio/conformance";
import type { CasFs, Fs } from "@fusio/core";
import type * as vitest from "vitest";

/** The runtime's disk Fs under test. */
export interface RuntimeDiskSubject {
  /** The Fs on the test root. */
  fs: Fs;
  /** The root of `fs`. */
  root: string;
  /** A new Fs of the same backend on `root`. */
  create(root: string): Fs & CasFs;
}

/** Registers one test each, in the caller's describe block, where the caller wants it. */
export function runtimeDiskTests(
  subject: RuntimeDiskSubject,
  api: Pick<typeof vitest, "it" | "expect">,
): {
  concurrentReads(): void;
  concurrentWholeReads(): void;
  openedFileKept(): void;
  appendOrder(): void;
  symlinkConfinement(): void;
} {
  const { it, expect } = api;
  const { fs, root } = subject;
  return {
    concurrentReads(): void {
      it("concurrent readExactAt calls on one handle each read their own position", async () => {
        const data = bytes(1024 * 1024, 7);
        const writer = await fs.open("concurrent.bin", { create: true, truncate: true });
        await writer.writeAll(data);
        await writer.close();
        const file = await fs.open("concurrent.bin");
        const positions = Array.from({ length: 256 }, (_, i) => ((i * 7919) % 1000) * 1000 + (i % 13));
        const buffers = await Promise.all(positions.map((pos) => file.readExactAt(new Uint8Array(977), pos)));
        buffers.forEach((buf, i) => {
          const pos = positions[i] as number;
          expect(Buffer.compare(buf, data.subarray(pos, pos + 977))).toBe(0);
        });
        await file.close();
      });
    },
    concurrentWholeReads(): void {
      // A read that went through the descriptor's shared offset (seek, then read) would mix
      // these up, or read position 0 from wherever the last read left the offset.
      it("concurrent readToEndAt calls on one handle each read from their own position, 0 included", async () => {
        const data = bytes(256 * 1024, 11);
        const writer = await fs.open("whole.bin", { create: true, truncate: true });
        await writer.writeAll(data);
        await writer.close();
        const file = await fs.open("whole.bin");
        for (let round = 0; round < 20; round++) {
          const positions = [0, 1 + round * 977, 0, 100_000 + round, data.length - 1, data.length, 4096 * round];
          const reads = await Promise.all(positions.map((pos) => file.readToEndAt(pos)));
          reads.forEach((read, i) => {
            expect(Buffer.compare(read, data.subarray(positions[i]))).toBe(0);
          });
          expect(Buffer.compare(await file.readToEndAt(0), data)).toBe(0);
        }
        await file.close();
      });
    },
    openedFileKept(): void {
      it("a handle reads the file it opened after its name is renamed over, then unlinked", async () => {
        const first = bytes(300_000, 3);
        writeFileSync(join(root, "kept.bin"), first);
        const file = await fs.open("kept.bin");
        const check = async (): Promise<void> => {
          expect(await file.size()).toBe(first.length);
          expect(Buffer.compare(await file.readToEndAt(0), first)).toBe(0);
          expect(Buffer.compare(await file.readToEndAt(12_345), first.subarray(12_345))).toBe(0);
          const buf = await file.readExactAt(new Uint8Array(4096), 200_000);
          expect(Buffer.compare(buf, first.subarray(200_000, 204_096))).toBe(0);
        };
        writeFileSync(join(root, "kept.next"), bytes(1000, 4));
        renameSync(join(root, "kept.next"), join(root, "kept.bin"));
        await check();
        unlinkSync(join(root, "kept.bin"));
        await check();
        await file.close();
      });

      it("readToEndAt sees what the handle appended since its last read", async () => {
        const file = await fs.open("grows.bin", { create: true, truncate: true });
        const parts = [bytes(5000, 1), bytes(70_000, 2), bytes(1, 3)];
        for (let i = 0; i < parts.length; i++) {
          await file.writeAll(parts[i] as Uint8Array);
          const expected = Buffer.concat(parts.slice(0, i + 1));
          expect(Buffer.compare(await file.readToEndAt(0), expected)).toBe(0);
          expect(Buffer.compare(await file.readToEndAt(4999), expected.subarray(4999))).toBe(0);
        }
        await file.close();
      });
    },
    appendOrder(): void {
      it("many appends, large and small, issued without waiting, land in order", async () => {
        const parts = Array.from({ length: 200 }, (_, i) => bytes(i % 7 === 0 ? 300_000 + i : 1 + i * 13, i + 1));
        const file = await fs.open("order.bin", { create: true, truncate: true });
        await Promise.all(parts.map((part) => file.writeAll(part)));
        await file.sync("data");
        await file.close();
        const expected = Buffer.concat(parts);
        const reader = await fs.open("order.bin");
        expect(Buffer.compare(await reader.readToEndAt(0), expected)).toBe(0);
        await reader.close();
      });
    },
    symlinkConfinement(): void {
      it("symbolic links cannot lead outside the root", async () => {
        const base = join(root, "confined");
        mkdirSync(join(base, "root"), { recursive: true });
        mkdirSync(join(base, "outside"));
        writeFileSync(join(base, "outside", "secret.txt"), "secret");
        symlinkSync(join(base, "outside"), join(base, "root", "out"));
        symlinkSync(join(base, "outside", "new.txt"), join(base, "root", "dangling"));
        const confined = subject.create(join(base, "root"));
        for (const run of [
          () => confined.open("out/secret.txt"),
          () => confined.readFile?.("out/secret.txt"),
          () => confined.stat("out/secret.txt"),
          () => confined.open("dangling", { create: true }),
          () => confined.putConditional("out/cas.txt", new Uint8Array(1), { ifNotExists: true }),
        ]) {
          let kind: string | undefined;
          try {
            await run();
          } catch (error) {
            kind = (error as { kind?: string }).kind;
          }
          expect(kind).toBe("PermissionDenied");
        }
        expect(existsSync(join(base, "outside", "new.txt"))).toBe(false);
        expect(existsSync(join(base, "outside", "cas.txt"))).toBe(false);
      });
    },
  };
}
