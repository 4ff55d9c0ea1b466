// XML text escaping, apart from the reader so that code which only decodes text stays small.
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Decodes XML entities and character references in `value`.
 * @throws Error (a plain one; callers map it to their error kind) for a character reference to
 *   something XML cannot hold: beyond U+10FFFF, a surrogate, or a control character other than
 *   tab, line feed and carriage return.
 */
export function decodeXmlText(value: string): string {
  if (!value.includes("&")) return value;
  // Every ETag in a list page is `&quot;...&quot;`: a plain replace is 2-3x faster than the
  // regular expression's callback (a `"` never completes another reference).
  value = value.replaceAll("&quot;", '"');
  if (!value.includes("&")) return value;
  return value.replace(ENTITY, (_, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1] === "x" ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      if (!isXmlChar(code)) throw new Error(`malformed XML: &${entity.slice(0, 12)}; is not a character`);
      return String.fromCodePoint(code);
    }
    return NAMED[entity] as string;
  });
}

/** The XML 1.0 `Char` production. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Escapes `value` for use as XML text or an attribute value. */
export function escapeXml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[char]};`,
  );
}
