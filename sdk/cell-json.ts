// Cell → JSON: what the host hands a guest (qual constants, the rowid, the rows of INSERT and
// UPDATE; contract §3.5) as the JSON values an API takes. One rule per cell type:
//   bool, integers, f32/f64, numeric → numbers (numeric arrives as f64: ≈15 significant digits)
//   text, uuid                       → strings (uuid hyphenated, lowercase)
//   date (seconds at 00:00 UTC)      → "YYYY-MM-DD"
//   timestamp, timestamptz (µs)      → "YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]+00:00" (UTC, as chrono writes it)
//   jsonb                            → the JSON value, numbers kept exactly (sdk/json.ts)
// Integers beyond ±2^53: the micro engine passes them as exact decimal strings. In a row (writes)
// they stay numbers for the FDW's logic, with their exact digits in the row's `raw` annotations
// (what `stringifyJson` writes back); as a qual constant or a rowid — values that usually end up
// in a URL — they are the decimal string itself, so that `String(value)` is exact.

import type { Cell } from "./cells.js";
import { type RawNumberTree, type RawNumbers, parseJsonExact } from "./json.js";
import { formatDate, formatTimestamp } from "./rfc3339.js";

/** A JSON value as JS holds it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object as JS holds it (a row of an API, a body to send). */
export type JsonObject = Record<string, unknown>;

export interface CellJson {
  value: unknown;
  /** Exact number texts (sdk/json.ts) for stringifyJson; undefined when JS prints every number as sent. */
  raw: RawNumbers;
}

/** Big integers (micro engine: decimal strings) as numbers + exact raw text, or as the string itself. */
type BigIntegers = "number" | "string";

function convert(cell: Cell | null | undefined, big: BigIntegers): CellJson {
  if (cell === null || cell === undefined) return { value: null, raw: undefined };
  switch (cell.tag) {
    case "i8":
    case "i16":
    case "i32":
    case "i64": {
      // The host's s64 is a number up to 2^53 on both engines; beyond it, micro sends a string.
      const v = cell.val as number | string;
      if (typeof v === "number") return { value: v, raw: undefined };
      return big === "string" ? { value: v, raw: undefined } : { value: Number(v), raw: String(Number(v)) === v ? undefined : v };
    }
    case "date":
      return { value: formatDate(Number(cell.val)), raw: undefined };
    case "timestamp":
    case "timestamptz":
      return { value: formatTimestamp(Number(cell.val)), raw: undefined };
    case "json": {
      const parsed = parseJsonExact(cell.val, { source: "a jsonb value" });
      return { value: parsed.value, raw: parsed.raw };
    }
    default:
      // bool, f32, f64, numeric, string, uuid (and v2's never-produced `other`)
      return { value: cell.val, raw: undefined };
  }
}

/**
 * A cell as a JSON value with its exact number texts (for jsonb cells and, on the micro engine,
 * integers beyond 2^53). NULL (null/undefined) is `null`.
 */
export function cellJson(cell: Cell | null | undefined): CellJson {
  return convert(cell, "number");
}

/**
 * A qual constant or rowid as a JSON value: as cellJson, except that integers beyond 2^53 (micro
 * engine) are their exact decimal strings, ready for a URL.
 */
export function cellValue(cell: Cell | null | undefined): unknown {
  return convert(cell, "string").value;
}

/** What rowJson needs from a host row (both WIT versions' Row satisfy it). */
export interface RowSource {
  cols(): string[];
  cells(): (Cell | null | undefined)[];
}

/**
 * An INSERT/UPDATE row as a JSON object keyed by column name (NULL → null), and the annotations
 * that keep its numbers exact: `stringifyJson(value, raw)` is the body to send.
 */
export function rowJson(row: RowSource): { value: JsonObject; raw: RawNumbers } {
  const names = row.cols();
  const cells = row.cells();
  const value: JsonObject = {};
  let raw: RawNumberTree | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const c = convert(cells[i], "number");
    value[name] = c.value;
    if (c.raw !== undefined) {
      raw ??= Object.create(null) as RawNumberTree;
      raw[name] = c.raw;
    }
  }
  return { value, raw };
}
