// What users install is what this tests: every public package packed as it would be published
// (`pnpm pack`: the built `dist`, the manifest as `.pnpmfile.cjs` rewrites it), installed with
// npm into a fresh project outside the workspace, then used the way users use it.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const repo = new URL("../../", import.meta.url).pathname;
const fixtures = new URL("../fixtures/", import.meta.url).pathname;
const rootManifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: unknown;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The workspace's public packages: every packages/* that is not private. */
const packages = readdirSync(join(repo, "packages"))
  .map((name) => join(repo, "packages", name))
  .filter((dir) => existsSync(join(dir, "package.json")))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true);

/** A version the workspace already uses for `name`, so the consumer installs the same one. */
function workspaceVersion(name: string): string {
  for (const { manifest } of [{ manifest: { ...rootManifest, name: "" } as Manifest }, ...packages]) {
    const version = manifest.devDependencies?.[name];
    if (version !== undefined && !version.startsWith("workspace:")) return version;
  }
  throw new Error(`no workspace package pins ${name}`);
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeout ?? 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

const work = mkdtempSync(join(tmpdir(), "fusio-consumer-"));
const tarballs = join(work, "tarballs");
const project = join(work, "app");

beforeAll(async () => {
  mkdirSync(tarballs);
  mkdirSync(project);
  const dependencies: Record<string, string> = {};
  for (const { dir, manifest } of packages) {
    // `pnpm pack` prints the tarball's path last.
    const printed = await run("pnpm", ["pack", "--pack-destination", tarballs], { cwd: dir });
    dependencies[manifest.name] = `file:${printed.trim().split("\n").pop()}`;
  }
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify(
      {
        name: "fusio-consumer",
        private: true,
        type: "module",
        dependencies,
        devDependencies: {
          typescript: workspaceVersion("typescript"),
          esbuild: workspaceVersion("esbuild"),
          "@types/node": workspaceVersion("@types/node"),
        },
      },
      null,
      2,
    ),
  );
  cpSync(fixtures, project, { recursive: true });
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, timeout: 300_000 });
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const installed = (name: string): Manifest =>
  JSON.parse(readFileSync(join(project, "node_modules", name, "package.json"), "utf8")) as Manifest;

describe("the packed packages", () => {
  it("are all installed from their tarballs", () => {
    expect(packages.length).toBeGreaterThan(10);
    for (const { manifest } of packages) expect(installed(manifest.name).name).toBe(manifest.name);
  });

  it("ship their built code and a LICENSE, and export no dev-only `source` condition", () => {
    for (const { manifest } of packages) {
      const dir = join(project, "node_modules", manifest.name);
      expect([manifest.name, existsSync(join(dir, "dist", "index.js"))]).toEqual([manifest.name, true]);
      expect([manifest.name, existsSync(join(dir, "LICENSE"))]).toEqual([manifest.name, true]);
      expect([manifest.name, JSON.stringify(installed(manifest.name).exports).includes('"source"')]).toEqual([
        manifest.name,
        false,
      ]);
    }
  });

  it("pin their @fusio peers to the installed minor (`^0.1.0`, not `^0`: 0.x minors are breaking)", () => {
    const pinned: string[] = [];
    for (const { manifest } of packages) {
      for (const [peer, range] of Object.entries(installed(manifest.name).peerDependencies ?? {})) {
        if (!peer.startsWith("@fusio/")) continue;
        expect([manifest.name, peer, range]).toEqual([manifest.name, peer, `^${installed(peer).version}`]);
        pinned.push(`${manifest.name} -> ${peer}`);
      }
    }
    expect(pinned).toContain("@fusio/s3 -> @fusio/core");
    expect(pinned).toContain("@fusio/r2 -> @fusio/s3");
  });
});

describe("a Node ESM program", () => {
  it("uses memory, local disk and S3 (the test Ceph RGW)", async () => {
    const s3 = inject("s3");
    const output = await run(process.execPath, ["node-esm.mjs"], {
      cwd: project,
      env: {
        ...process.env,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_CEPH_PACIFIC: s3.cephPacific ? "1" : "0",
      },
    });
    expect(output.trim().split("\n")).toEqual(["memory: ok", "node: ok", "s3: ok"]);
  });
});

describe("strict TypeScript", () => {
  const tsc = (config: object): Promise<string> => {
    const file = join(project, `tsconfig.${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(config));
    return run(process.execPath, [join(project, "node_modules/typescript/bin/tsc"), "-p", file], { cwd: project });
  };
  const strict = { strict: true, noEmit: true, target: "ES2022", skipLibCheck: false };
  /** types.ts with fusio's declarations checked too; types-unstorage.ts with skipLibCheck (see there). */
  const checkBoth = async (compilerOptions: object): Promise<void> => {
    await tsc({ compilerOptions: { ...strict, ...compilerOptions }, files: ["types.ts"] });
    await tsc({
      compilerOptions: { ...strict, ...compilerOptions, skipLibCheck: true },
      files: ["types-unstorage.ts"],
    });
  };

  it("type-checks every package's API with node16 resolution", async () => {
    await checkBoth({ module: "node16", moduleResolution: "node16", types: ["node"] });
  });

  it("type-checks every package's API with bundler resolution", async () => {
    await checkBoth({ module: "ESNext", moduleResolution: "bundler", types: ["node"] });
  });

  it("type-checks with customConditions: ['source'], as monorepo consumers often set", async () => {
    await checkBoth({ module: "ESNext", moduleResolution: "bundler", types: ["node"], customConditions: ["source"] });
  });

  it("type-checks a browser app with a DOM lib and no @types/node (lib esnext.disposable, as documented)", async () => {
    await tsc({
      compilerOptions: {
        ...strict,
        module: "ESNext",
        moduleResolution: "bundler",
        lib: ["ES2022", "DOM", "ESNext.Disposable"],
        types: [],
      },
      files: ["browser.ts"],
    });
  });
});

describe("a browser bundle", () => {
  it("bundles with esbuild with no Node built-in and no undici", async () => {
    await run(
      join(project, "node_modules/.bin/esbuild"),
      [
        "browser.ts",
        "--bundle",
        "--platform=browser",
        "--format=esm",
        "--outfile=out/browser.js",
        "--metafile=out/meta.json",
      ],
      { cwd: project },
    );
    const inputs = Object.keys(
      (JSON.parse(readFileSync(join(project, "out/meta.json"), "utf8")) as { inputs: object }).inputs,
    );
    expect(inputs.some((input) => input.includes("@fusio/s3"))).toBe(true);
    expect(inputs.filter((input) => input.startsWith("node:") || input.includes("undici"))).toEqual([]);
  });
});

describe("other runtimes", () => {
  it("Bun runs @fusio/bun", async () => {
    const bun = join(repo, "packages/bun/node_modules/.bin/bun");
    expect((await run(bun, ["bun.ts"], { cwd: project })).trim()).toBe("bun: ok");
  });

  it("Deno runs @fusio/deno", async () => {
    const deno = join(repo, "packages/deno/node_modules/.bin/deno");
    const output = await run(deno, ["run", "--allow-read", "--allow-write", "--allow-env", "deno.ts"], {
      cwd: project,
    });
    expect(output.trim()).toBe("deno: ok");
  });
});
