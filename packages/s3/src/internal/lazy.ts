/**
 * A loader of a module that stays out of the code loaded at start until first used:
 * `const copy = lazy(() => import("./copy.ts"))`, then `(await copy()).copyObject(...)`. The
 * module is loaded once; a failed load is tried again on the next call.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
