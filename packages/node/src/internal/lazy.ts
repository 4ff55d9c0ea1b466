// The one lazily loaded part of a local Fs (more.ts): everything off the hot path, including
// the errno table, so that a program whose calls succeed never loads it.
import { FusioError } from "@fusio/core/errors";
import type { ErrorContext } from "@fusio/core/signal";

type More = typeof import("./more.ts");

/** The lazily loaded part, once it has loaded. */
export let more: More | undefined;
let loading: Promise<More> | undefined;

/** Loads the lazily loaded part, once. */
export function loadMore(): Promise<More> {
  loading ??= import("./more.ts").then((loaded) => (more = loaded));
  return loading;
}

/** `fromErrno` (see errors.ts) on the lazily loaded errno table; a FusioError passes through. */
export async function nativeError(error: unknown, context: ErrorContext): Promise<FusioError> {
  return FusioError.is(error) ? error : (more ?? (await loadMore())).fromErrno(error, context);
}
