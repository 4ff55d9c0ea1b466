// Service SAS for one blob: https://learn.microsoft.com/rest/api/storageservices/create-service-sas
import { hmacBase64 } from "#hmac";

/** The service SAS version fusio signs (its string-to-sign layout is fixed from 2020-12-06 on). */
export const SAS_VERSION = "2020-12-06";

/** What a read-only service SAS for one blob says. */
export interface BlobSasInput {
  readonly account: string;
  readonly container: string;
  /** The blob name, not encoded. */
  readonly blob: string;
  /** Permissions in Azure's order, e.g. `"r"`. */
  readonly permissions: string;
  readonly expiresOn: Date;
  readonly startsOn?: Date | undefined;
}

/**
 * A service SAS query string (without `?`) for one blob, version {@link SAS_VERSION}, signed
 * with the decoded account key; lets the service read a source blob for Put Block From URL /
 * Copy Blob under Shared Key.
 */
export async function blobSas(key: Uint8Array, input: BlobSasInput): Promise<string> {
  const start = input.startsOn === undefined ? "" : isoSeconds(input.startsOn);
  const expiry = isoSeconds(input.expiresOn);
  const stringToSign = [
    input.permissions,
    start,
    expiry,
    `/blob/${input.account}/${input.container}/${input.blob}`,
    "", // signed identifier
    "", // signed IP
    "", // signed protocol
    SAS_VERSION,
    "b", // signed resource: blob
    "", // snapshot time
    "", // encryption scope
    "", // rscc
    "", // rscd
    "", // rsce
    "", // rscl
    "", // rsct
  ].join("\n");
  const signature = await hmacBase64(key, stringToSign);
  const params: Array<[string, string]> = [["sv", SAS_VERSION]];
  if (start !== "") params.push(["st", start]);
  params.push(["se", expiry], ["sr", "b"], ["sp", input.permissions], ["sig", signature]);
  return params.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
