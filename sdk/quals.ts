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
// - `col IS NULL` arrives as operator `is` with the string "null": its value here is `null`.
// - `const < col` arrives as `col < const`: the operands are swapped but the operator is NOT
//   commuted, and the FDW cannot tell. `=` is safe; a range operator from a user's query may mean
//   its opposite (document that the column goes on the left).

import type { Cell } from "./cells.js";
import { cellValue } from "./cell-json.js";

/** One WHERE condition, read from the host once. */
export interface Qual {
  readonly field: string;
  /** Postgres operator name: `=`, `<>`, `<`, `~~` (LIKE), `is`, `is not`, … */
  readonly operator: string;
  /** The constant(s) as JSON values: one for `col op v`, the list's for IN / `= ANY` / `<> ALL`. */
  readonly values: readonly unknown[];
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
    for (const c of cells) values.push(constant(operator, c));
    const list = v.tag === "array";
    all.push({ field: q.field(), operator, values, cells, list, anyOf: list && q.useOr(), param: q.param() != null, applied: false });
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
    apply,
    allApplied() {
      for (const q of all) if (!q.applied) return false;
      return true;
    },
  };
}
