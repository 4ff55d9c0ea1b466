// The test projects `pnpm test` runs. vitest 4 does not read this file by itself: the root
// vitest.config.ts imports the list into `test.projects`.
// Each runtime sees only its own projects: vitest started by Bun runs packages/bun, by Deno
// packages/deno, by Node everything else (browser-test runs its tests in headless Chromium).
const runtime: string = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const onlyIn: Record<string, string> = { bun: "packages/bun", deno: "packages/deno" };

export const projects: string[] =
  runtime in onlyIn
    ? [onlyIn[runtime] as string]
    : [
        "packages/*",
        "examples/*",
        "bench",
        "consumer-test",
        "browser-test",
        ...Object.values(onlyIn).map((project) => `!${project}`),
      ];
