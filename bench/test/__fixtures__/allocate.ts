// For the peak-memory test: holds `mib` MiB of touched memory at once, then lets go.
export async function allocate(args: { mib: number }): Promise<number> {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < args.mib; i++) chunks.push(new Uint8Array(2 ** 20).fill(i & 0xff));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return chunks.length;
}
