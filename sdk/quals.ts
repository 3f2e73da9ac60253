// WHERE conditions as the host passes them (quals, contract §3.6), read once per scan, with the
// rules that make pushdown safe:
// - Postgres rechecks every condition on the rows a scan returns, so using a qual only decides
//   what is read. A scan may read more rows than match, never fewer.
// - A qual counts as *applied* only when the FDW marks it so (`apply`, or `take`/`takeAnyOf`, which
//   mark what they return): the rows it reads are then exactly those that match that qual. LIMIT
//   may size pages only when every qual is applied (sdk/fdw.ts `pageSize`): a qual left to
//   Postgres could drop rows below the LIMIT. Mark a qual applied only when you applied it fully.
// - Constants keep their own type, not the column's: `bigint_col = 7` arrives as an i32 cell,
//   `bigint_col IN (1, 2)` as i64 cells; the micro engine passes s64 beyond ±2^53 as a decimal
//   string. Values here are JSON values of any width (sdk/cell-json.ts cellValue).
// - A qual with a parameter (`$1` of a generic plan, a sub-select) carries the value of the
//   parameter at scan start, or a placeholder (`i64 0`) when the host could not convert it: the
//   helpers ignore such quals (`param` true) and never apply them.
// - Keys compare exactly as text (`texts`, `takeTexts`, `qualMatches`): `id = 9007199254740993`
//   on micro arrives as that decimal string and must not pass through a double; `7`, `7.0`
//   (f64/numeric), `+07` all mean 7; dates and timestamps compare as instants, not as spellings.
//   On the quickjs engine an s64 beyond 2^53 is already a rounded JS number when it arrives, and
//   numeric constants are f64 on every host: those are as exact as the host made them.
// - `col IS NULL` arrives as operator `is` with the string "null": its value here is `null`.
// - `const < col` arrives as `col < const`: the operands are swapped but the operator is NOT
//   commuted, and the FDW cannot tell. `=` is safe; a range operator from a user's query may mean
//   its opposite (document that the column goes on the left).

import type { Cell } from "./cells.js";
import { cellValue } from "./cell-json.js";
import { formatDate, formatTimestamp, parseRfc3339Micros } from "./rfc3339.js";

/** One WHERE condition, read from the host once. */
export interface Qual {
  readonly field: string;
  /** Postgres operator name: `=`, `<>`, `<`, `~~` (LIKE), `is`, `is not`, … */
  readonly operator: string;
  /** The constant(s) as JSON values: one for `col op v`, the list's for IN / `= ANY` / `<> ALL`. */
  readonly values: readonly unknown[];
  /** The constant(s) as exact key texts (cellText): null for NULL. */
  readonly texts: readonly (string | null)[];
  /** The constant(s) as the host passed them (type tags as Postgres chose them). */
  readonly cells: readonly (Cell | null)[];
  /** The value is a list: `col IN (…)` / `= ANY(…)` (`anyOf`), or `<> ALL(…)` / `NOT IN` (not anyOf). */
  readonly list: boolean;
  /** For a list: any element may match (IN / ANY) rather than all (ALL). */
  readonly anyOf: boolean;
  /** The value is a parameter's (generic plans, sub-selects): possibly a placeholder, never used here. */
  readonly param: boolean;
  /** Marked applied by the FDW (see the file comment). */
  readonly applied: boolean;
}

/** The quals of one scan. */
export interface Quals {
  /** Every qual, in the host's order. */
  readonly all: readonly Qual[];
  /** Constant (non-parameter) quals on `column`, with one of `operators` when given. */
  find(column: string, operators?: readonly string[]): Qual[];
  /** The first constant `column = value` (one value, not a list). Not marked applied. */
  equal(column: string): Qual | undefined;
  /** The first constant `column = value` or `column IN (…)`. Not marked applied. */
  anyOf(column: string): Qual | undefined;
  /** `equal(column)`'s value, marked applied; undefined when there is none. */
  take(column: string): unknown;
  /** `anyOf(column)`'s values (one for `=`), marked applied; undefined when there is none. */
  takeAnyOf(column: string): unknown[] | undefined;
  /** `anyOf(column)`'s distinct key texts (cellText; NULL left out), marked applied; undefined when there is none. */
  takeTexts(column: string): string[] | undefined;
  /** Marks a qual applied: the rows read are exactly those that match it. */
  apply(qual: Qual): void;
  /** True when every qual is applied (then a LIMIT can size the pages). */
  allApplied(): boolean;
}

/** What readQuals needs from a context (both WIT versions' Context satisfy it). */
export interface QualsSource {
  getQuals(): {
    field(): string;
    operator(): string;
    value(): { tag: "cell"; val: Cell } | { tag: "array"; val: Cell[] };
    useOr(): boolean;
    param(): unknown;
  }[];
}

interface MutableQual extends Qual {
  applied: boolean;
}

/** A qual constant → JSON: `is null` / `is not null` carry the string "null", which means SQL NULL. */
function constant(operator: string, cell: Cell | null): unknown {
  if ((operator === "is" || operator === "is not") && cell?.tag === "string" && cell.val === "null") return null;
  return cellValue(cell);
}

/** Reads `ctx.getQuals()` once (each host call crosses the component boundary). */
export function readQuals(ctx: QualsSource): Quals {
  const all: MutableQual[] = [];
  for (const q of ctx.getQuals()) {
    const operator = q.operator();
    const v = q.value();
    const cells: (Cell | null)[] = v.tag === "array" ? v.val : [v.val];
    const values: unknown[] = [];
    const texts: (string | null)[] = [];
    for (const c of cells) {
      const value = constant(operator, c);
      values.push(value);
      texts.push(value === null ? null : cellText(c));
    }
    const list = v.tag === "array";
    all.push({ field: q.field(), operator, values, texts, cells, list, anyOf: list && q.useOr(), param: q.param() != null, applied: false });
  }

  const find = (column: string, operators?: readonly string[]): Qual[] => {
    const out: Qual[] = [];
    for (const q of all) if (!q.param && q.field === column && (operators === undefined || operators.includes(q.operator))) out.push(q);
    return out;
  };
  const equal = (column: string): Qual | undefined => {
    for (const q of find(column, ["="])) if (!q.list) return q;
    return undefined;
  };
  const anyOf = (column: string): Qual | undefined => {
    for (const q of find(column, ["="])) if (!q.list || (q.anyOf && q.values.length > 0)) return q;
    return undefined;
  };
  const apply = (qual: Qual): void => {
    if (qual.param) throw new Error(`the condition on ${qual.field} has a parameter, whose value may be a placeholder: it cannot be applied`);
    (qual as MutableQual).applied = true;
  };
  return {
    all,
    find,
    equal,
    anyOf,
    take(column) {
      const q = equal(column);
      if (q === undefined) return undefined;
      apply(q);
      return q.values[0];
    },
    takeAnyOf(column) {
      const q = anyOf(column);
      if (q === undefined) return undefined;
      apply(q);
      return q.values.slice();
    },
    takeTexts(column) {
      const q = anyOf(column);
      if (q === undefined) return undefined;
      apply(q);
      const out: string[] = [];
      for (const t of q.texts) if (t !== null && !out.includes(t)) out.push(t);
      return out;
    },
    apply,
    allApplied() {
      for (const q of all) if (!q.applied) return false;
      return true;
    },
  };
}

/** Plain decimal text (no exponent) → [sign, integer digits, fraction digits], or undefined; no regex (linear on long input). */
function splitDecimal(text: string): [string, string, string] | undefined {
  let i = 0;
  let sign = "";
  if (text[0] === "+" || text[0] === "-") {
    sign = text[0];
    i = 1;
  }
  let dot = -1;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 46 && dot < 0) dot = j;
    else if (c < 48 || c > 57) return undefined;
  }
  const whole = text.slice(i, dot < 0 ? text.length : dot);
  const frac = dot < 0 ? "" : text.slice(dot + 1);
  if (whole === "" && frac === "") return undefined;
  return [sign, whole, frac];
}

/** [sign, digits, fraction] → key: no leading zeros, no trailing fraction zeros, no `-0`. */
function joinDecimal(sign: string, whole: string, frac: string): string {
  let a = 0;
  while (a < whole.length - 1 && whole[a] === "0") a++;
  let b = frac.length;
  while (b > 0 && frac[b - 1] === "0") b--;
  const w = whole.slice(a) || "0";
  const body = b > 0 ? `${w}.${frac.slice(0, b)}` : w;
  return sign === "-" && body !== "0" ? `-${body}` : body;
}

/** An integer's decimal text without sign noise: `+007` → `7`, `-0` → `0`; undefined when not an integer text. */
function integerText(text: string): string | undefined {
  const p = splitDecimal(text);
  return p === undefined || p[2] !== "" || text.indexOf(".") >= 0 ? undefined : joinDecimal(p[0], p[1], "");
}

/** A number's key: integers in full decimal digits (a double's exact value), others as JS prints them. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n === 0 ? "0" : String(n);
  return String(n);
}

/**
 * A decimal text's key, exactly: `7.50` → `7.5`, `7.0` → `7`, `0012` → `12`; a text with an
 * exponent goes through a double (JSON APIs rarely send one for an id).
 */
function decimalText(text: string): string | undefined {
  const p = splitDecimal(text);
  if (p !== undefined) return joinDecimal(p[0], p[1], p[2]);
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? numberText(n) : undefined;
}

/**
 * A qual constant's exact key text, for every cell type Postgres may pass: integers of any width
 * (micro's decimal strings beyond 2^53 digit for digit), f32/f64/numeric (integral ones as
 * integers, so `7.0` = `7`), bool, text and uuid as they are, date `YYYY-MM-DD`, timestamps as
 * RFC 3339 UTC (sdk/rfc3339.ts), jsonb as its text. NULL is null.
 */
export function cellText(cell: Cell | null | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  switch (cell.tag) {
    case "i8":
    case "i16":
    case "i32":
    case "i64": {
      const v = cell.val as number | string;
      return typeof v === "number" ? numberText(v) : (integerText(v) ?? v);
    }
    case "f32":
    case "f64":
    case "numeric": {
      const v = cell.val as number | string;
      return typeof v === "number" ? numberText(v) : (decimalText(v) ?? v);
    }
    case "bool":
      return cell.val ? "true" : "false";
    case "date":
      return formatDate(Number(cell.val));
    case "timestamp":
    case "timestamptz":
      return formatTimestamp(Number(cell.val));
    default:
      // string, uuid, json (and v2's never-produced `other`)
      return String(cell.val);
  }
}

/**
 * A JSON value of an API's row as a key text comparable with cellText: numbers by their exact
 * text when `raw` (sdk/json.ts) holds it, strings as they are. Objects and arrays have no key.
 */
export function valueText(value: unknown, raw?: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return (raw !== undefined ? decimalText(raw) : undefined) ?? numberText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return value;
  return null;
}

/** Microseconds of an RFC 3339 text or a date, or undefined. */
function instant(text: string): number | undefined {
  try {
    return parseRfc3339Micros(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  } catch {
    return undefined;
  }
}

/**
 * Whether an API value equals one of an `=` / IN qual's constants, compared as Postgres would:
 * integers and decimals exactly as text (a large id never goes through a double); a number
 * against a text constant, or a numeric string against a number constant, by the same key; dates
 * and timestamps as instants (any RFC 3339 spelling); text exactly. `raw` is the value's exact
 * number text (sdk/json.ts), when it has one. Use it to narrow rows guest-side only for a qual
 * you then `apply`, and only with `=`/IN: a range operator may arrive reversed (file comment).
 */
export function qualMatches(qual: Qual, value: unknown, raw?: string): boolean {
  const text = valueText(value, raw);
  if (text === null) return false;
  const numeric = typeof value === "string" ? decimalText(value.trim()) : undefined;
  for (let i = 0; i < qual.cells.length; i++) {
    const cell = qual.cells[i];
    const want = qual.texts[i];
    if (cell === null || cell === undefined || want === null || want === undefined) continue;
    if (want === text) return true;
    const tag = cell.tag;
    if ((tag === "date" || tag === "timestamp" || tag === "timestamptz") && typeof value === "string") {
      const a = instant(value.trim());
      if (a !== undefined && a === instant(want)) return true;
    } else if (numeric !== undefined && tag !== "string" && tag !== "uuid" && tag !== "json" && tag !== "bool" && numeric === want) {
      return true;
    } else if (typeof value === "number" && tag === "string" && decimalText(want.trim()) === text) {
      return true;
    }
  }
  return false;
}
