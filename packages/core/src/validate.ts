import { FusioError } from "./errors.ts";
import type { CasCondition } from "./fs.ts";
import type { ErrorContext } from "./signal.ts";

/**
 * For implementers: a position or length must be a non-negative safe integer.
 * @throws FusioError `InvalidArgument`.
 */
export function checkPosition(value: number, name: string, context: ErrorContext): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FusioError(
      "InvalidArgument",
      `${name} must be a non-negative safe integer, got ${String(value)}`,
      context,
    );
  }
}

/**
 * For implementers: data and read buffers must be `Uint8Array`s (a Node `Buffer` is one).
 * @throws FusioError `InvalidArgument`.
 */
export function checkBytes(value: unknown, name: string, context: ErrorContext): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    const got = value === null ? "null" : typeof value === "object" ? value.constructor?.name : typeof value;
    throw new FusioError("InvalidArgument", `${name} must be a Uint8Array, got ${got}`, context);
  }
}

/**
 * For implementers of `CasFs.putConditional`: the condition must be `{ ifNotExists: true }` or
 * `{ ifMatch: tag }` with a string tag.
 * @throws FusioError `InvalidArgument`.
 */
export function checkCasCondition(when: CasCondition, context: ErrorContext): void {
  const valid =
    typeof when === "object" &&
    when !== null &&
    ("ifNotExists" in when ? when.ifNotExists === true : typeof (when as { ifMatch?: unknown }).ifMatch === "string");
  if (!valid) {
    throw new FusioError("InvalidArgument", "the condition must be { ifNotExists: true } or { ifMatch: tag }", context);
  }
}
