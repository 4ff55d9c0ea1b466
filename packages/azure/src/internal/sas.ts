// Service SAS signing, loaded when a copy source needs one (Copy Blob / Put Block From URL under Shared Key).
import { hmacBase64 } from "#hmac";
import { type BlobSasInput, SAS_VERSION } from "../shared-key.ts";

/**
 * A service SAS query string (without `?`) for one blob, version {@link SAS_VERSION}; used to
 * let the service read a source blob for Put Block From URL / Copy Blob under Shared Key.
 */
export async function signBlobSas(key: Uint8Array, input: BlobSasInput): Promise<string> {
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
