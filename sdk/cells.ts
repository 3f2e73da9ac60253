// JSON value → cell for a column's type. The host does NO type check on row.push: a cell whose
// variant doesn't match the column's type corrupts data or crashes the backend (contract §3.4,
// §11.1). So the variant is always chosen from the column's type-oid, never from the JSON value.
// Units: date = seconds since the epoch at 00:00 UTC; timestamp/timestamptz = microseconds.

import { describeValue } from "./errors.js";
import { parseDateSeconds, parseRfc3339Micros } from "./rfc3339.js";

/** Cells and type-oids of the newest WIT (v2 ⊇ v1): valid for v1 rows as long as columns are v1. */
export type Cell = SupabaseWrappers.CellV2;
export type TypeOid = SupabaseWrappers.TypeOidV2;
export type TypeName = TypeOid["tag"];

/** Column metadata read once per scan (each host call costs a boundary crossing). */
export interface ColumnInfo {
  readonly name: string;
  readonly type: TypeName;
  /** 1-based attribute number in the table. */
  readonly num: number;
}

/** What the SDK needs from a context; both WIT versions' Context satisfy it. */
export interface ColumnsSource {
  getColumns(): { name(): string; num(): number; typeOid(): TypeOid }[];
}

/** Reads `ctx.getColumns()` once: names, types and attribute numbers, in push order. */
export function readColumns(ctx: ColumnsSource): ColumnInfo[] {
  return ctx.getColumns().map((c) => ({ name: c.name(), type: c.typeOid().tag, num: c.num() }));
}

const INT_RANGES = {
  i8: [-128, 127],
  i16: [-32_768, 32_767],
  i32: [-2_147_483_648, 2_147_483_647],
  // s64 travels as a JS number: beyond 2^53 it would silently lose precision, so refuse it.
  i64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;
const F32_MAX = 3.4028234663852886e38;
const INTEGER_TEXT = /^[+-]?\d+$/;
const UUID_TEXT = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** A value that cannot be represented in a column: message names column, type and value. */
export class CellConversionError extends Error {
  constructor(column: ColumnInfo, value: unknown, reason: string) {
    super(`cannot convert ${describeValue(value)} for column "${column.name}" of type ${column.type}: ${reason}`);
  }
}

/** Number from a JSON number or numeric string (GitHub ids and some APIs send numbers as strings). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim());
    return Number.isNaN(n) && value.trim() !== "NaN" ? undefined : n;
  }
  return undefined;
}

function toInteger(value: unknown, column: ColumnInfo, range: readonly [number, number]): number {
  let n: number | undefined;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && INTEGER_TEXT.test(value.trim())) n = Number(value.trim());
  if (n === undefined || !Number.isInteger(n)) throw new CellConversionError(column, value, "expected an integer");
  if (n < range[0] || n > range[1]) throw new CellConversionError(column, value, `out of range ${range[0]}..${range[1]}`);
  return n;
}

function toFloat(value: unknown, column: ColumnInfo, finiteOnly: boolean): number {
  const n = toNumber(value);
  if (n === undefined) throw new CellConversionError(column, value, "expected a number");
  if (finiteOnly && !Number.isFinite(n)) throw new CellConversionError(column, value, "expected a finite number");
  return n;
}

function toBool(value: unknown, column: ColumnInfo): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const s = value.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  throw new CellConversionError(column, value, "expected a boolean");
}

/** Epoch seconds from a number (openapi_fdw precedent), or a parsed RFC 3339 string. */
function toTime(value: unknown, column: ColumnInfo, parse: (s: string) => number, fromSeconds: (s: number) => number): number {
  if (typeof value === "number" && Number.isFinite(value)) {
    const v = fromSeconds(value);
    if (!Number.isSafeInteger(v)) throw new CellConversionError(column, value, "out of range");
    return v;
  }
  if (typeof value !== "string") throw new CellConversionError(column, value, "expected an RFC 3339 string or epoch seconds");
  try {
    return parse(value.trim());
  } catch (e) {
    throw new CellConversionError(column, value, e instanceof Error ? e.message : String(e));
  }
}

function jsonText(value: unknown, column: ColumnInfo): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new CellConversionError(column, value, `not serialisable as JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (text === undefined) throw new CellConversionError(column, value, "not serialisable as JSON");
  return text;
}

/**
 * Converts a JSON value to a cell for `column`. `undefined` (absent field) and `null` → `null`
 * (SQL NULL). Throws CellConversionError when the value cannot be represented.
 */
export function toCell(value: unknown, column: ColumnInfo): Cell | null {
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case "bool":
      return { tag: "bool", val: toBool(value, column) };
    case "i8":
    case "i16":
    case "i32":
    case "i64":
      return { tag: column.type, val: toInteger(value, column, INT_RANGES[column.type]) };
    case "f32": {
      const n = toFloat(value, column, false);
      if (Number.isFinite(n) && Math.abs(n) > F32_MAX) throw new CellConversionError(column, value, "out of range for real (float4)");
      return { tag: "f32", val: n };
    }
    case "f64":
      return { tag: "f64", val: toFloat(value, column, false) };
    case "numeric":
      // numeric travels as f64 (≈15 significant digits); the host cannot convert NaN/Infinity.
      return { tag: "numeric", val: toFloat(value, column, true) };
    case "string":
      return { tag: "string", val: typeof value === "string" ? value : jsonText(value, column) };
    case "json":
      return { tag: "json", val: jsonText(value, column) };
    case "date":
      return { tag: "date", val: toTime(value, column, parseDateSeconds, (s) => Math.floor(s / 86_400) * 86_400) };
    case "timestamp":
    case "timestamptz":
      return { tag: column.type, val: toTime(value, column, parseRfc3339Micros, (s) => Math.round(s * 1_000_000)) };
    case "uuid": {
      const m = typeof value === "string" ? UUID_TEXT.exec(value.trim()) : null;
      if (m === null) throw new CellConversionError(column, value, "expected a UUID string");
      return { tag: "uuid", val: `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase() };
    }
    default:
      throw new CellConversionError(column, value, "this column type is not supported by the host");
  }
}

/** Minimal row surface (both WIT versions' Row satisfy it). */
export interface RowSink {
  push(cell: Cell | null | undefined): void;
}

/**
 * Pushes one cell per column, in `columns` order (= get-columns order, as the host requires), taking
 * each column's value from the own property `source[column.name]` (inherited names like
 * `constructor` never match) unless `pick` says otherwise.
 */
export function pushRow(
  row: RowSink,
  columns: readonly ColumnInfo[],
  source: Readonly<Record<string, unknown>>,
  pick: (source: Readonly<Record<string, unknown>>, column: ColumnInfo) => unknown = (s, c) => (Object.hasOwn(s, c.name) ? s[c.name] : undefined),
): void {
  // Convert everything first so that a failing column doesn't leave a half-pushed row behind.
  const cells = columns.map((c) => toCell(pick(source, c), c));
  for (const cell of cells) row.push(cell);
}
