// Random and mutated server answers fed to the parsers of S3 answers (list pages, error bodies,
// HEAD headers, Content-Range): each gives a valid value or a FusioError, never a raw exception
// and never an invalid size.
import { readFileSync } from "node:fs";
import { FusioError } from "@fusio/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { s3Error } from "../src/internal/errors.ts";
import { parseHead } from "../src/internal/head.ts";
import { parseListPage } from "../src/internal/list-xml.ts";
import { parseContentRange, unsatisfiedRangeTotal } from "../src/internal/read.ts";

const context = { op: "test", path: "k", backend: "s3" };
const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
const pages = [fixture("list-page1.xml"), fixture("list-page2.xml"), fixture("list-recursive.xml")];
const errors = Object.values(
  JSON.parse(readFileSync(new URL("./__fixtures__/errors.json", import.meta.url), "utf8")) as Record<
    string,
    { body: string }
  >,
).map((recorded) => recorded.body);

const isLength = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;

/** Runs `parse`: a FusioError is fine, any other exception fails; returns the value or undefined. */
function valueOrFusioError<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!FusioError.is(error)) throw error;
    return undefined;
  }
}

/** Pieces a hostile server likes to put in XML. */
const nasty = fc.constantFrom(
  "&#x110000;",
  "&#xD800;",
  "&#0;",
  "&#99999999999;",
  "&#x;",
  "&bogus;",
  "%ZZ",
  "%FF",
  "%",
  "-1",
  "NaN",
  "1e20",
  "1.5",
  "99999999999999999999",
  "<",
  ">",
  "</Contents>",
  "<Contents>",
  "<Size>",
  "</Size>",
  "<EncodingType>url</EncodingType>",
  "<IsTruncated>true</IsTruncated>",
  "<![CDATA[",
  "<!--",
  "\uFFFD",
  "",
);

/** `text` with a few pieces inserted, removed or replaced at random places. */
const mutated = (sources: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...sources),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(nasty, fc.string({ maxLength: 8 }))), {
        maxLength: 6,
      }),
    )
    .map(([source, edits]) => {
      let text = source;
      for (const [at, cut, piece] of edits) {
        const from = at % (text.length + 1);
        text = text.slice(0, from) + piece + text.slice(from + cut);
      }
      return text;
    });

describe("parsers of S3 answers never throw raw exceptions nor return invalid sizes", () => {
  it("parseListPage on mutated recorded pages and random text", () => {
    const urlEncoded = pages.map((page) => page.replace("<Name>", "<EncodingType>url</EncodingType><Name>"));
    fc.assert(
      fc.property(fc.oneof(mutated([...pages, ...urlEncoded]), fc.string(), fc.string({ unit: "binary" })), (xml) => {
        const page = valueOrFusioError(() => parseListPage(xml, context));
        if (page === undefined) return;
        for (const object of page.objects) {
          expect(isLength(object.size)).toBe(true);
          expect(typeof object.key).toBe("string");
          if (object.lastModified) expect(Number.isNaN(object.lastModified.getTime())).toBe(false);
        }
        for (const prefix of page.prefixes) expect(typeof prefix).toBe("string");
      }),
      { numRuns: 2000 },
    );
  });

  it("s3Error on mutated recorded error bodies and random text", () => {
    fc.assert(
      fc.property(
        fc.oneof(mutated(errors), fc.string(), fc.string({ unit: "binary" })),
        fc.integer({ min: 300, max: 599 }),
        (body, status) => {
          const error = s3Error(status, new Headers(), body, context);
          expect(FusioError.is(error)).toBe(true);
          expect(error.message.length).toBeLessThan(2048);
        },
      ),
      { numRuns: 2000 },
    );
  });

  const header = fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.nat().map(String),
    fc.bigInt({ min: 0n, max: 2n ** 80n }).map(String),
    nasty,
  );

  it("parseHead on random headers", () => {
    fc.assert(
      fc.property(header, header, header, (length, modified, etag) => {
        const values: Record<string, string | null> = { "content-length": length, "last-modified": modified, etag };
        const head = valueOrFusioError(() =>
          parseHead({ get: (name) => values[name] ?? null, forEach: () => undefined }, context),
        );
        if (head === undefined) return;
        expect(isLength(head.size)).toBe(true);
        expect(head.size).toBe(Number(length));
        if (head.lastModified) expect(Number.isNaN(head.lastModified.getTime())).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("parseContentRange and the 416 total on random and mutated values", () => {
    const ranges = fc.oneof(
      header,
      fc
        .tuple(fc.oneof(fc.nat(), fc.constant(2 ** 60)), fc.nat(), fc.oneof(fc.nat().map(String), fc.constant("*")))
        .map(([start, end, total]) => `bytes ${start}-${end}/${total}`),
      mutated(["bytes 0-9/10", "bytes */10", "bytes 5-9/*"]),
    );
    fc.assert(
      fc.property(ranges, (value) => {
        const range = valueOrFusioError(() => parseContentRange(value, context));
        if (range !== undefined) {
          expect(isLength(range.start) && isLength(range.end)).toBe(true);
          expect(range.start).toBeLessThanOrEqual(range.end);
          if (range.total !== undefined) expect(range.end).toBeLessThan(range.total);
        }
        const total = valueOrFusioError(() => unsatisfiedRangeTotal(value, context));
        if (total !== undefined) expect(isLength(total)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
