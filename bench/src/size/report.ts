// The size half of the report: Markdown tables and a small SVG chart of the gzip ratios.
import { type JobKind, KINDS, type Platform, SDK_RATIO } from "./catalog.ts";
import { isCell, type SizeRow } from "./measure.ts";
import type { Proof } from "./prove.ts";

const kb = (bytes: number) => (bytes / 1000).toFixed(bytes < 10_000 ? 2 : 1);
const times = (ratio: number) => `${ratio.toFixed(ratio < 10 ? 2 : 1)}×`;

function cell(row: SizeRow, platform: Platform): [string, string] {
  const bundle = row.bundles[platform];
  if (!bundle) return ["—", "—"];
  if (!isCell(bundle)) return ["n/a¹", "n/a¹"];
  const leaks = platform === "browser" && (bundle.builtins.length > 0 || bundle.undici);
  return [kb(bundle.minified), `${kb(bundle.gzip)}${leaks ? "†" : ""}`];
}

/** Lazy chunks of the kind's first platform: "—", or their gzip KB and count, and what the job loaded. */
function lazyCell(row: SizeRow, platform: Platform): string {
  const bundle = row.bundles[platform];
  if (!isCell(bundle) || !bundle.lazy?.chunks) return "—"; // a report from before code splitting has no `lazy`
  const loaded = bundle.lazy.loaded?.chunks ? `; the job loaded ${kb(bundle.lazy.loaded.gzip)} (counted)` : "";
  return `${kb(bundle.lazy.gzip)} in ${bundle.lazy.chunks}${loaded}`;
}

/** What `pnpm check` holds fusio's job of the kind to: its ceiling and, where there is one, the SDK promise. */
function enforced(kind: JobKind, rows: SizeRow[]): string {
  const info = KINDS[kind];
  const sdk = rows.find((row) => row.id === `${kind}/${info.sdk}`);
  const promise = sdk ? ` and, on node, at least ${SDK_RATIO}× smaller than ${sdk.label}` : "";
  return `\`pnpm check\` holds fusio's job (\`${info.fusio.packageName}\`) to at most ${kb(info.fusio.ceilingGzip)} KB gz on every platform${promise}.`;
}

/** One table per kind: KB minified and gzip -9 per platform, lazy chunks, ratio to the floor, proof status. */
export function sizeTables(rows: SizeRow[], proofs: Proof[], servers: Partial<Record<JobKind, string>>): string {
  const out: string[] = [];
  const notes: string[] = [];
  for (const kind of Object.keys(KINDS) as JobKind[]) {
    const mine = rows.filter((row) => row.kind === kind);
    if (mine.length === 0) continue;
    const info = KINDS[kind];
    out.push(`### ${info.title}`, "");
    const head = info.platforms.flatMap((platform) => [`${platform} min KB`, `${platform} gz KB`]);
    const fusio = mine.find((row) => row.isFusio);
    const fusioGzip = fusio?.bundles[info.platforms[0] as Platform];
    const versusFusio = isCell(fusioGzip) ? " gz ÷ fusio |" : "";
    const first = info.platforms[0] as Platform;
    out.push(`| library | ${head.join(" | ")} | lazy gz KB (${first}) | gz ÷ floor |${versusFusio} did the job |`);
    out.push(`|---|${head.map(() => "---:").join("|")}|---:|---:|${versusFusio ? "---:|" : ""}---|`);
    for (const row of mine) {
      const proof = proofs.find((entry) => entry.id === row.id);
      const name = `${row.isFusio ? "**" : ""}${row.label}${row.isFusio ? "**" : ""}${row.versions ? ` <sub>${row.versions}</sub>` : ""}`;
      const cells = info.platforms.flatMap((platform) => cell(row, platform));
      const ratio = row.ratioToFloor === undefined ? "—" : times(row.ratioToFloor);
      const own = row.bundles[info.platforms[0] as Platform];
      const fusioRatio = isCell(fusioGzip) ? ` ${isCell(own) ? times(own.gzip / fusioGzip.gzip) : "—"} |` : "";
      out.push(
        `| ${name} | ${cells.join(" | ")} | ${lazyCell(row, first)} | ${ratio} |${fusioRatio} ${proof ? (proof.ok ? "yes" : proof.status.startsWith("not run") ? "not run" : `**no**: ${proof.status}`) : "not run"} |`,
      );
      for (const platform of info.platforms) {
        const bundle = row.bundles[platform];
        if (bundle && !isCell(bundle)) notes.push(`- ¹ ${row.label} (${platform}): does not bundle — ${bundle.error}`);
        if (isCell(bundle) && platform === "browser" && (bundle.builtins.length > 0 || bundle.undici)) {
          notes.push(
            `- † ${row.label} (browser): imports Node built-ins (${[...bundle.builtins, ...(bundle.undici ? ["undici"] : [])].join(", ")}), so it does not run in a browser as bundled`,
          );
        }
      }
    }
    out.push("", enforced(kind, mine));
    const notRun = proofs.find((proof) => proof.id.startsWith(`${kind}/`) && proof.status.startsWith("not run"));
    out.push(
      "",
      `Proven against: ${servers[kind] ?? (notRun ? notRun.status.replace(/^not run: /, "nothing — ") : "nothing")}.`,
      "",
    );
  }
  if (notes.length) out.push("Notes:", "", ...notes, "");
  const composition = rows.filter((row) => row.isFusio);
  if (composition.length) {
    out.push("### What is in fusio's bundles", "", "Minified bytes per source file (before gzip), largest first.", "");
    for (const row of composition) {
      const platform = KINDS[row.kind].platforms[0] as Platform;
      const bundle = row.bundles[platform];
      if (!isCell(bundle) || !bundle.files) continue;
      const list = (files: Array<{ name: string; bytes: number }>) =>
        files.map((file) => `\`${file.name}\` ${file.bytes}`).join(", ");
      out.push(`- ${row.label} (${platform}): ${list(bundle.files)}`);
      if (bundle.lazyFiles?.length) out.push(`  - in lazy chunks: ${list(bundle.lazyFiles)}`);
    }
    out.push("");
  }
  out.push(
    "Did the job: each job ran once, from its node bundle, against the server named under its table: the 100 bytes it read, the object it wrote and the keys it listed were checked independently.",
    "",
  );
  return out.join("\n");
}

/** Horizontal bars of gzip size ÷ floor on a log scale, one block per kind, fusio highlighted. */
export function sizeChart(rows: SizeRow[]): string {
  const plotted = rows.filter((row) => row.ratioToFloor !== undefined);
  const labelWidth = 290;
  const barWidth = 360;
  const rowHeight = 18;
  const maxLog = Math.max(1, ...plotted.map((row) => Math.log10(row.ratioToFloor as number)));
  const x = (ratio: number) => labelWidth + (Math.max(0, Math.log10(ratio)) / maxLog) * barWidth;
  const parts: string[] = [];
  let y = 28;
  for (const kind of Object.keys(KINDS) as JobKind[]) {
    const mine = plotted.filter((row) => row.kind === kind);
    if (mine.length === 0) continue;
    parts.push(`<text x="4" y="${y + 12}" font-weight="bold">${kind} (node bundle, gzip)</text>`);
    y += rowHeight;
    for (const row of mine) {
      const ratio = row.ratioToFloor as number;
      const color = row.isFusio ? "#d9480f" : row.isFloor ? "#868e96" : "#1c7ed6";
      const width = Math.max(2, x(ratio) - labelWidth);
      parts.push(
        `<text x="${labelWidth - 6}" y="${y + 12}" text-anchor="end">${escapeXml(row.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 2}" width="${width.toFixed(1)}" height="${rowHeight - 5}" fill="${color}"/>`,
        `<text x="${(labelWidth + width + 4).toFixed(1)}" y="${y + 12}">${ratio.toFixed(1)}× (${gzipOf(row)} KB)</text>`,
      );
      y += rowHeight;
    }
    y += 6;
  }
  const ticks = [1, 10, 100, 1000].filter((tick) => Math.log10(tick) <= maxLog);
  const grid = ticks.map(
    (tick) =>
      `<line x1="${x(tick).toFixed(1)}" y1="22" x2="${x(tick).toFixed(1)}" y2="${y}" stroke="#dee2e6"/><text x="${x(tick).toFixed(1)}" y="${y + 14}" text-anchor="middle">${tick}×</text>`,
  );
  const width = labelWidth + barWidth + 160;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${y + 22}" font-family="sans-serif" font-size="12">`,
    `<title>Bundle size relative to the hand-written floor</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="4" y="14" font-weight="bold">Bundle size ÷ the hand-written floor (log scale; fusio in orange)</text>`,
    ...grid,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

function gzipOf(row: SizeRow): string {
  const bundle = row.bundles[KINDS[row.kind].platforms[0] as Platform];
  return isCell(bundle) ? kb(bundle.gzip) : "?";
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (char) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[char] as string);
}
