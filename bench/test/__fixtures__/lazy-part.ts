// Only reached through a dynamic import in lazy.ts.
export function loud(text: string): string {
  return `${text.toUpperCase()}!`.repeat(2);
}
