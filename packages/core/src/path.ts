import { FusioError } from "./errors.ts";

const DELIMITER = "/";
const BRAND: unique symbol = Symbol.for("@fusio/core/Path");

// fusio's (and object_store's) INVALID set: ASCII controls, the delimiter, the characters AWS
// and GCS advise against in keys, and `%` itself. Every non-ASCII byte is encoded as well.
const ENCODED_ASCII = new Set('/\\{^}%`]">[~<#|*?');

function invalid(message: string, input: string, cause?: unknown): FusioError {
  return new FusioError("InvalidPath", message, { op: "path", path: input, cause });
}

function isAsciiControl(code: number): boolean {
  return code <= 0x1f || code === 0x7f;
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Percent-encodes one segment exactly as fusio's `PathPart::from` does. */
function encodeSegment(segment: string, input: string): string {
  if (segment === ".") return "%2E";
  if (segment === "..") return "%2E%2E";
  let out = "";
  for (const char of segment) {
    const code = char.codePointAt(0) as number;
    if (code >= 0x80) {
      try {
        out += encodeURIComponent(char); // UTF-8 bytes, upper-case hex
      } catch (error) {
        throw invalid("path contains a lone surrogate (not valid Unicode)", input, error);
      }
    } else if (isAsciiControl(code) || ENCODED_ASCII.has(char)) {
      out += hex(code);
    } else {
      out += char;
    }
  }
  return out;
}

/** Validates one segment as fusio's `PathPart::parse` does; returns an error message or undefined. */
function segmentProblem(segment: string): string | undefined {
  if (segment === "") return "path contains an empty segment";
  if (segment === "." || segment === "..") return `path contains a "${segment}" segment`;
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (isAsciiControl(code)) return "path contains an ASCII control character";
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = segment.charCodeAt(i + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return "path contains a lone surrogate";
      i++;
    }
  }
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
   * @throws FusioError `InvalidPath` for an empty, `.` or `..` segment, an ASCII control
   *   character, or a lone UTF-16 surrogate.
   */
  static parse(input: string): Path {
    if (typeof input !== "string") {
      throw new FusioError("InvalidPath", `expected a string, got ${typeof input}`, { op: "path" });
    }
    let stripped = input.startsWith(DELIMITER) ? input.slice(1) : input;
    if (stripped === "") return Path.ROOT;
    if (stripped.endsWith(DELIMITER)) stripped = stripped.slice(0, -1);
    for (const segment of stripped.split(DELIMITER)) {
      const problem = segmentProblem(segment);
      if (problem) throw invalid(problem, input);
    }
    return new Path(stripped);
  }

  /**
   * Builds a path from free text: splits on `/`, drops empty segments and percent-encodes
   * each segment (ASCII controls, `/ \ { ^ } % \` ] " > [ ~ < # | * ?` and every non-ASCII
   * byte; a `.` segment becomes `%2E`, `..` becomes `%2E%2E`). Never fails on valid Unicode.
   * @throws FusioError `InvalidPath` only for a lone UTF-16 surrogate.
   */
  static from(input: string): Path {
    return Path.fromSegments(String(input).split(DELIMITER));
  }

  /** Like {@link Path.from} for segments given one by one: a `/` inside a segment is encoded. */
  static fromSegments(segments: Iterable<string>): Path {
    const parts: string[] = [];
    for (const segment of segments) {
      const encoded = encodeSegment(String(segment), String(segment));
      if (encoded !== "") parts.push(encoded);
    }
    return new Path(parts.join(DELIMITER));
  }

  /**
   * Percent-decodes `input` (a `%` not followed by two hex digits stays as it is), then
   * {@link Path.parse}s the result, so `%2F` becomes a delimiter and `%2E%2E` a rejected `..`.
   * @throws FusioError `InvalidPath` when the decoded bytes are not UTF-8 or fail parsing.
   */
  static fromUrlPath(input: string): Path {
    let decoded: string;
    try {
      decoded = decodeURIComponent(String(input).replace(/%(?![0-9A-Fa-f]{2})/g, "%25"));
    } catch (error) {
      throw invalid("percent-decoded path is not valid UTF-8", input, error);
    }
    return Path.parse(decoded);
  }

  /** True when `value` is a Path from any installed copy of `@fusio/core`. */
  static is(value: unknown): value is Path {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /**
   * Orders paths the way object stores list keys: by Unicode code point, which is the byte
   * order of their UTF-8 encoding. (Plain `<` on strings compares UTF-16 units and differs for
   * characters outside the Basic Multilingual Plane.)
   */
  static compare(a: Path | string, b: Path | string): number {
    const x = typeof a === "string" ? a : a.raw;
    const y = typeof b === "string" ? b : b.raw;
    if (x === y) return 0;
    const length = Math.min(x.length, y.length);
    for (let i = 0; i < length; i++) {
      const cx = x.charCodeAt(i);
      const cy = y.charCodeAt(i);
      if (cx !== cy) {
        // A surrogate (0xD800-0xDFFF) stands for a code point above every BMP character.
        const hx = cx >= 0xd800 && cx <= 0xdfff;
        const hy = cy >= 0xd800 && cy <= 0xdfff;
        if (hx !== hy) return hx ? 1 : -1;
        return cx - cy;
      }
    }
    return x.length - y.length;
  }

  /** True for the root path. */
  get isRoot(): boolean {
    return this.raw === "";
  }

  /** The raw segments; none for the root. */
  parts(): string[] {
    return this.raw === "" ? [] : this.raw.split(DELIMITER);
  }

  /** The last segment, or `undefined` for the root. */
  filename(): string | undefined {
    if (this.raw === "") return undefined;
    return this.raw.slice(this.raw.lastIndexOf(DELIMITER) + 1);
  }

  /** The text after the last `.` of the filename, or `undefined` when there is none or it is empty. */
  extension(): string | undefined {
    const name = this.filename();
    if (name === undefined) return undefined;
    const dot = name.lastIndexOf(".");
    if (dot < 0 || dot === name.length - 1) return undefined;
    return name.slice(dot + 1);
  }

  /** The path one segment up; the root's parent is the root. */
  parent(): Path {
    const slash = this.raw.lastIndexOf(DELIMITER);
    return slash < 0 ? Path.ROOT : new Path(this.raw.slice(0, slash));
  }

  /**
   * Appends one segment, percent-encoded as in {@link Path.from} (so a `/` in `segment` does not
   * add a level).
   * @throws FusioError `InvalidPath` when `segment` is empty (fusio would produce an empty segment).
   */
  child(segment: string): Path {
    const encoded = encodeSegment(String(segment), String(segment));
    if (encoded === "") throw invalid("child segment is empty", this.raw);
    return new Path(this.raw === "" ? encoded : `${this.raw}${DELIMITER}${encoded}`);
  }

  /** Appends a path that is already valid (no encoding). */
  join(other: Path | string): Path {
    const tail = typeof other === "string" ? Path.parse(other) : other;
    if (tail.raw === "") return this;
    return new Path(this.raw === "" ? tail.raw : `${this.raw}${DELIMITER}${tail.raw}`);
  }

  /**
   * Segment-aware prefix match: the segments of this path after `prefix`, or `undefined` when
   * `prefix` is not a prefix (`ap` is not a prefix of `apple/x`). The root prefixes everything;
   * a path prefixes itself with no segments left.
   */
  prefixMatch(prefix: Path): string[] | undefined {
    if (!this.raw.startsWith(prefix.raw)) return undefined;
    let rest = this.raw.slice(prefix.raw.length);
    if (rest !== "" && prefix.raw !== "") {
      if (!rest.startsWith(DELIMITER)) return undefined;
      rest = rest.slice(1);
    }
    return rest === "" ? [] : rest.split(DELIMITER);
  }

  /** True when {@link prefixMatch} would match. */
  prefixMatches(prefix: Path): boolean {
    return this.prefixMatch(prefix) !== undefined;
  }

  /** Same key. */
  equals(other: Path | string): boolean {
    return this.raw === (typeof other === "string" ? other : other.raw);
  }

  toString(): string {
    return this.raw;
  }
}

Object.defineProperty(Path.prototype, BRAND, { value: true });

/**
 * Accepts what every `Fs` method accepts: a {@link Path}, or a string that goes through
 * {@link Path.parse}.
 * @throws FusioError `InvalidPath`.
 */
export function toPath(path: Path | string): Path {
  if (typeof path === "string") return Path.parse(path);
  if (Path.is(path)) return path;
  throw new FusioError("InvalidPath", `expected a Path or a string, got ${path === null ? "null" : typeof path}`, {
    op: "path",
  });
}
