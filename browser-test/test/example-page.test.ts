import type { PageOptions, PageResult } from "@fusio-examples/browser/page";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { commands } from "vitest/browser";
import { uniquePrefix } from "../src/remote.ts";

// examples/browser as a user ships it: its esbuild bundle (setup/example-page.ts builds it in
// Node), loaded into this page as a module, against the RGW with the README's CORS rule.
type Page = { showObject(root: HTMLElement, options: PageOptions): Promise<PageResult> };

const s3 = inject("s3");
const prefix = uniquePrefix("example");
const BODY = "0123456789abcdefghijklmnopqrstuvwxyz";
let page: Page;

beforeAll(async () => {
  const url = URL.createObjectURL(new Blob([inject("examplePage")], { type: "text/javascript" }));
  try {
    page = (await import(/* @vite-ignore */ url)) as Page;
  } finally {
    URL.revokeObjectURL(url);
  }
  await commands.overwriteS3Object(`${prefix}/alphabet.txt`, BODY);
  await commands.overwriteS3Object(`${prefix}/notes/readme.txt`, "hello");
});

afterAll(async () => {
  const { s3Fs } = await import("../src/remote.ts");
  const fs = s3Fs();
  await fs.remove(`${prefix}/alphabet.txt`);
  await fs.remove(`${prefix}/notes/readme.txt`);
});

describe("examples/browser (its bundle, in the page)", () => {
  it("lists the prefix and reads byte ranges with credentials from a provider function", async () => {
    let asked = 0;
    const root = document.createElement("main");
    document.body.append(root);
    const result = await page.showObject(root, {
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      credentials: async () => {
        asked++;
        return { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
      },
      prefix,
      key: `${prefix}/alphabet.txt`,
      ranges: [
        [0, 4],
        [10, 6],
        [32, 4],
      ],
    });
    // One level, as S3 lists with a delimiter: the object, and the common prefix `notes`.
    expect(result.listed).toEqual([
      { key: `${prefix}/alphabet.txt`, size: BODY.length, directory: false },
      { key: `${prefix}/notes`, size: 0, directory: true },
    ]);
    expect(result.ranges).toEqual(["0123", "abcdef", "wxyz"]);
    expect(asked).toBeGreaterThan(0);
    expect(Array.from(root.querySelectorAll("ul.listing li"), (item) => item.textContent)).toEqual([
      `${prefix}/alphabet.txt (36 bytes)`,
      `${prefix}/notes/`,
    ]);
    expect(root.querySelector("ol.ranges li:nth-child(2)")?.textContent).toBe(
      `${prefix}/alphabet.txt [10, 16): abcdef`,
    );
    root.remove();
  });
});
