// What a size job is handed when it is run to prove it does the job: where the server is, the
// object to read, the key to write and the prefix to list. Types only, so nothing of this file
// reaches a bundle.

/** An S3-compatible endpoint (path-style) with a bucket that holds `readKey`. */
export interface S3Target {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Read bytes 100..199 of this object. */
  readKey: string;
  /** Write `data` to this key. */
  writeKey: string;
  data: Uint8Array<ArrayBuffer>;
  /** List this prefix (it holds `writeKey` after the write). */
  listPrefix: string;
}

/** An Azure Blob account (Azurite: `http://127.0.0.1:PORT/devstoreaccount1`) and a container that holds `readKey`. */
export interface AzureTarget {
  accountUrl: string;
  accountName: string;
  accountKey: string;
  /** A SAS for the container (read, add, create, write, list), for clients that can't use Shared Key. */
  sasToken: string;
  container: string;
  readKey: string;
  writeKey: string;
  data: Uint8Array<ArrayBuffer>;
  listPrefix: string;
}

/** A local directory that holds `readKey` (a relative path). */
export interface LocalTarget {
  root: string;
  /** Read 100 bytes at offset 1000 of this file. */
  readKey: string;
  writeKey: string;
  data: Uint8Array<ArrayBuffer>;
}

/** What every job hands back, for the proof. */
export interface JobOutput {
  /** The 100 bytes it read. */
  read: Uint8Array;
  /** The keys it listed (remote jobs). */
  listed?: string[];
}

/** A job module's default export. */
export type Job<T> = (target: T) => Promise<JobOutput>;
