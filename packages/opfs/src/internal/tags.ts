import { type ErrorContext, Path } from "@fusio/core";
import { createFile, findFile, parentOf, readWhole, replaceWhole } from "./entries.ts";
import { opfsError } from "./errors.ts";

/**
 * The directory, at the root of an `OpfsFs`, that holds one small "generation" file per data
 * file (same path below it). OPFS keeps no entity tag and its modification times are too coarse
 * to tell two writes apart, so every write stores a fresh random generation there; the tag is
 * the generation plus a digest of the content, which also changes while a handle appends.
 * Paths below this name are refused, and `list` hides it.
 */
export const TAGS_DIRECTORY = ".fusio-tags";

function generationPath(path: Path): Path {
  return Path.parse(TAGS_DIRECTORY).join(path);
}

/** The generation of the file at `path`; `"0"` for a file no fusio writer has touched. */
export async function readGeneration(
  root: FileSystemDirectoryHandle,
  path: Path,
  context: ErrorContext,
): Promise<string> {
  const handle = await findFile(root, generationPath(path), context).catch(() => undefined);
  if (handle === undefined) return "0";
  const bytes = await readWhole(handle, context).catch(() => new Uint8Array(0));
  return bytes.length > 0 ? new TextDecoder().decode(bytes) : "0";
}

/** Stores a fresh random generation for `path` and returns it. Call it on every write. */
export async function renewGeneration(
  root: FileSystemDirectoryHandle,
  path: Path,
  context: ErrorContext,
): Promise<string> {
  const generation = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
  const handle = await createFile(root, generationPath(path), context);
  await replaceWhole(handle, new TextEncoder().encode(generation), context);
  return generation;
}

/** Forgets the generation of a removed file. */
export async function dropGeneration(
  root: FileSystemDirectoryHandle,
  path: Path,
  context: ErrorContext,
): Promise<void> {
  try {
    const { directory, name } = await parentOf(root, generationPath(path), false, context);
    await directory.removeEntry(name);
  } catch (error) {
    const mapped = opfsError(error, context);
    if (mapped.kind !== "NotFound") throw mapped;
  }
}

/** The tag of a file: its generation and a SHA-256 digest of its content. */
export async function tagOf(generation: string, data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  const hex = Array.from(digest.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${generation}-${hex}`;
}
