// JSON value → cell for a column's type. The host does NO type check on row.push: a cell whose
// variant doesn't match the column's type corrupts data or crashes the backend (contract §3.4,
// §11.1). So the variant is always chosen from the column's type-oid, never from the JSON value.
// Units: date = seconds since the epoch at 00:00 UTC; timestamp/timestamptz = microseconds.

import { describeValue } from "./errors.js";
import { type RawNumbers, stringifyJson } from "./json.js";
import { wellFormed } from "./unicode.js";
import { parseDateSeconds, parseRfc3339Micros } from "./rfc3339.js";

/** How text becomes a date (seconds at 00:00 UTC) or a timestamp (microseconds); both throw with a reason. */
export interface TimeParsers {
  micros(text: string): number;
  dateSeconds(text: string): number;
}

/** Plain JS parsers (sdk/rfc3339.ts): what `toCell` and `pushRow` use. */
const JS_TIME: TimeParsers = { micros: parseRfc3339Micros, dateSeconds: parseDateSeconds };

/**
 * Parsers backed by the host's `time.parse-from-rfc3339` (chrono, exact microseconds; the same
 * parser Supabase's own guests use). With `rowPusher(hostTime(time))` an FDW leaves the JS
 * parser out of its bundle. A bare date `YYYY-MM-DD` is read as midnight UTC.
 */
export function hostTime(time: { parseFromRfc3339(text: string): number }): TimeParsers {
  const micros = time.parseFromRfc3339.bind(time);
  return { micros, dateSeconds: (text) => Math.floor(micros(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text) / 864e8) * 86_400 };
}

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
  const columns: ColumnInfo[] = [];
  for (const c of ctx.getColumns()) columns.push({ name: c.name(), type: c.typeOid().tag, num: c.num() });
  return columns;
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

/**
 * The error for a value that cannot be represented in a column: names column, type and value (the
 * value redacted and cut, sdk/errors.ts describeValue). A plain Error: MicroQuickJS cannot extend
 * Error, and the message is what matters at the boundary.
 */
export function cellError(column: ColumnInfo, value: unknown, reason: string): Error {
  return new Error(`cannot convert ${describeValue(value)} for column "${column.name}" of type ${column.type}: ${reason}`);
}

// One converter for every type: the cases share the trimming, the parse and the error reason.
function convert(value: unknown, column: ColumnInfo, time: TimeParsers, raw?: RawNumbers): Cell | null {
  if (value === undefined || value === null) return null;
  const type = column.type;
  // The common case first, without trimming or parsing anything.
  if (type === "string" && typeof value === "string") return { tag: type, val: wellFormed(value) };
  const text = typeof value === "string" ? value.trim() : undefined;
  let val: unknown;
  let reason = "expected a number";
  try {
    switch (type) {
      case "bool": {
        const t = text?.toLowerCase();
        reason = "expected a boolean";
        val = typeof value === "boolean" ? value : t === "true" || (t === "false" ? false : undefined);
        break;
      }
      case "i8":
      case "i16":
      case "i32":
      case "i64":
      case "f32":
      case "f64":
      case "numeric": {
        // A JSON number, or a numeric string (GitHub ids and some APIs send numbers as strings).
        const num = typeof value === "number" ? value : text ? Number(text) : NaN;
        if (type[0] === "i") {
          const [min, max] = INT_RANGES[type as "i8"];
          reason = "expected an integer";
          if ((typeof value === "number" || INTEGER_TEXT.test(text ?? "")) && Number.isInteger(num)) {
            reason = `out of range ${min}..${max}`;
            if (num >= min && num <= max) val = num;
          }
        } else if (typeof value === "number" || !Number.isNaN(num) || text === "NaN") {
          val = num;
          // numeric travels as f64 (≈15 significant digits); the host cannot convert NaN/Infinity.
          if (type === "numeric" && !Number.isFinite(num)) reason = "expected a finite number";
          else if (type === "f32" && Number.isFinite(num) && Math.abs(num) > F32_MAX) reason = "out of range for real (float4)";
          else break;
          val = undefined;
        }
        break;
      }
      case "string":
      case "json":
        // Exact: numbers keep the text the API sent (sdk/json.ts).
        reason = "not serialisable as JSON";
        val = stringifyJson(value, raw);
        if (typeof val === "string") val = wellFormed(val);
        break;
      case "date":
      case "timestamp":
      case "timestamptz":
        reason = "expected an RFC 3339 string or epoch seconds";
        if (typeof value === "number" && Number.isFinite(value)) {
          // Epoch seconds (openapi_fdw precedent).
          val = type === "date" ? Math.floor(value / 86_400) * 86_400 : Math.round(value * 1_000_000);
          if (!Number.isSafeInteger(val)) {
            reason = "out of range";
            val = undefined;
          }
        } else if (text !== undefined) {
          reason = "";
          val = type === "date" ? time.dateSeconds(text) : time.micros(text);
        }
        break;
      case "uuid": {
        const m = UUID_TEXT.exec(text ?? "");
        reason = "expected a UUID string";
        if (m) val = `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase();
        break;
      }
      default:
        reason = "this column type is not supported by the host";
    }
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    reason = reason ? `${reason} (${m})` : m;
  }
  if (val === undefined) throw cellError(column, value, reason);
  return { tag: type, val } as Cell;
}

/** Minimal row surface (both WIT versions' Row satisfy it). */
export interface RowSink {
  push(cell: Cell | null | undefined): void;
}

/** Where a column's value comes from; the default is the own property `source[column.name]`. */
export type ValuePicker = (source: Readonly<Record<string, unknown>>, column: ColumnInfo) => unknown;

// Own properties only: inherited names like `constructor` never match a column.
const own: ValuePicker = (s, c) => (Object.hasOwn(s, c.name) ? s[c.name] : undefined);

function push(row: RowSink, columns: readonly ColumnInfo[], source: Readonly<Record<string, unknown>>, pick: ValuePicker, time: TimeParsers, raw: RawNumbers): void {
  // Convert everything first so that a failing column doesn't leave a half-pushed row behind.
  // The exact number texts of a column come from the same picker applied to the annotations.
  const cells: (Cell | null)[] = [];
  const rawTree = raw !== undefined && typeof raw !== "string" ? (raw as Readonly<Record<string, unknown>>) : undefined;
  for (const c of columns) cells.push(convert(pick(source, c), c, time, rawTree === undefined ? undefined : (pick(rawTree, c) as RawNumbers)));
  for (const cell of cells) row.push(cell);
}

/**
 * Converts a JSON value to a cell for `column`. `undefined` (absent field) and `null` → `null`
 * (SQL NULL). Throws (cellError) when the value cannot be represented. `raw`: the value's exact
 * number texts (sdk/json.ts), used for json and text cells.
 */
export function toCell(value: unknown, column: ColumnInfo, time: TimeParsers = JS_TIME, raw?: RawNumbers): Cell | null {
  return convert(value, column, time, raw);
}

/**
 * Pushes one cell per column, in `columns` order (= get-columns order, as the host requires), taking
 * each column's value from `pick(source, column)` (default: the own property `source[column.name]`).
 * `raw`: the source's exact number annotations (from parseJsonExact / requestJson, `rawAt(raw, i)`
 * for element i of a page), so that json and text cells keep the numbers as the API sent them.
 */
export function pushRow(row: RowSink, columns: readonly ColumnInfo[], source: Readonly<Record<string, unknown>>, pick: ValuePicker = own, raw?: RawNumbers): void {
  push(row, columns, source, pick, JS_TIME, raw);
}

/**
 * `pushRow` with other time parsers: `rowPusher(hostTime(time))` uses the host's parser, and the JS
 * one (sdk/rfc3339.ts) stays out of the bundle.
 */
export function rowPusher(time: TimeParsers): typeof pushRow {
  return (row, columns, source, pick = own, raw) => push(row, columns, source, pick, time, raw);
}
