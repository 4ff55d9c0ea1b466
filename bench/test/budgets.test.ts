import { describe, expect, it } from "vitest";
import { checkSizes } from "../src/size/budgets.ts";
import { discoverJobs, type JobEntry, KINDS, type KindInfo, SDK_RATIO } from "../src/size/catalog.ts";

const fixtures = new URL("./__fixtures__/", import.meta.url);

const kind = (ceilingGzip: number, platforms: KindInfo["platforms"] = ["node", "browser"], sdk?: string): KindInfo => ({
  title: "test",
  floor: "floor",
  platforms,
  fusio: { packageName: "@fusio/s3", ceilingGzip },
  ...(sdk ? { sdk } : {}),
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

/** A stand-in for the official SDK's job, named "sdk" in its kind. */
const sdkJob = (file: string): JobEntry => ({
  ...fusioJob(file),
  name: "sdk",
  id: "s3/sdk",
  label: "the SDK",
  isFusio: false,
});

/** The real job of the AWS SDK: far more than 14 times any small fixture. */
const awsSdk = discoverJobs().find((job) => job.id === "s3/aws-sdk") as JobEntry;

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

  it("passes a job within its ceiling on every platform", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts")],
      kinds: { s3: kind(1000) },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true, true]);
  });

  it("names the ceiling, never a budget or a distance to one", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts")],
      kinds: { s3: kind(1000, ["node"]) },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true]);
    expect(findings[0]?.message).toContain("ceiling 1.00 KB");
    expect(findings[0]?.message).not.toMatch(/budget/i);
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

  it("fails a job the size of the AWS SDK against the real S3 ceiling", { timeout: 60_000 }, async () => {
    const findings = await checkSizes({
      jobs: [{ ...awsSdk, name: "fusio", id: "s3/fusio", isFusio: true }],
      kinds: { s3: { ...KINDS.s3, platforms: ["node"] } },
      findPackage: none,
      portablePackages: [],
    });
    const ceiling = findings.find((finding) => finding.message.startsWith("s3/fusio (node)"));
    expect(ceiling?.ok).toBe(false);
    expect(ceiling?.message).toContain("ceiling 15.50 KB — OVER THE CEILING");
  });

  it("fails when the SDK's bundle is less than 14 times fusio's on node", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts"), sdkJob("pure.ts")],
      kinds: { s3: kind(1000, ["node"], "sdk") },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true, false]);
    expect(findings[1]?.message).toContain(`= 1.00×, at least ${SDK_RATIO}× promised — UNDER THE PROMISE`);
  });

  it("passes when the SDK's bundle is at least 14 times fusio's on node", { timeout: 60_000 }, async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts"), { ...awsSdk, name: "sdk", id: "s3/sdk" }],
      kinds: { s3: kind(1000, ["node"], "sdk") },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true, true]);
    expect(findings[1]?.message).toMatch(/^s3 \(node\): AWS SDK v3 \+ lib-storage [\d.]+ KB gz ÷ fusio/);
  });

  it("fails when the SDK's job to compare with is missing", async () => {
    const findings = await checkSizes({
      jobs: [fusioJob("pure.ts")],
      kinds: { s3: kind(1000, ["node"], "sdk") },
      findPackage: none,
      portablePackages: [],
    });
    expect(findings.map((finding) => finding.ok)).toEqual([true, false]);
    expect(findings[1]?.message).toContain("jobs/s3/sdk.ts is missing");
  });

  it("holds the real S3 and Azure jobs to the promise, with DESIGN.md's ceilings", () => {
    expect([KINDS.s3.fusio.ceilingGzip, KINDS.azure.fusio.ceilingGzip, KINDS.local.fusio.ceilingGzip]).toEqual([
      15_500, 12_500, 8000,
    ]);
    const ids = discoverJobs().map((job) => job.id);
    expect([`s3/${KINDS.s3.sdk}`, `azure/${KINDS.azure.sdk}`].filter((id) => ids.includes(id))).toEqual([
      "s3/aws-sdk",
      "azure/azure-sdk",
    ]);
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
