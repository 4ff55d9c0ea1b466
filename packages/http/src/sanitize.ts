/**
 * A copy of `error` (and of its causes) that keeps names, codes and messages minus anything
 * that looks like a URL: fetch in Bun and Deno puts the full request URL, query string
 * included, in messages and fields, and a query may carry a signature or SAS token.
 */
export function sanitizeError(error: unknown, depth = 0): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const cause = depth < 3 && source.cause !== undefined ? { cause: sanitizeError(source.cause, depth + 1) } : undefined;
  const copy = new Error(stripUrls(source.message), cause);
  copy.name = source.name;
  const code = (source as { code?: unknown }).code;
  if (typeof code === "string") (copy as { code?: string }).code = code;
  return copy;
}

/** Replaces every `scheme://...` run in `text` with its origin and path, query and credentials dropped. */
export function stripUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)]+/gi, (match) => {
    try {
      const url = new URL(match);
      return `${url.protocol}//${url.host}${url.pathname}`;
    } catch {
      return "<url>";
    }
  });
}
