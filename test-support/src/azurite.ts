// Starts and stops Azurite (the Azure Storage emulator, from npm) in memory on a free loopback
// port, for the Azure tests and the benchmark.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort } from "./free-port.ts";

export interface Azurite {
  /** The Blob endpoint, path style: `http://127.0.0.1:PORT/devstoreaccount1`. */
  endpoint: string;
  port: number;
  /** Azurite's version, for reports. */
  version: string;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /**
   * Serve TLS with these PEM files and accept OAuth bearer tokens (`--oauth basic`: the token's
   * shape, lifetime, issuer and audience are checked, not its signature).
   */
  https?: { cert: string; key: string };
  /** No access log line per request (`--silent`), e.g. for benchmarks. Default: logged. */
  silent?: boolean;
}

function azuriteManifest(): { path: string; bin: string; version: string } {
  const require = createRequire(import.meta.url);
  const path = require.resolve("azurite/package.json");
  const manifest = require(path) as { bin: Record<string, string>; version: string };
  return { path, bin: manifest.bin["azurite-blob"] as string, version: manifest.version };
}

async function startOnce(main: string, port: number, extra: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--disableTelemetry",
      // @azure/storage-blob (the cross-check) sends an x-ms-version newer than Azurite knows.
      "--skipApiVersionCheck",
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Azurite did not start within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes("successfully listens")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}:\n${output}`));
    });
  });
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/**
 * Starts Azurite's Blob service; retries on another port if the chosen one was taken meanwhile.
 * It is stopped on `stop()`, and also when this process exits first.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const { https, silent = false } = options;
  const extra = [
    ...(https === undefined ? [] : ["--cert", https.cert, "--key", https.key, "--oauth", "basic"]),
    ...(silent ? ["--silent"] : []),
  ];
  const manifest = azuriteManifest();
  const main = join(dirname(manifest.path), manifest.bin);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await startOnce(main, port, extra);
      // Never leave Azurite behind if this process ends before stop().
      const orphan = (): void => {
        child.kill("SIGKILL");
      };
      process.once("exit", orphan);
      return {
        endpoint: `${https === undefined ? "http" : "https"}://127.0.0.1:${port}/devstoreaccount1`,
        port,
        version: manifest.version,
        stop: () =>
          new Promise<void>((resolve) => {
            process.off("exit", orphan);
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          }),
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
