// Values ↔ cells for tests, in the same shapes as the runner's `--format json` (so one assertion
// fits the fake host and the runner): date "YYYY-MM-DD", timestamp "YYYY-MM-DDTHH:MM:SS[.ffffff]",
// timestamptz the same with "Z", jsonb as a JSON value, numbers as numbers, uuid as text.
import { SUPPORTED_PG_TYPES, hostTypeOf } from "../tools/build/pg-types.js";
import type { Cell, TypeName } from "./fake-host.js";

/** Host type of a Postgres column type, e.g. `bigint` → `i64`, `numeric(10,2)` → `numeric`; throws for others. */
export function hostType(pgType: string): TypeName {
  const tag = hostTypeOf(pgType);
  if (tag === undefined) throw new Error(`column type ${pgType} is not one the Wasm FDW host supports (${SUPPORTED_PG_TYPES.join(", ")})`);
  return tag;
}

export { SUPPORTED_PG_TYPES };

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

function isoFromMicros(us: number): string {
  const secs = Math.floor(us / 1_000_000);
  const frac = us - secs * 1_000_000;
  const d = new Date(secs * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return frac === 0 ? base : `${base}.${pad(frac, 6)}`;
}

/** A cell as the runner's `--format json` prints it (null for SQL NULL). */
export function cellToJson(cell: Cell | null | undefined): unknown {
  if (cell === null || cell === undefined) return null;
  switch (cell.tag) {
    case "date":
      return isoFromMicros(cell.val * 1_000_000).slice(0, 10);
    case "timestamp":
      return isoFromMicros(cell.val);
    case "timestamptz":
      return `${isoFromMicros(cell.val)}Z`;
    case "json":
      try {
        return JSON.parse(cell.val) as unknown;
      } catch {
        return cell.val;
      }
    case "i8":
      return String.fromCharCode(cell.val & 0xff);
    default:
      return cell.val;
  }
}

const INT_RANGE: Partial<Record<TypeName, [number, number]>> = {
  i8: [-128, 127],
  i16: [-32_768, 32_767],
  i32: [-2_147_483_648, 2_147_483_647],
  i64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function micros(text: string, zoned: boolean, column: string): number {
  const m = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d:\d\d)(\.\d{1,6})?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i.exec(text.trim());
  if (m === null) throw new Error(`column ${column}: invalid timestamp "${text}"`);
  const zone = zoned && m[4] !== undefined ? (m[4].toUpperCase() === "Z" ? "Z" : m[4].length === 3 ? `${m[4]}:00` : m[4].replace(/^([+-]\d\d)(\d\d)$/, "$1:$2")) : "Z";
  const ms = Date.parse(`${m[1]}T${m[2] ?? "00:00:00"}${zone}`);
  if (Number.isNaN(ms)) throw new Error(`column ${column}: invalid timestamp "${text}"`);
  return ms * 1000 + Number((m[3] ?? ".").slice(1).padEnd(6, "0"));
}

/**
 * A JSON value → the cell the host would pass for it in a column of `type` (as the runner's
 * `--values`/`--rowid` do): null → NULL; jsonb takes any value; strings are parsed for numbers,
 * booleans, dates and timestamps.
 */
export function jsonToCell(value: unknown, type: TypeName, column = "?"): Cell | null {
  if (value === null || value === undefined) return null;
  if (type === "json") return { tag: "json", val: JSON.stringify(value) };
  if (typeof value === "object") throw new Error(`column ${column} (${type}): only scalars are accepted, got ${JSON.stringify(value)}`);
  const text = String(value);
  const range = INT_RANGE[type];
  if (range !== undefined && type !== "i8") {
    const n = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim()) || n < range[0] || n > range[1]) throw new Error(`column ${column} (${type}): ${text} is not an integer in range`);
    return { tag: type, val: n } as Cell;
  }
  switch (type) {
    case "i8":
      return { tag: "i8", val: text.charCodeAt(0) };
    case "bool": {
      const t = text.trim().toLowerCase();
      if (["t", "true", "yes", "y", "on", "1"].includes(t)) return { tag: "bool", val: true };
      if (["f", "false", "no", "n", "off", "0"].includes(t)) return { tag: "bool", val: false };
      throw new Error(`column ${column} (bool): ${text} is not a boolean`);
    }
    case "f32":
    case "f64":
    case "numeric": {
      const n = Number(text);
      if (Number.isNaN(n) && text.trim() !== "NaN") throw new Error(`column ${column} (${type}): ${text} is not a number`);
      return { tag: type, val: n };
    }
    case "string":
      return { tag: "string", val: text };
    case "date":
      return { tag: "date", val: Math.floor(micros(text, false, column) / 86_400_000_000) * 86_400 };
    case "timestamp":
      return { tag: "timestamp", val: micros(text, false, column) };
    case "timestamptz":
      return { tag: "timestamptz", val: micros(text, true, column) };
    case "uuid":
      return { tag: "uuid", val: text.trim().toLowerCase() };
    default:
      throw new Error(`column ${column}: type ${type} cannot be written`);
  }
}

/**
 * The cell Postgres hands the guest for a constant in a WHERE clause: integers as i32 when they
 * fit (so `id = 7` on a bigint column arrives as i32, as in Postgres), else i64; other numbers as
 * numeric; strings as text; booleans as bool. A Cell object passes through.
 */
export function constantCell(value: unknown): Cell {
  if (value !== null && typeof value === "object" && "tag" in value) return value as Cell;
  if (typeof value === "boolean") return { tag: "bool", val: value };
  if (typeof value === "number") {
    if (Number.isInteger(value)) return Math.abs(value) <= 2_147_483_647 ? { tag: "i32", val: value } : { tag: "i64", val: value };
    return { tag: "numeric", val: value };
  }
  if (typeof value === "string") return { tag: "string", val: value };
  throw new Error(`cannot make a qual constant of ${JSON.stringify(value)}: pass a number, string, boolean or a Cell`);
}
