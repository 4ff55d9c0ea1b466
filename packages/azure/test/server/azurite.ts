// Starts and stops Azurite (from this package's devDependencies) in memory on a free loopback port.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export interface Azurite {
  /** The Blob endpoint, path style: `http://127.0.0.1:PORT/devstoreaccount1`. */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function azuriteBlobMain(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("azurite/package.json");
  const bin = (require(manifest) as { bin: Record<string, string> }).bin["azurite-blob"] as string;
  return join(dirname(manifest), bin);
}

async function startOnce(port: number, extra: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      azuriteBlobMain(),
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
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 30 s:\n${output}`)), 30_000);
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
 * Starts Azurite; retries on another port if the chosen one was taken meanwhile. `https` serves
 * TLS with the given PEM files and accepts OAuth bearer tokens (`--oauth basic`: the token's
 * shape, lifetime, issuer and audience are checked, not its signature).
 */
export async function startAzurite(https?: { cert: string; key: string }): Promise<Azurite> {
  const extra = https === undefined ? [] : ["--cert", https.cert, "--key", https.key, "--oauth", "basic"];
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await startOnce(port, extra);
      return {
        endpoint: `${https === undefined ? "http" : "https"}://127.0.0.1:${port}/devstoreaccount1`,
        port,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
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
