// Reading a source map (v3) backwards: a position in generated code → the original file, line and
// column. For build errors of the micro engine (the bytecode compiler's syntax errors, the
// lowering's leftovers), which see the lowered script, while the user wrote TypeScript: the map
// is esbuild's (TS → bundle) composed by SWC (bundle → ES5 script).
import { isAbsolute, relative, resolve } from "node:path";

interface SourceMapV3 {
  version: number;
  sources: (string | null)[];
  sourceRoot?: string;
  mappings: string;
}

/** One mapping: generated column → source index, original line and column (all 0-based). */
type Segment = [genCol: number, source: number, line: number, col: number];

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** Decodes the `mappings` field into segments per generated line (only segments with a source). */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  let col = 0;
  for (const text of mappings.split(";")) {
    const segs: Segment[] = [];
    let genCol = 0;
    for (const seg of text.split(",")) {
      if (seg === "") continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64_VALUE.get(ch);
        if (digit === undefined) throw new Error(`source map: invalid base64 digit ${JSON.stringify(ch)}`);
        value += (digit & 31) * 2 ** shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
          value = 0;
          shift = 0;
        }
      }
      genCol += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1] as number;
        line += fields[2] as number;
        col += fields[3] as number;
        segs.push([genCol, source, line, col]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

export interface OriginalPosition {
  /** Absolute path of the original file (sources resolved against `base`). */
  file: string;
  /** 1-based line and column (UTF-16 units). */
  line: number;
  column: number;
}

/**
 * A function from a generated position (1-based line and column, UTF-16 units) to the original
 * one, or undefined when the map says nothing there. `base`: the directory the map's sources are
 * relative to (esbuild's: the output file's directory).
 */
export function sourceLocator(mapJson: string, base: string): (line: number, column: number) => OriginalPosition | undefined {
  const map = JSON.parse(mapJson) as SourceMapV3;
  const lines = decodeMappings(map.mappings);
  const root = map.sourceRoot ?? "";
  return (line, column) => {
    // The last segment starting at or before the position (segments are sorted by column). Code
    // a compiler made up (helper calls) has none: then the nearest mapped position before it.
    let found: Segment | undefined;
    for (let l = line - 1, col = column - 1; l >= 0 && found === undefined; l--, col = Infinity) {
      const segs = lines[l] ?? [];
      let lo = 0;
      let hi = segs.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = segs[mid] as Segment;
        if (s[0] <= col) {
          found = s;
          lo = mid + 1;
        } else hi = mid - 1;
      }
    }
    if (found === undefined) return undefined;
    const src = map.sources[found[1]];
    if (src === null || src === undefined) return undefined;
    return { file: resolve(base, root, src), line: found[2] + 1, column: found[3] + 1 };
  };
}

/** `path:line:column`, the path relative to the current directory when inside it. */
export function formatPosition(p: OriginalPosition): string {
  const rel = relative(process.cwd(), p.file);
  return `${rel.startsWith("..") || isAbsolute(rel) ? p.file : rel}:${p.line}:${p.column}`;
}
