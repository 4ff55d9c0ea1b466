// vitest globalSetup: bundles examples/browser with esbuild (as its build does) and hands the code
// to the page as `inject("examplePage")`, which loads it as a module.
import { bundlePage } from "@fusio-examples/browser/bundle";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    examplePage: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide("examplePage", (await bundlePage()).code);
}
