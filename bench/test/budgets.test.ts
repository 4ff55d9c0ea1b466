import { describe, expect, it } from "vitest";
import { checkSizes } from "../src/size/budgets.ts";
import type { JobEntry, KindInfo } from "../src/size/catalog.ts";

const fixtures = new URL("./__fixtures__/", import.meta.url);

const kind = (
  ceilingGzip: number,
  platforms: KindInfo["platforms"] = ["node", "browser"],
  budgetGzip = ceilingGzip,
): KindInfo => ({
  title: "test",
  floor: "floor",
  platforms,
  fusio: { packageName: "@fusio/s3", budgetGzip, ceilingGzip },
});

const fusioJob = (file: string): JobEntry => ({
  kind: "s3",
  name: "fusio",
  id: "s3/fusio",
  file: new URL(file, fixtures).pathname,
  label: "fusio",
  versions: "",
  isFusio: true,
  isFloor: false,
});

const none = () => undefined;

describe("checkSizes", () => {
  it("reports a missing package as pending, neither passed nor failed", async () => {
    const findings = await checkSizes({
      jobs: [],
      kinds: { s3: kind(6000) },
      findPackage: none,
      portablePackages: ["@fusio/s3"],
    });
    expect(findings.map((finding) => [finding.ok, finding.checked])).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it("fails when the package is here but its size job is not", async () => {
    const findings = await checkSizes({
      jobs: [],
      kinds: { s3: kind(6000) },
      findPackage: () => new URL("portable-clean/", fixtures),
      portablePackages: [],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.ok).toBe(false);
    expect(findings[0]?.message).toContain("jobs/s3/fusio.ts");
  });

  it("passes a job within budget on every platform", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts")],
      kinds: { s3: kind(1000) },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true, true]);
  });

  it("passes a job over DESIGN.md's budget but under the ceiling, and says so", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts")],
      kinds: { s3: kind(1000, ["node"], 10) },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true]);
    expect(findings[0]?.message).toContain("over DESIGN.md's budget");
  });

  it("fails a job over the ceiling", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts")],
      kinds: { s3: kind(10) },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([false, false]);
    expect(findings[0]?.message).toContain("OVER THE CEILING");
  });

  it("fails a browser job bundle that imports a Node built-in", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("uses-node.ts")],
      kinds: { s3: kind(6000) },
      findPackage: none,
      portablePackages: [],
    });
    const failed = findings.filter((finding) => !finding.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.message).toContain("node:fs/promises");
  });

  it("checks whole packages for browsers and Workers", async () => {
    const findPackage = (name: string) => new URL(`${name.replace("@fusio/", "")}/`, fixtures);
    const findings = await checkSizes({
      jobs: [],
      kinds: {},
      findPackage,
      portablePackages: ["@fusio/portable-clean", "@fusio/portable-leaky"],
    });
    expect(findings.map((finding) => [finding.ok, finding.message.split(" ")[1]])).toEqual([
      [true, "(browser,"],
      [true, "(workers,"],
      [false, "(browser,"],
      [false, "(workers,"],
    ]);
    expect(findings[2]?.message).toContain("node:crypto");
  });
});
