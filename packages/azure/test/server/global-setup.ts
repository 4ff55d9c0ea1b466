// vitest globalSetup: the Azure account every test file uses. By default Azurite in memory on a
// free port; AZURE_CONNECTION_STRING (+ AZURE_CONTAINER, which must exist) points the same tests
// at a real account instead.
import { DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY, parseConnectionString } from "@fusio/azure";
import { startAzurite } from "@fusio-internal/test-support/azurite";
import type { TestProject } from "vitest/node";

export interface AzureTarget {
  account: string;
  endpoint: string;
  accountKey?: string | undefined;
  sasToken?: string | undefined;
  container: string;
  /** True against Azurite (tests may create containers and rely on its quirks). */
  emulator: boolean;
}

declare module "vitest" {
  export interface ProvidedContext {
    azure: AzureTarget;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const connection = process.env.AZURE_CONNECTION_STRING;
  if (connection) {
    const parsed = parseConnectionString(connection);
    const container = process.env.AZURE_CONTAINER;
    if (!container) throw new Error("AZURE_CONTAINER must name an existing container");
    project.provide("azure", { ...parsed, container, emulator: false });
    return async () => undefined;
  }
  const azurite = await startAzurite();
  const target: AzureTarget = {
    account: DEVELOPMENT_ACCOUNT,
    endpoint: azurite.endpoint,
    accountKey: DEVELOPMENT_KEY,
    container: "fusio",
    emulator: true,
  };
  const { BlobServiceClient, StorageSharedKeyCredential } = await import("@azure/storage-blob");
  const service = new BlobServiceClient(
    azurite.endpoint,
    new StorageSharedKeyCredential(DEVELOPMENT_ACCOUNT, DEVELOPMENT_KEY),
  );
  await service.getContainerClient(target.container).createIfNotExists();
  project.provide("azure", target);
  return () => azurite.stop();
}
