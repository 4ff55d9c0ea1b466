import { FusioError } from "./errors.ts";
import type { ErrorContext } from "./signal.ts";

const BRAND: unique symbol = Symbol.for("@fusio/core/Path");

// fusio's (and object_store's) INVALID set: ASCII controls, the delimiter, the characters AWS
// and GCS advise against in keys, and `%` itself; and every non-ASCII character (as UTF-8).
// With the `u` flag a lone surrogate matches on its own, and encodeURIComponent rejects it.
const ENCODED = /[^ -~]|[/\\{^}%`\]">[~<#|*?]/gu;

/** The call an `InvalidPath` error names: the backend method that was given the path. */
export type PathErrorContext = Omit<ErrorContext, "path">;

const PARSING: PathErrorContext = { op: "path" };

function invalid(message: string, path?: string, cause?: unknown, context: PathErrorContext = PARSING): FusioError {
  return new FusioError("InvalidPath", message, { ...context, path, cause });
}

/** Percent-encodes one segment exactly as fusio's `PathPart::from` does. */
function encodeSegment(segment: string): string {
  if (segment === "." || segment === "..") return segment.replace(/\./g, "%2E");
  try {
    // encodeURIComponent gives upper-case hex UTF-8 bytes, but leaves `~` and `*` alone.
    return segment.replace(ENCODED, (char) => (char === "~" ? "%7E" : char === "*" ? "%2A" : encodeURIComponent(char)));
  } catch (error) {
    throw invalid("path contains a lone surrogate (not valid Unicode)", segment, error);
  }
}

/** What fusio's `PathPart::parse` rejects in a `/`-joined key, or undefined. */
function problem(raw: string): string | undefined {
  const dots = /(?:^|\/)(\.{0,2})(?:\/|$)/.exec(raw)?.[1];
  if (dots !== undefined) return dots ? `a "${dots}" segment` : "an empty segment";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: fusio rejects ASCII controls
  if (/[\0-\x1f\x7f]/.test(raw)) return "an ASCII control character";
  if (/\p{Cs}/u.test(raw)) return "a lone surrogate";
  return undefined;
}

/**
 * A storage key: `/`-separated segments, none empty, `.` or `..`, and no ASCII control
 * characters. The same input gives byte-for-byte the key Rust fusio gives, so data written by
 * either can be read by the other.
 *
 * - {@link Path.parse} validates and encodes nothing (`"héllo"` stays `héllo`).
 * - {@link Path.from} percent-encodes each segment (`"héllo"` becomes `h%C3%A9llo`).
 * - {@link Path.fromUrlPath} percent-decodes, then parses.
 *
 * Every `Fs` method that accepts a string runs it through {@link Path.parse}.
 */
export class Path {
  /** The key as stored: segments joined by `/`, no leading or trailing `/`. `""` is the root. */
  readonly raw: string;

  private constructor(raw: string) {
    this.raw = raw;
  }

  /** The root (empty) path. */
  static readonly ROOT: Path = new Path("");

  /**
   * Validates `input` and keeps it as it is. One leading and one trailing `/` are stripped;
   * `""` and `"/"` are the root.
   * `context` is for implementers: the call (`op`, `backend`) an error names.
   * @throws FusioError `InvalidPath` for an empty, `.` or `..` segment, an ASCII control
   *   character, or a lone UTF-16 surrogate.
   */
  static parse(input: string, context: PathErrorContext = PARSING): Path {
    if (typeof input !== "string")
      throw invalid(`expected a string, got ${typeof input}`, undefined, undefined, context);
    let raw = input[0] === "/" ? input.slice(1) : input;
    if (raw === "") return Path.ROOT;
    if (raw.endsWith("/")) raw = raw.slice(0, -1);
    const found = problem(raw);
    if (found) throw invalid(`path contains ${found}`, input, undefined, context);
    return new Path(raw);
  }

  /**
   * Builds a path from free text: splits on `/`, drops empty segments and percent-encodes
   * each segment (ASCII controls, `/ \ { ^ } % \` ] " > [ ~ < # | * ?` and every non-ASCII
   * byte; a `.` segment becomes `%2E`, `..` becomes `%2E%2E`). Never fails on valid Unicode.
   * @throws FusioError `InvalidPath` only for a lone UTF-16 surrogate.
   */
  static from(input: string): Path {
    return Path.fromSegments(String(input).split("/"));
  }

  /** Like {@link Path.from} for segments given one by one: a `/` inside a segment is encoded. */
  static fromSegments(segments: Iterable<string>): Path {
    return new Path(
      Array.from(segments, (segment) => encodeSegment(String(segment)))
        .filter(Boolean)
        .join("/"),
    );
  }

  /**
   * Percent-decodes `input` (a `%` not followed by two hex digits stays as it is), then
   * {@link Path.parse}s the result, so `%2F` becomes a delimiter and `%2E%2E` a rejected `..`.
   * @throws FusioError `InvalidPath` when the decoded bytes are not UTF-8 or fail parsing.
   */
  static fromUrlPath(input: string): Path {
    let decoded: string;
    try {
      decoded = decodeURIComponent(String(input).replace(/%(?![\da-f]{2})/gi, "%25"));
    } catch (error) {
      throw invalid("percent-decoded path is not valid UTF-8", input, error);
    }
    return Path.parse(decoded);
  }

  /** True when `value` is a Path from any installed copy of `@fusio/core`. */
  static is(value: unknown): value is Path {
    return (value as { [BRAND]?: unknown } | null | undefined)?.[BRAND] === true;
  }

  /**
   * Orders paths the way object stores list keys: by Unicode code point, which is the byte
   * order of their UTF-8 encoding. (Plain `<` on strings compares UTF-16 units and differs for
   * characters outside the Basic Multilingual Plane.)
   */
  static compare(a: Path | string, b: Path | string): number {
    const x = keyOf(a);
    const y = keyOf(b);
    let i = 0;
    while (i < x.length && x[i] === y[i]) i++;
    if (i === x.length || i === y.length) return x.length - y.length;
    // A surrogate (0xD800-0xDFFF) stands for a code point above every BMP character.
    const rank = (code: number): number => (code < 0xd800 ? code : code < 0xe000 ? code + 0x2000 : code - 0x800);
    return rank(x.charCodeAt(i)) - rank(y.charCodeAt(i));
  }

  /** True for the root path. */
  get isRoot(): boolean {
    return this.raw === "";
  }

  /** The raw segments; none for the root. */
  parts(): string[] {
    return this.raw ? this.raw.split("/") : [];
  }

  /** The last segment, or `undefined` for the root. */
  filename(): string | undefined {
    return this.raw ? this.raw.slice(this.raw.lastIndexOf("/") + 1) : undefined;
  }

  /** The text after the last `.` of the filename, or `undefined` when there is none or it is empty. */
  extension(): string | undefined {
    return /\.([^./]+)$/.exec(this.raw)?.[1];
  }

  /** The path one segment up; the root's parent is the root. */
  parent(): Path {
    const slash = this.raw.lastIndexOf("/");
    return slash < 0 ? Path.ROOT : new Path(this.raw.slice(0, slash));
  }

  /**
   * Appends one segment, percent-encoded as in {@link Path.from} (so a `/` in `segment` does not
   * add a level).
   * @throws FusioError `InvalidPath` when `segment` is empty (fusio would produce an empty segment).
   */
  child(segment: string): Path {
    const encoded = encodeSegment(String(segment));
    if (encoded === "") throw invalid("child segment is empty", this.raw);
    return new Path(this.raw ? `${this.raw}/${encoded}` : encoded);
  }

  /** Appends a path that is already valid (no encoding). */
  join(other: Path | string): Path {
    const tail = toPath(other).raw;
    return tail ? new Path(this.raw ? `${this.raw}/${tail}` : tail) : this;
  }

  /**
   * Segment-aware prefix match: the segments of this path after `prefix`, or `undefined` when
   * `prefix` is not a prefix (`ap` is not a prefix of `apple/x`). The root prefixes everything;
   * a path prefixes itself with no segments left.
   */
  prefixMatch(prefix: Path): string[] | undefined {
    const start = prefix.raw;
    if (start === this.raw) return [];
    if (start === "") return this.parts();
    return this.raw.startsWith(`${start}/`) ? this.raw.slice(start.length + 1).split("/") : undefined;
  }

  /** True when {@link prefixMatch} would match. */
  prefixMatches(prefix: Path): boolean {
    return this.prefixMatch(prefix) !== undefined;
  }

  /** Same key. */
  equals(other: Path | string): boolean {
    return this.raw === keyOf(other);
  }

  toString(): string {
    return this.raw;
  }
}

Object.defineProperty(Path.prototype, BRAND, { value: true });

/**
 * Accepts what every `Fs` method accepts: a {@link Path}, or a string that goes through
 * {@link Path.parse}. `context` is for implementers: the call an error names.
 * @throws FusioError `InvalidPath`.
 */
export function toPath(path: Path | string, context: PathErrorContext = PARSING): Path {
  if (typeof path === "string") return Path.parse(path, context);
  if (Path.is(path)) return path;
  throw invalid(
    `expected a Path or a string, got ${path === null ? "null" : typeof path}`,
    undefined,
    undefined,
    context,
  );
}

/** The key of a Path or a string, as given (a string is compared as it is, not parsed). */
function keyOf(path: Path | string): string {
  if (typeof path === "string") return path;
  if (Path.is(path)) return path.raw;
  throw invalid(`expected a Path or a string, got ${path === null ? "null" : typeof path}`);
}
