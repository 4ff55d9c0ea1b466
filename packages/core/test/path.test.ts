import { FusioError, Path, toPath } from "@fusio/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

function invalidPath(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(FusioError.is(error, "InvalidPath")).toBe(true);
    return;
  }
  expect.unreachable("expected InvalidPath");
}

describe("Path.parse", () => {
  it("strips one leading and one trailing slash", () => {
    expect(Path.parse("/a/b/").raw).toBe("a/b");
    expect(Path.parse("/foo/bar/").raw).toBe("foo/bar");
    expect(Path.parse("a/b").raw).toBe("a/b");
  });

  it('treats "" and "/" as the root', () => {
    expect(Path.parse("").raw).toBe("");
    expect(Path.parse("/").raw).toBe("");
    expect(Path.parse("/").isRoot).toBe(true);
  });

  it("rejects empty, dot and dot-dot segments and control characters", () => {
    for (const bad of [
      "//",
      "a//b",
      "foo///bar",
      "a/./b",
      "a/../b",
      ".",
      "..",
      "a/\u0000",
      "a\nb",
      "x\u007f",
      "\u001f",
    ]) {
      invalidPath(() => Path.parse(bad));
    }
  });

  it("encodes nothing", () => {
    expect(Path.parse("héllo").raw).toBe("héllo");
    expect(Path.parse("a b/%2F/#?*").raw).toBe("a b/%2F/#?*");
    expect(Path.parse("%Z/%%").raw).toBe("%Z/%%");
  });

  it("rejects lone surrogates, which are not Unicode", () => {
    invalidPath(() => Path.parse("a\ud800b"));
    expect(Path.parse("emoji-😀").raw).toBe("emoji-😀");
  });

  it("rejects non-strings", () => {
    invalidPath(() => Path.parse(42 as unknown as string));
  });
});

describe("Path.from", () => {
  it("drops empty segments", () => {
    expect(Path.from("a//b").raw).toBe("a/b");
    expect(Path.from("/a/b/").raw).toBe("a/b");
    expect(Path.from("").raw).toBe("");
    expect(Path.from("//").raw).toBe("");
  });

  it("percent-encodes non-ASCII bytes, with upper-case hex", () => {
    expect(Path.from("héllo").raw).toBe("h%C3%A9llo");
    expect(Path.from("😀").raw).toBe("%F0%9F%98%80");
  });

  it("encodes % again, so encoded input is double-encoded", () => {
    expect(Path.from("foo%2Fbar").raw).toBe("foo%252Fbar");
  });

  it("encodes dot segments", () => {
    expect(Path.from("..").raw).toBe("%2E%2E");
    expect(Path.from(".").raw).toBe("%2E");
    expect(Path.from("a/../b").raw).toBe("a/%2E%2E/b");
    expect(Path.from("...").raw).toBe("...");
  });

  it("encodes fusio's whole set and leaves the rest", () => {
    expect(Path.from('\\{^}%`]">[~<#|*?').raw).toBe("%5C%7B%5E%7D%25%60%5D%22%3E%5B%7E%3C%23%7C%2A%3F");
    expect(Path.from("a\r\n\t\u0000\u007f").raw).toBe("a%0D%0A%09%00%7F");
    expect(Path.from("a b+c=d&e:f@g$h,i;j'k(l)m!n").raw).toBe("a b+c=d&e:f@g$h,i;j'k(l)m!n");
  });

  it("keeps a slash inside one segment from fromSegments or child", () => {
    expect(Path.fromSegments(["foo/bar", "baz%2Ftest"]).raw).toBe("foo%2Fbar/baz%252Ftest");
    expect(Path.parse("a").child("b/c").raw).toBe("a/b%2Fc");
    expect(Path.ROOT.child("x").raw).toBe("x");
  });

  it("equals Path.parse for plain input, with or without a trailing slash", () => {
    expect(Path.from("foo/bar/").equals(Path.from("foo/bar"))).toBe(true);
    expect(Path.from("foo/bar").equals(Path.parse("foo/bar"))).toBe(true);
  });
});

describe("Path.fromUrlPath", () => {
  it("decodes %2F into a delimiter", () => {
    expect(Path.fromUrlPath("a%2Fb").parts()).toEqual(["a", "b"]);
  });

  it("decodes, then validates", () => {
    expect(Path.fromUrlPath("foo%20bar/h%C3%A9llo").raw).toBe("foo bar/héllo");
    expect(Path.fromUrlPath("foo%252Fbar").raw).toBe("foo%2Fbar");
    invalidPath(() => Path.fromUrlPath("foo/%2E%2E/bar"));
  });

  it("leaves malformed escapes as they are and rejects bytes that are not UTF-8", () => {
    expect(Path.fromUrlPath("%Z/%").raw).toBe("%Z/%");
    invalidPath(() => Path.fromUrlPath("foo%FFbar"));
  });
});

describe("Path accessors", () => {
  it("parts, filename, extension and parent", () => {
    const path = Path.parse("a/b/c.tar.gz");
    expect(path.parts()).toEqual(["a", "b", "c.tar.gz"]);
    expect(path.filename()).toBe("c.tar.gz");
    expect(path.extension()).toBe("gz");
    expect(path.parent().raw).toBe("a/b");
    expect(Path.parse("a").parent().isRoot).toBe(true);
    expect(Path.ROOT.parts()).toEqual([]);
    expect(Path.ROOT.filename()).toBe(undefined);
    expect(Path.parse("a/noext").extension()).toBe(undefined);
    expect(Path.parse("a/trailing.").extension()).toBe(undefined);
    expect(Path.parse(".hidden").extension()).toBe("hidden");
  });

  it("prefix matching is by segment", () => {
    const path = Path.parse("apple/bear/cow");
    expect(path.prefixMatch(Path.parse("ap"))).toBe(undefined);
    expect(path.prefixMatches(Path.parse("ap"))).toBe(false);
    expect(path.prefixMatch(Path.parse("apple"))).toEqual(["bear", "cow"]);
    expect(path.prefixMatch(Path.parse("apple/bear/cow"))).toEqual([]);
    expect(path.prefixMatch(Path.ROOT)).toEqual(["apple", "bear", "cow"]);
    expect(Path.parse("apple/bear.txt").prefixMatches(Path.parse("apple/bear"))).toBe(false);
    expect(Path.ROOT.prefixMatch(Path.ROOT)).toEqual([]);
  });

  it("child refuses an empty segment instead of making one", () => {
    invalidPath(() => Path.parse("a").child(""));
  });

  it("join appends a valid path", () => {
    expect(Path.parse("a").join("b/c").raw).toBe("a/b/c");
    expect(Path.ROOT.join("b").raw).toBe("b");
    expect(Path.parse("a").join(Path.ROOT).raw).toBe("a");
    invalidPath(() => Path.parse("a").join("../b"));
  });

  it("serialises to JSON as { raw }, like fusio's serde form", () => {
    expect(JSON.stringify(Path.parse("a b/c"))).toBe('{"raw":"a b/c"}');
    expect(String(Path.parse("a/b"))).toBe("a/b");
  });

  it("compare orders by code point (UTF-8 byte order), not UTF-16 units", () => {
    const keys = ["b", "a", "a/b", "a.txt", "\uffff", "😀", "é"];
    expect([...keys].sort(Path.compare)).toEqual(["a", "a.txt", "a/b", "b", "é", "\uffff", "😀"]);
    const utf8 = (s: string) => [...new TextEncoder().encode(s)];
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(utf8(a)), Buffer.from(utf8(b))));
        expect(Math.sign(Path.compare(a, b))).toBe(bytes);
      }),
    );
  });

  it("compare and equals take Paths and strings alike", () => {
    expect(Path.compare(Path.parse("a/b"), "a/c")).toBeLessThan(0);
    expect(Path.compare("b", Path.parse("a"))).toBeGreaterThan(0);
    expect(Path.compare(Path.parse("x"), Path.parse("x"))).toBe(0);
    expect(Path.parse("a/b").equals("a/b")).toBe(true);
    expect(Path.parse("a/b").equals("a/b/")).toBe(false);
    expect(Path.ROOT.equals("")).toBe(true);
    expect(Path.ROOT.equals(Path.parse("a"))).toBe(false);
  });

  it("toPath accepts Paths and parses strings", () => {
    const path = Path.parse("x/y");
    expect(toPath(path)).toBe(path);
    expect(toPath("/x/y/").equals(path)).toBe(true);
    invalidPath(() => toPath(null as unknown as string));
    invalidPath(() => toPath("x//y"));
  });
});

describe("Path properties", () => {
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const noBadSegments = (path: Path) => {
    for (const segment of path.parts()) {
      expect(segment === "" || segment === "." || segment === "..").toBe(false);
    }
  };

  it("parse(from(x)) round-trips", () => {
    fc.assert(
      fc.property(text, (input) => {
        const encoded = Path.from(input);
        expect(Path.parse(encoded.raw).raw).toBe(encoded.raw);
        noBadSegments(encoded);
      }),
    );
  });

  it("no Path ever holds an empty, . or .. segment", () => {
    const segment = fc.oneof(text, fc.constantFrom("", ".", "..", "/", "%2E", "a"));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        noBadSegments(Path.fromSegments(segments));
        noBadSegments(Path.from(segments.join("/")));
        try {
          noBadSegments(Path.parse(segments.join("/")));
        } catch (error) {
          expect(FusioError.is(error, "InvalidPath")).toBe(true);
        }
        try {
          noBadSegments(Path.fromUrlPath(segments.join("/")));
        } catch (error) {
          expect(FusioError.is(error, "InvalidPath")).toBe(true);
        }
      }),
    );
  });

  it("from never encodes a character it does not have to", () => {
    fc.assert(
      fc.property(text, (input) => {
        expect(decodeURIComponent(Path.from(input).raw)).toBe(input.split("/").filter(Boolean).join("/"));
      }),
    );
  });
});

// fusio's rules written out the long way, one character at a time, as an oracle for the
// compact implementation.
const INVALID_ASCII = '/\\{^}%`]">[~<#|*?';
const isControl = (code: number) => code <= 0x1f || code === 0x7f;

function referenceEncode(segment: string): string {
  if (segment === ".") return "%2E";
  if (segment === "..") return "%2E%2E";
  let out = "";
  for (const char of segment) {
    const code = char.codePointAt(0) as number;
    if (code >= 0x80) {
      for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    } else if (isControl(code) || INVALID_ASCII.includes(char)) {
      out += `%${code.toString(16).toUpperCase().padStart(2, "0")}`;
    } else {
      out += char;
    }
  }
  return out;
}

function referenceValid(raw: string): boolean {
  return raw.split("/").every((segment) => {
    if (segment === "" || segment === "." || segment === "..") return false;
    for (let i = 0; i < segment.length; i++) {
      const code = segment.charCodeAt(i);
      if (isControl(code)) return false;
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = segment.charCodeAt(i + 1);
        if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
        i++;
      }
    }
    return true;
  });
}

describe("Path against the character-by-character rules", () => {
  const unit = fc.oneof(
    fc.constantFrom(..."/.%~*aZ09 -_!'()\u0000\u001f\u007f\u0080é😀\ud800\udc00"),
    fc.string({ unit: "binary", maxLength: 3 }),
  );
  const input = fc.array(unit, { maxLength: 12 }).map((parts) => parts.join(""));

  it("from encodes each segment exactly as PathPart::from", () => {
    fc.assert(
      fc.property(input, (text) => {
        const segments = text.split("/");
        // Only a lone surrogate (no UTF-8 for it) makes from fail.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are fine in from
        if (segments.some((segment) => !referenceValid(`x${segment.replace(/[\0-\x1f\x7f]/g, "x")}`))) {
          invalidPath(() => Path.from(text));
          return;
        }
        const expected = segments.map(referenceEncode).filter(Boolean).join("/");
        expect(Path.from(text).raw).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("parse accepts exactly what PathPart::parse accepts", () => {
    fc.assert(
      fc.property(input, (text) => {
        const stripped = text.startsWith("/") ? text.slice(1) : text;
        const raw = stripped.endsWith("/") ? stripped.slice(0, -1) : stripped;
        if (stripped === "" || referenceValid(raw)) expect(Path.parse(text).raw).toBe(raw);
        else invalidPath(() => Path.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("compare agrees with code point order", () => {
    fc.assert(
      fc.property(input, input, (a, b) => {
        const x = [...a].map((c) => c.codePointAt(0) as number);
        const y = [...b].map((c) => c.codePointAt(0) as number);
        let expected = 0;
        for (let i = 0; i < Math.min(x.length, y.length) && expected === 0; i++)
          expected = Math.sign((x[i] as number) - (y[i] as number));
        if (expected === 0) expected = Math.sign(a.length - b.length);
        expect(Math.sign(Path.compare(a, b))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
