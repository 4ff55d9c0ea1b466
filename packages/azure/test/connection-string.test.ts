import {
  azureBlobFsFromConnectionString,
  DEVELOPMENT_ACCOUNT,
  DEVELOPMENT_KEY,
  parseConnectionString,
} from "@fusio/azure";
import { FusioError } from "@fusio/core";
import { describe, expect, it } from "vitest";

describe("parseConnectionString", () => {
  it("reads an account-key connection string with the default suffix", () => {
    expect(
      parseConnectionString(
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net",
      ),
    ).toEqual({
      account: "acct",
      endpoint: "https://acct.blob.core.windows.net",
      accountKey: "a2V5",
      sasToken: undefined,
    });
    expect(parseConnectionString("AccountName=acct;AccountKey=a2V5==").endpoint).toBe(
      "https://acct.blob.core.windows.net",
    );
    expect(
      parseConnectionString("AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn;").endpoint,
    ).toBe("https://acct.blob.core.chinacloudapi.cn");
  });

  it("keeps '=' inside values and ignores key case and blank parts", () => {
    const parsed = parseConnectionString(" accountname=acct ; ACCOUNTKEY=ab+/cd== ;; ");
    expect([parsed.account, parsed.accountKey]).toEqual(["acct", "ab+/cd=="]);
  });

  it("reads the Azurite development shortcut, with and without a proxy", () => {
    expect(parseConnectionString("UseDevelopmentStorage=true")).toEqual({
      account: DEVELOPMENT_ACCOUNT,
      endpoint: "http://127.0.0.1:10000/devstoreaccount1",
      accountKey: DEVELOPMENT_KEY,
    });
    expect(
      parseConnectionString("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://localhost:4444/").endpoint,
    ).toBe("http://localhost:4444/devstoreaccount1");
  });

  it("reads Azurite's full development connection string (path-style endpoint)", () => {
    const parsed = parseConnectionString(
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEVELOPMENT_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
    );
    expect(parsed).toEqual({
      account: DEVELOPMENT_ACCOUNT,
      endpoint: "http://127.0.0.1:10000/devstoreaccount1",
      accountKey: DEVELOPMENT_KEY,
      sasToken: undefined,
    });
  });

  it("reads a SAS connection string and takes the account from the endpoint", () => {
    expect(
      parseConnectionString("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=?sv=2020&sig=x%2B"),
    ).toEqual({
      account: "acct",
      endpoint: "https://acct.blob.core.windows.net",
      accountKey: undefined,
      sasToken: "sv=2020&sig=x%2B",
    });
  });

  it("rejects strings without an account or endpoint, never echoing secrets", () => {
    for (const bad of [
      "",
      "AccountKey=c2VjcmV0",
      "garbage",
      "BlobEndpoint=not a url;SharedAccessSignature=sig=secret",
    ]) {
      let caught: unknown;
      try {
        parseConnectionString(bad);
      } catch (error) {
        caught = error;
      }
      expect(FusioError.is(caught, "InvalidArgument")).toBe(true);
      expect(String((caught as Error).message)).not.toMatch(/c2VjcmV0|secret/);
    }
  });

  it("azureBlobFsFromConnectionString exposes endpoint, account and container, never the key", () => {
    const fs = azureBlobFsFromConnectionString("UseDevelopmentStorage=true", { container: "box" });
    expect([fs.kind, fs.account, fs.container, fs.endpoint]).toEqual([
      "azure",
      DEVELOPMENT_ACCOUNT,
      "box",
      "http://127.0.0.1:10000/devstoreaccount1",
    ]);
    expect(fs.id).toContain("devstoreaccount1");
    expect(fs.id).toContain("box");
    expect(JSON.stringify(fs)).not.toContain(DEVELOPMENT_KEY.slice(0, 10));
  });
});
