import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { AzureBlobFs } from "@fusio/azure";
import { bytes } from "@fusio/conformance";
import { FusioError, type HttpClient, type HttpRequest, type HttpResponse, Path } from "@fusio/core";
import { FetchHttpClient } from "@fusio/http";
import { afterAll, describe, expect, it } from "vitest";
import { azureFs, target } from "./helpers.ts";

const azure = target();
const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const base = Path.parse(`azure-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
const at = (name: string): Path => base.join(name);

function sdkContainer() {
  const credential = new StorageSharedKeyCredential(azure.account, azure.accountKey ?? "");
  return new BlobServiceClient(azure.endpoint, credential).getContainerClient(azure.container);
}

async function put(fs: AzureBlobFs, path: Path, data: Uint8Array): Promise<void> {
  const file = await fs.open(path, { create: true, truncate: true });
  await file.writeAll(data);
  await file.close();
}

async function get(fs: AzureBlobFs, path: Path): Promise<Uint8Array> {
  const file = await fs.open(path);
  try {
    return await file.readToEndAt(0);
  } finally {
    await file.close();
  }
}

/** Records every request (method, comp query) and the most requests in flight at once. */
class RecordingClient implements HttpClient {
  readonly inner = new FetchHttpClient();
  readonly seen: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(request.url);
    this.seen.push(`${request.method} ${url.searchParams.get("comp") ?? ""}`.trim());
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.inner.send(request);
    } finally {
      this.inFlight--;
    }
  }
}

afterAll(async () => {
  const fs = azureFs();
  for await (const entry of fs.list(base, { recursive: true })) await fs.remove(entry.path);
});

describe("AzureBlobFs on Azure Blob Storage", () => {
  it("a wrong key rejects PermissionDenied and the error holds no secret", async () => {
    const fs = azureFs({
      credential: { accountKey: btoa("not the right key at all, 64 bytes long.........................") },
    });
    const errors: unknown[] = [];
    for (const run of [
      () => fs.stat(at("x")),
      () => fs.open(at("x")),
      () => fs.putConditional(at("x"), text("x"), { ifNotExists: true }),
    ]) {
      try {
        await run();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors.map((error) => FusioError.is(error) && error.kind)).toEqual([
      "PermissionDenied",
      "PermissionDenied",
      "PermissionDenied",
    ]);
    for (const error of errors) {
      expect(String(error)).not.toMatch(/SharedKey|not the right key|bm90IHRoZSByaWdodCBrZXk/);
      expect((error as FusioError).status).toBe(403);
    }
  });

  it("a missing container rejects NotFound", async () => {
    const fs = azureFs({ container: "no-such-container-here" });
    await expect(fs.stat("x")).rejects.toMatchObject({ kind: "NotFound" });
    // The service's answer, with its status and code: not "no such blob" when the container is missing.
    const error = await fs.open("x").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "NotFound", op: "open", path: "x", status: 404 });
    expect(String(error)).toContain("ContainerNotFound");
    await expect(put(fs, Path.parse("x"), text("x"))).rejects.toMatchObject({ kind: "NotFound" });
  });

  it("works with a SAS token credential, append included", async () => {
    if (azure.accountKey === undefined) return;
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 3600_000),
        permissions: AccountSASPermissions.parse("rwdlac"),
        resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
        services: AccountSASServices.parse("b").toString(),
      },
      new StorageSharedKeyCredential(azure.account, azure.accountKey),
    ).toString();
    const fs = azureFs({ credential: { sasToken: `?${sas}` } });
    const path = at("sas/file.bin");
    await put(fs, path, text("by sas"));
    const append = await fs.open(path, { write: true });
    await append.writeAll(text(" + more"));
    await append.close();
    expect(new TextDecoder().decode(await get(fs, path))).toBe("by sas + more");
    const listed = [];
    for await (const entry of fs.list(at("sas"))) listed.push(entry.path.raw);
    expect(listed).toEqual([path.raw]);
  });

  it("an append keeps content type, cache control and metadata, and splices a multi-block blob", async () => {
    const blockSize = 64 * 1024;
    const fs = azureFs({ blockSize, concurrency: 2 });
    const path = at("append/meta.bin");
    const first = bytes(5 * blockSize + 17, 3);
    await fs.putConditional(
      path,
      first,
      { ifNotExists: true },
      { contentType: "application/x-fusio", metadata: { owner: "fusio", n: "1" } },
    );
    await sdkContainer()
      .getBlobClient(path.raw)
      .setHTTPHeaders({ blobContentType: "application/x-fusio", blobCacheControl: "max-age=60" });
    const recorder = new RecordingClient();
    const appender = azureFs({ blockSize, concurrency: 2, http: recorder });
    const file = await appender.open(path, { write: true });
    expect(await file.size()).toBe(first.length);
    const tail = bytes(3 * blockSize + 5, 4);
    await file.writeAll(tail);
    expect(await file.size()).toBe(first.length + tail.length);
    await file.close();
    const all = await get(fs, path);
    expect(all.length).toBe(first.length + tail.length);
    expect(Buffer.from(all).equals(Buffer.concat([first, tail]))).toBe(true);
    const properties = await sdkContainer().getBlobClient(path.raw).getProperties();
    expect(properties.contentType).toBe("application/x-fusio");
    expect(properties.cacheControl).toBe("max-age=60");
    expect(properties.metadata).toEqual({ owner: "fusio", n: "1" });
    // Old bytes never travelled through the client: staged server-side, new bytes as blocks.
    expect(recorder.seen.filter((request) => request === "GET")).toEqual([]);
    expect(recorder.seen.filter((request) => request === "PUT blocklist")).toHaveLength(1);
    expect(recorder.maxInFlight).toBeLessThanOrEqual(3); // 2 block uploads + 1 server-side splice
  });

  it("an append to a blob that changed meanwhile rejects PreconditionFailed and keeps the other write", async () => {
    const fs = azureFs();
    const path = at("append/raced.txt");
    await put(fs, path, text("v1"));
    const file = await fs.open(path, { write: true });
    await file.writeAll(text("+late"));
    await put(fs, path, text("v2 by someone else"));
    await expect(file.close()).rejects.toMatchObject({ kind: "PreconditionFailed" });
    expect(new TextDecoder().decode(await get(fs, path))).toBe("v2 by someone else");
    await expect(file.writeAll(text("x"))).rejects.toMatchObject({ kind: "Closed" });
  });

  it("a staged upload aborted at close publishes nothing", async () => {
    const recorder = new RecordingClient();
    const fs = azureFs({ blockSize: 64 * 1024, concurrency: 2, http: recorder });
    const path = at("abort/staged.bin");
    const file = await fs.open(path, { create: true, truncate: true });
    await file.writeAll(bytes(300 * 1024));
    await expect(file.close({ signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: "Aborted" });
    await expect(fs.stat(path)).rejects.toMatchObject({ kind: "NotFound" });
    expect(recorder.seen).toContain("PUT block");
    expect(recorder.seen).not.toContain("PUT blocklist");
    expect(recorder.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("small objects are one Put Blob; larger ones Put Block + Put Block List", async () => {
    const recorder = new RecordingClient();
    const fs = azureFs({ blockSize: 64 * 1024, http: recorder });
    await put(fs, at("shape/small.bin"), bytes(64 * 1024 - 1));
    expect(recorder.seen).toEqual(["PUT"]);
    recorder.seen.length = 0;
    await put(fs, at("shape/large.bin"), bytes(64 * 1024 + 1));
    expect(recorder.seen).toEqual(["PUT block", "PUT block", "PUT blocklist"]);
  });

  it("reads reject UnexpectedEof past the end, and NotFound once the blob is gone", async () => {
    const fs = azureFs();
    const path = at("read/gone.bin");
    await put(fs, path, text("0123456789"));
    const file = await fs.open(path);
    await expect(file.readExactAt(new Uint8Array(0), 11)).rejects.toMatchObject({ kind: "UnexpectedEof" });
    await fs.remove(path);
    await expect(file.readExactAt(new Uint8Array(2), 0)).rejects.toMatchObject({ kind: "NotFound" });
    await expect(file.size()).rejects.toMatchObject({ kind: "NotFound" });
    await file.close();
  });

  it("copy within the container keeps the bytes of a staged blob", async () => {
    const fs = azureFs({ blockSize: 64 * 1024 });
    const data = bytes(200 * 1024, 9);
    await put(fs, at("copy/src.bin"), data);
    await fs.copy(at("copy/src.bin"), at("copy/dst.bin"));
    expect(Buffer.from(await get(fs, at("copy/dst.bin"))).equals(Buffer.from(data))).toBe(true);
  });

  it("rejects bad options with InvalidArgument", () => {
    const bad = [
      { blockSize: 0 },
      { blockSize: 1.5 },
      { concurrency: 0 },
      { endpoint: "not a url" },
      { endpoint: "http://x/?sig=1" },
      { account: "" },
      { container: "" },
    ];
    for (const options of bad) {
      expect(() => azureFs(options)).toThrow(expect.objectContaining({ kind: "InvalidArgument" }));
    }
    expect(() => azureFs({ credential: {} as never })).toThrow(expect.objectContaining({ kind: "InvalidArgument" }));
  });
});
