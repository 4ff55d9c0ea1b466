// Reading single elements of a small XML document (a listing entry, an error) by scanning its
// text: no tree is built.
import { decodeXmlText } from "@fusio/http/xml-text";

/** The text of the first `<name>` element of `xml` (a short slice), entity-decoded; undefined if absent. */
export function scanText(xml: string, name: string): string | undefined {
  let at = xml.indexOf(`<${name}`);
  while (at >= 0) {
    const after = xml.charCodeAt(at + name.length + 1);
    if (after === 0x3e /* > */ || after === 0x20 /* space */ || after === 0x2f /* / */) break;
    at = xml.indexOf(`<${name}`, at + 1);
  }
  if (at < 0) return undefined;
  const open = xml.indexOf(">", at);
  if (xml.charCodeAt(open - 1) === 0x2f) return ""; // <Name />
  const close = xml.indexOf(`</${name}>`, open);
  if (close < 0) return undefined;
  const text = decodeXmlText(xml.slice(open + 1, close));
  return xml.slice(at, open).includes('Encoded="true"') ? decodeURIComponent(text) : text;
}
