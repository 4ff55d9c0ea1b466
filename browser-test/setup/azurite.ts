// vitest globalSetup: Azurite in memory on a free port, with the test container and the CORS
// rule of cors-rules.ts (Set Blob Service Properties), handed to the page as `inject("azurite")`.
import { startAzurite } from "@fusio-internal/test-support/azurite";
import type { TestProject } from "vitest/node";
import { serviceClient } from "./commands.ts";
import { AZURE_CORS } from "./cors-rules.ts";

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEVELOPMENT_ACCOUNT = "devstoreaccount1";
export const DEVELOPMENT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** How the page reaches Azurite. */
export interface AzuriteTarget {
  account: string;
  accountKey: string;
  endpoint: string;
  container: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    azurite: AzuriteTarget;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({ silent: true });
  try {
    const target: AzuriteTarget = {
      account: DEVELOPMENT_ACCOUNT,
      accountKey: DEVELOPMENT_KEY,
      endpoint: azurite.endpoint,
      container: "fusio-browser",
    };
    const service = serviceClient(target);
    await service.setProperties({
      cors: [
        {
          allowedOrigins: AZURE_CORS.allowedOrigins.join(","),
          allowedMethods: AZURE_CORS.allowedMethods.join(","),
          allowedHeaders: AZURE_CORS.allowedHeaders.join(","),
          exposedHeaders: AZURE_CORS.exposedHeaders.join(","),
          maxAgeInSeconds: AZURE_CORS.maxAgeSeconds,
        },
      ],
    });
    await service.getContainerClient(target.container).createIfNotExists();
    project.provide("azurite", target);
  } catch (error) {
    await azurite.stop();
    throw error;
  }
  return () => azurite.stop();
}
