// Prints rows the way psql does (aligned columns, a dashed rule, a row count), for `npm start`.

export type TableValue = string | number | boolean | null;

export function formatPsqlTable(headers: readonly string[], rows: readonly (readonly TableValue[])[]): string {
  const text = rows.map((row) => row.map((v) => (v === null ? "" : typeof v === "boolean" ? (v ? "t" : "f") : String(v))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? "").length)));
  // psql centres headers, left-aligns text and right-aligns numbers.
  const centre = (s: string, w: number): string => {
    const left = Math.floor((w - s.length) / 2);
    return " ".repeat(left) + s + " ".repeat(w - s.length - left);
  };
  const lines = [
    " " + headers.map((h, i) => centre(h, widths[i] ?? 0)).join(" | ").trimEnd(),
    "-" + widths.map((w) => "-".repeat(w)).join("-+-") + "-",
  ];
  for (const [r, row] of text.entries()) {
    const cells = row.map((cell, i) => {
      const w = widths[i] ?? 0;
      return typeof rows[r]?.[i] === "number" ? cell.padStart(w) : cell.padEnd(w);
    });
    lines.push((" " + cells.join(" | ")).trimEnd());
  }
  lines.push(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
  return lines.join("\n") + "\n";
}
