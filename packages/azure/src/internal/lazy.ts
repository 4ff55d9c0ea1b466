/**
 * A value made at its first use and shared afterwards; a failure is shared too. With a dynamic
 * `import()` it keeps a whole feature (block uploads, appends, copy, bearer tokens) out of the
 * code that loads with `AzureBlobFs` until something calls it.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}
