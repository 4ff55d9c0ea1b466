// Sends through undici.
import { request } from "undici";

export default async function job(url: string): Promise<number> {
  return (await request(url)).statusCode;
}
