// XML text escaping, apart from the reader so that code which only decodes text stays small.
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes XML entities and character references in `value`. */
export function decodeXmlText(value: string): string {
  if (!value.includes("&")) return value;
  // Every ETag in a list page is `&quot;...&quot;`: a plain replace is 2-3x faster than the
  // regular expression's callback (a `"` never completes another reference).
  value = value.replaceAll("&quot;", '"');
  if (!value.includes("&")) return value;
  return value.replace(ENTITY, (_, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return NAMED[entity] as string;
  });
}

/** Escapes `value` for use as XML text or an attribute value. */
export function escapeXml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[char]};`,
  );
}
