// The page: lists a prefix and reads byte ranges of one object on S3, with credentials from a
// provider function (a real application asks its own backend for short-lived credentials).
import { type CredentialsProvider, S3Fs } from "@fusio/s3";

/** What the page shows and where it finds it. */
export interface PageOptions {
  /** The S3 endpoint; omit it for AWS. The bucket needs the CORS rule of @fusio/s3's README. */
  endpoint?: string | undefined;
  bucket: string;
  region: string;
  /** Called for credentials, and again before temporary ones expire. */
  credentials: CredentialsProvider;
  /** The prefix to list. */
  prefix: string;
  /** The object whose ranges are shown. */
  key: string;
  /** `[offset, length]` of each range to read. */
  ranges: ReadonlyArray<readonly [offset: number, length: number]>;
}

/** What the page found: each entry directly under the prefix, and each range as text. */
export interface PageResult {
  /** Objects with their size; "directories" (common prefixes) flagged, size 0. */
  listed: Array<{ key: string; size: number; directory: boolean }>;
  ranges: string[];
}

/** Lists `prefix`, reads the `ranges` of `key`, and renders both into `root`. */
export async function showObject(root: HTMLElement, options: PageOptions): Promise<PageResult> {
  const fs = new S3Fs({
    bucket: options.bucket,
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
  });
  const listed: PageResult["listed"] = [];
  for await (const entry of fs.list(options.prefix))
    listed.push({ key: entry.path.raw, size: entry.size, directory: entry.isDirectory === true });

  const file = await fs.open(options.key);
  const ranges: string[] = [];
  try {
    for (const [offset, length] of options.ranges) {
      const bytes = await file.readExactAt(new Uint8Array(length), offset);
      ranges.push(new TextDecoder().decode(bytes));
    }
  } finally {
    await file.close();
  }

  const list = document.createElement("ul");
  list.className = "listing";
  for (const { key, size, directory } of listed) {
    const item = document.createElement("li");
    item.textContent = directory ? `${key}/` : `${key} (${size} bytes)`;
    list.append(item);
  }
  const reads = document.createElement("ol");
  reads.className = "ranges";
  options.ranges.forEach(([offset, length], i) => {
    const item = document.createElement("li");
    item.textContent = `${options.key} [${offset}, ${offset + length}): ${ranges[i]}`;
    reads.append(item);
  });
  root.replaceChildren(list, reads);
  return { listed, ranges };
}
