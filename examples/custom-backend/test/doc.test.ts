import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

// docs/custom-backend.md shows this example's files: each ```ts block follows a line naming
// its file (`src/kv-fs.ts`:), and must be that file, whole. Edit the files, then the doc.
const example = new URL("../", import.meta.url);
const doc = readFileSync(new URL("../../docs/custom-backend.md", example), "utf8");

it("every ts block of docs/custom-backend.md is a file of the example, verbatim", () => {
  const blocks = [...doc.matchAll(/^(?:`([^`\n]+)`:\n\n)?```ts\n([\s\S]*?)^```$/gm)];
  const shown = blocks.map(([, file]) => file);
  expect(shown).toEqual(["src/my-kv.ts", "src/kv-fs.ts", "src/kv-file.ts", "test/conformance.test.ts"]);
  for (const [, file, code] of blocks) {
    expect(code, `${file} as the doc shows it`).toBe(readFileSync(new URL(file as string, example), "utf8"));
  }
});
