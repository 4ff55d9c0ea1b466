import { decodeXmlText } from "./xml-text.ts";

/**
 * A small, non-validating XML reader: enough for S3 and Azure responses (elements, attributes,
 * text, CDATA, the five named entities and numeric character references; declarations,
 * comments and processing instructions are skipped). Namespaces are kept in names as written;
 * use {@link localName} to ignore prefixes.
 */
export interface XmlElement {
  /** The tag name as written, e.g. `Contents` or `x:Error`. */
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (entities decoded), concatenated; child elements' text is not included. */
  readonly text: string;
}

export { decodeXmlText, escapeXml } from "./xml-text.ts";

interface MutableElement {
  name: string;
  attributes: Record<string, string>;
  children: MutableElement[];
  text: string;
}

/** The name without a namespace prefix (`s3:Key` -> `Key`). */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * Parses a document and returns its root element.
 * @throws Error (a plain one; callers map it to their error kind) when the text is not
 *   well-formed enough to read: no root element, unclosed or mismatched tags.
 */
export function parseXml(source: string): XmlElement {
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let i = 0;
  const length = source.length;
  while (i < length) {
    const lt = source.indexOf("<", i);
    const textEnd = lt < 0 ? length : lt;
    if (textEnd > i) {
      const top = stack[stack.length - 1];
      if (top) top.text += decodeXmlText(source.slice(i, textEnd));
    }
    if (lt < 0) break;
    if (source.startsWith("<!--", lt)) {
      i = closeOf(source, "-->", lt);
    } else if (source.startsWith("<![CDATA[", lt)) {
      const end = closeOf(source, "]]>", lt);
      const top = stack[stack.length - 1];
      if (top) top.text += source.slice(lt + 9, end - 3);
      i = end;
    } else if (source[lt + 1] === "?" || source[lt + 1] === "!") {
      i = closeOf(source, ">", lt);
    } else if (source[lt + 1] === "/") {
      const end = closeOf(source, ">", lt);
      const name = source.slice(lt + 2, end - 1).trim();
      const open = stack.pop();
      if (open === undefined || open.name !== name) {
        throw new Error(`malformed XML: </${name}> does not close <${open?.name ?? ""}>`);
      }
      i = end;
    } else {
      const end = closeOf(source, ">", lt);
      const selfClosing = source[end - 2] === "/";
      const inner = source.slice(lt + 1, selfClosing ? end - 2 : end - 1);
      const space = inner.search(/\s/);
      const name = space < 0 ? inner : inner.slice(0, space);
      if (name === "") throw new Error("malformed XML: empty tag name");
      const attributes: Record<string, string> = {};
      if (space >= 0) {
        for (const match of inner.slice(space).matchAll(ATTRIBUTE)) {
          attributes[match[1] as string] = decodeXmlText(match[3] ?? match[4] ?? "");
        }
      }
      const element: MutableElement = { name, attributes, children: [], text: "" };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root === undefined) root = element;
      else throw new Error("malformed XML: more than one root element");
      if (!selfClosing) stack.push(element);
      i = end;
    }
  }
  if (root === undefined) throw new Error("malformed XML: no root element");
  if (stack.length > 0) throw new Error(`malformed XML: <${stack[stack.length - 1]?.name}> is not closed`);
  return root;
}

function closeOf(source: string, marker: string, from: number): number {
  const at = source.indexOf(marker, from);
  if (at < 0) throw new Error("malformed XML: unterminated markup");
  return at + marker.length;
}

/** The first child named `name` (local name match), or undefined. */
export function xmlChild(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) if (localName(child.name) === name) return child;
  return undefined;
}

/** Every child named `name` (local name match), in document order. */
export function xmlChildren(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => localName(child.name) === name);
}

/** The text of the first child named `name`, or undefined when there is none. */
export function xmlText(element: XmlElement, name: string): string | undefined {
  return xmlChild(element, name)?.text;
}
