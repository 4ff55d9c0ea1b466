// The floor: hand-written S3 calls on aws4fetch's signer and fetch, nothing else.
import { AwsClient } from "aws4fetch";
import type { JobOutput, S3Target } from "../../target.ts";

export default async function job(target: S3Target): Promise<JobOutput> {
  const aws = new AwsClient({
    accessKeyId: target.accessKeyId,
    secretAccessKey: target.secretAccessKey,
    region: target.region,
    service: "s3",
    retries: 0,
  });
  const bucket = `${target.endpoint.replace(/\/$/, "")}/${target.bucket}`;
  const call = async (url: string, init?: RequestInit) => {
    const response = await aws.fetch(url, init);
    if (!response.ok) throw new Error(`S3 answered ${response.status}`);
    return response;
  };
  const object = (key: string) => `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
  const ranged = await call(object(target.readKey), { headers: { range: "bytes=100-199" } });
  const read = new Uint8Array(await ranged.arrayBuffer());
  await call(object(target.writeKey), { method: "PUT", body: target.data });
  const listed: string[] = [];
  let token = "";
  do {
    const query = `list-type=2&prefix=${encodeURIComponent(target.listPrefix)}${token && `&continuation-token=${encodeURIComponent(token)}`}`;
    const xml = await (await call(`${bucket}?${query}`)).text();
    for (const match of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) listed.push(unescapeXml(match[1] as string));
    token = unescapeXml(/<NextContinuationToken>([^<]*)</.exec(xml)?.[1] ?? "");
  } while (token);
  return { read, listed };
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp);/g,
    (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name] as string,
  );
}
