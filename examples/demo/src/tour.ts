import { type Fs, isCasFs, Path } from "@fusio/core";
import { copy, readFile } from "@fusio/util";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The same steps on any Fs: what an application does with fusio. */
export async function tour(fs: Fs, log: (line: string) => void): Promise<void> {
  const dir = Path.from(`fusio-demo-${Date.now().toString(36)}`);
  const log1 = dir.child("events.log");

  // Write a new file, then reopen it for writing: fusio appends unless asked to truncate.
  const writer = await fs.open(log1, { create: true, truncate: true });
  await writer.writeAll(encoder.encode("first line\n"));
  await writer.close();
  log(`wrote   ${log1} (${(await fs.stat(log1)).size} bytes)`);

  const appender = await fs.open(log1, { write: true });
  await appender.writeAll(encoder.encode("second line\n"));
  await appender.close();
  log(`append  ${log1} -> ${(await fs.stat(log1)).size} bytes`);

  // Random reads into a buffer the caller owns.
  const reader = await fs.open(log1);
  const word = await reader.readExactAt(new Uint8Array(6), 11);
  log(`read    6 bytes at offset 11: "${decoder.decode(word)}"`);
  log(`read    to end from 17: "${decoder.decode(await reader.readToEndAt(17)).trim()}"`);
  await reader.close();

  // Copy (native within one Fs), then list the directory.
  await copy(fs, log1, fs, dir.child("archive").child("events-copy.log"));
  for await (const entry of fs.list(dir)) {
    log(`list    ${entry.path}${entry.isDirectory ? "/ (directory)" : ` ${entry.size} bytes`}`);
  }

  // A compare-and-swap update: the write lands only if nobody changed the object meanwhile.
  if (isCasFs(fs)) {
    const head = dir.child("HEAD");
    const first = await fs.putConditional(head, encoder.encode("v1"), { ifNotExists: true });
    const second = await fs.putConditional(head, encoder.encode("v2"), { ifMatch: first });
    log(`cas     HEAD v1 (tag ${first}) -> v2 (tag ${second})`);
    try {
      await fs.putConditional(head, encoder.encode("v3"), { ifMatch: first });
    } catch (error) {
      log(`cas     a stale tag is refused: ${(error as { kind?: string }).kind}`);
    }
    log(`cas     HEAD now reads "${decoder.decode(await readFile(fs, head))}"`);
  }

  // Clean up.
  for await (const entry of fs.list(dir, { recursive: true })) await fs.remove(entry.path);
  log(`removed ${dir}/`);
}
