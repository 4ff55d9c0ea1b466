import { AzureBlobFs, type AzureBlobFsOptions } from "@fusio/azure";
import { inject } from "vitest";
import type { AzureTarget } from "./server/global-setup.ts";

export function target(): AzureTarget {
  return inject("azure");
}

/** An AzureBlobFs on the test account, with its credential (Shared Key, else SAS). */
export function azureFs(options: Partial<AzureBlobFsOptions> = {}): AzureBlobFs {
  const azure = target();
  return new AzureBlobFs({
    account: azure.account,
    endpoint: azure.endpoint,
    container: azure.container,
    credential: azure.accountKey !== undefined ? { accountKey: azure.accountKey } : { sasToken: azure.sasToken ?? "" },
    ...options,
  });
}
