// Imports a Node built-in.
import { readFile } from "node:fs/promises";

export default async function job(path: string): Promise<Uint8Array> {
  return await readFile(path);
}
