// The test projects `pnpm test` runs. vitest 4 does not read this file by itself: the root
// vitest.config.ts imports the list into `test.projects`.
export const projects: string[] = ["packages/*", "examples/*", "bench"];
