import { Path } from "@fusio/core";

// unstorage keys are ":"-separated, and its storage layer also reads "/" and "\" as separators.
// A fusio segment never holds "/" but may hold ":" and "\", so `unstorageFs` escapes those (and
// "%", so the escape is reversible). Nothing else is touched: "a/b.txt" is stored under
// "a:b.txt", exactly where unstorage's own fs and s3 drivers put it.
const ESCAPE = /[%:\\]/g;
const UNESCAPE = /%(25|3A|5C)/gi;

function escapeSegment(segment: string): string {
  return segment.replace(ESCAPE, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function unescapeSegment(segment: string): string {
  return segment.replace(UNESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The unstorage key of a fusio path (`unstorageFs`); the root is `""`. */
export function keyOfPath(path: Path): string {
  return path.parts().map(escapeSegment).join(":");
}

/**
 * The fusio path of a key a driver listed (`unstorageFs`), or `undefined` when no path can
 * stand for it (a `.` or `..` segment, a control character). Drivers list with ":" (memory) or
 * "/" (fs); both separate.
 */
export function pathOfKey(key: string): Path | undefined {
  const segments = key.split(/[:/\\]/).filter((segment) => segment !== "");
  try {
    return Path.parse(segments.map(unescapeSegment).join("/"));
  } catch {
    return undefined;
  }
}

/**
 * The fusio path of an unstorage key (`fusioDriver`): ":" (and "/" or "\", as unstorage reads
 * them) separate segments, empty segments are dropped, nothing is decoded.
 * @throws FusioError `InvalidPath` for `.`/`..` segments and control characters.
 */
export function pathOfDriverKey(key: string, base: Path): Path {
  const segments = String(key)
    .split(/[:/\\]/)
    .filter((segment) => segment !== "");
  return base.join(Path.parse(segments.join("/")));
}

/** The unstorage key of a path below `base` (`fusioDriver`). */
export function driverKeyOfPath(path: Path, base: Path): string | undefined {
  return path.prefixMatch(base)?.join(":");
}
