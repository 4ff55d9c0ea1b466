// A module that loads part of itself on first use: the part is a lazy chunk.
export default async function shout(text: string): Promise<string> {
  const { loud } = await import("./lazy-part.ts");
  return loud(text);
}
