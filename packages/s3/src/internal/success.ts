// The answers of calls that can still fail after their 200 was sent, loaded with the code that
// makes them (copy, multipart): the XML reader stays out of the code loaded at start.
import type { ErrorContext, HttpResponse } from "@fusio/core";
import { invalidAnswer } from "@fusio/http/answer";
import { RESULT_BODY_LIMIT, readBoundedText } from "@fusio/http/bounded-body";
import { localName, parseXml } from "@fusio/http/xml";
import { errorIn200 } from "./errors.ts";

/**
 * The body text of a 2xx response to a call that can still fail after its 200 was sent
 * (CopyObject, UploadPartCopy, CompleteMultipartUpload); throws the `<Error>` it holds. Success
 * means a well-formed document whose root is `root` (e.g. `CompleteMultipartUploadResult`):
 * anything else (an `<Error>` cut short, garbage, an empty body) rejects `Remote`, so the caller
 * treats the call as failed (a multipart upload is then aborted). The body is read up to
 * `RESULT_BODY_LIMIT` bytes.
 */
export async function successBodyText(response: HttpResponse, root: string, context: ErrorContext): Promise<string> {
  const text = await readBoundedText(response.body, RESULT_BODY_LIMIT, `the ${root} answer`, context);
  const failure = errorIn200(text, context);
  if (failure) throw failure;
  let name: string | undefined;
  try {
    name = localName(parseXml(text).name);
  } catch (error) {
    throw invalidAnswer(`the answer is not a well-formed ${root}`, context, error);
  }
  if (name !== root) throw invalidAnswer(`the answer is not a ${root}`, context);
  return text;
}
