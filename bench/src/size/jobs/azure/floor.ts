// The floor: hand-written Blob calls on fetch, signed with Shared Key over WebCrypto HMAC.
// https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key
import type { AzureTarget, JobOutput } from "../../target.ts";

export default async function job(target: AzureTarget): Promise<JobOutput> {
  const base = `${target.accountUrl.replace(/\/$/, "")}/${target.container}`;
  const key = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(atob(target.accountKey), (c) => c.charCodeAt(0)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const call = async (method: string, url: string, headers: Record<string, string>, body?: Uint8Array<ArrayBuffer>) => {
    const all: Record<string, string> = {
      ...headers,
      "x-ms-date": new Date().toUTCString(),
      "x-ms-version": "2025-11-05",
    };
    const parsed = new URL(url);
    const canonicalHeaders = Object.keys(all)
      .filter((name) => name.startsWith("x-ms-"))
      .sort()
      .map((name) => `${name}:${all[name]}\n`)
      .join("");
    // Azurite's path-style URLs carry the account name in the path, so it appears twice here.
    let resource = `/${target.accountName}${decodeURIComponent(parsed.pathname)}`;
    for (const name of [...new Set(parsed.searchParams.keys())].sort()) {
      resource += `\n${name}:${parsed.searchParams.getAll(name).join(",")}`;
    }
    const length = body?.byteLength ? String(body.byteLength) : "";
    const toSign = `${method}\n\n\n${length}\n\n${all["content-type"] ?? ""}\n\n\n\n\n\n\n${canonicalHeaders}${resource}`;
    const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(toSign));
    all.authorization = `SharedKey ${target.accountName}:${btoa(String.fromCharCode(...new Uint8Array(signature)))}`;
    const response = await fetch(url, { method, headers: all, ...(body ? { body } : {}) });
    if (!response.ok) throw new Error(`Azure answered ${response.status}`);
    return response;
  };
  const blob = (name: string) => `${base}/${name.split("/").map(encodeURIComponent).join("/")}`;
  const ranged = await call("GET", blob(target.readKey), { "x-ms-range": "bytes=100-199" });
  const read = new Uint8Array(await ranged.arrayBuffer());
  await call("PUT", blob(target.writeKey), { "x-ms-blob-type": "BlockBlob" }, target.data);
  const listed: string[] = [];
  let marker = "";
  do {
    const query = `restype=container&comp=list&prefix=${encodeURIComponent(target.listPrefix)}${marker && `&marker=${encodeURIComponent(marker)}`}`;
    const xml = await (await call("GET", `${base}?${query}`, {})).text();
    for (const match of xml.matchAll(/<Name>([^<]*)<\/Name>/g)) listed.push(unescapeXml(match[1] as string));
    marker = unescapeXml(/<NextMarker>([^<]*)</.exec(xml)?.[1] ?? "");
  } while (marker);
  return { read, listed };
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name] as string,
  );
}
