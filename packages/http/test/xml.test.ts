import { decodeXmlText, escapeXml, localName, parseXml, xmlChild, xmlChildren, xmlText } from "@fusio/http/xml";
import { describe, expect, it } from "vitest";

describe("parseXml", () => {
  it("reads elements, text, entities, CDATA and skips declarations and comments", () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name>
  <Contents><Key>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x1F600;</Key><Size>12</Size></Contents>
  <Contents><Key><![CDATA[x<y>&z]]></Key><Size>0</Size></Contents>
  <Empty/>
  <Spaced>  keep  </Spaced>
</ListBucketResult>`,
    );
    expect(root.name).toBe("ListBucketResult");
    expect(root.attributes).toEqual({ xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" });
    expect(xmlText(root, "Name")).toBe("bucket");
    const contents = xmlChildren(root, "Contents");
    expect(contents.map((entry) => xmlText(entry, "Key"))).toEqual([`a & b <c> "d" 'e' é😀`, "x<y>&z"]);
    expect(contents.map((entry) => xmlText(entry, "Size"))).toEqual(["12", "0"]);
    expect(xmlText(root, "Empty")).toBe("");
    expect(xmlText(root, "Spaced")).toBe("  keep  ");
    expect(xmlChild(root, "Missing")).toBe(undefined);
    expect(xmlText(root, "Missing")).toBe(undefined);
  });

  it("matches children by local name, ignoring namespace prefixes", () => {
    const root = parseXml(
      `<s:Error xmlns:s="x"><s:Code>NoSuchKey</s:Code><Message a='1' b="2">gone</Message></s:Error>`,
    );
    expect(localName(root.name)).toBe("Error");
    expect(xmlText(root, "Code")).toBe("NoSuchKey");
    expect(xmlChild(root, "Message")?.attributes).toEqual({ a: "1", b: "2" });
  });

  it("rejects malformed documents", () => {
    for (const bad of ["", "just text", "<a><b></a>", "<a>", "<a></a><b></b>", "<a><!-- open"]) {
      expect(() => parseXml(bad), bad).toThrow(/malformed XML/);
    }
  });

  it("escapeXml and decodeXmlText are inverse", () => {
    const value = `<tag attr="x"> & 'y' </tag>`;
    expect(escapeXml(value)).toBe("&lt;tag attr=&quot;x&quot;&gt; &amp; &apos;y&apos; &lt;/tag&gt;");
    expect(decodeXmlText(escapeXml(value))).toBe(value);
    expect(parseXml(`<v>${escapeXml(value)}</v>`).text).toBe(value);
  });

  it("decodeXmlText decodes each reference once, quotes (list ETags) included", () => {
    expect(decodeXmlText("&quot;9b2cf535f27731c974343645a3985328&quot;")).toBe('"9b2cf535f27731c974343645a3985328"');
    expect(decodeXmlText("&amp;quot; &quot;&amp;&quot; &&quot; &#34;&#x22;&bogus; &am&quot;p;")).toBe(
      '&quot; "&" &" ""&bogus; &am"p;',
    );
  });
});
