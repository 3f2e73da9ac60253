// IMPORT FOREIGN SCHEMA from a declarative FDW's tables (sdk/fdw.ts): one
// `create foreign table if not exists "<table>" (<columns>) server "<server>" options (object '…',
// rowid_column '…')` per declared table, in declaration order. A table whose object has `{names}`
// is imported once per value of its import option (`repo 'octocat/Hello-World, acme/rocket'`): the
// value fills the names (`repos/{owner}/{repo}/events` → `repos/octocat/Hello-World/events`), and
// with several values each table name gets the value appended (`repo_events_octocat__hello_world`:
// lowercased, `/` as `__`, anything else not a word character as `_`). LIMIT TO / EXCEPT are
// applied here too (Postgres applies them again).

import { fillObject, hasNames, matchObject } from "./objects.js";
import type { OptionSet } from "./options.js";

/** How IMPORT FOREIGN SCHEMA fills a templated object's names. */
export interface ImportSpec {
  /** The IMPORT FOREIGN SCHEMA option whose value(s) fill the names, e.g. `repo`. */
  option: string;
  /** What a value looks like, for the error: `owner/name`, `a login`. */
  expected: string;
}

/** A column as declared: its Postgres type, or the type and the JSON path it is read from. */
export type ColumnSpec = string | { readonly type: string; readonly path?: string | readonly string[] };

/** What import needs of a declared table. */
export interface ImportableTable {
  readonly object: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** The rowid column (`rowid_column` of the imported table). */
  readonly key?: string;
  readonly import?: ImportSpec;
}

export interface ImportStatement {
  serverName: string;
  listType: { tag: "all" } | { tag: "limit-to" } | { tag: "except" };
  tableList: string[];
}

const ident = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** `id bigint, name text, …` for a CREATE FOREIGN TABLE. */
export function columnList(columns: Readonly<Record<string, ColumnSpec>>): string {
  const parts: string[] = [];
  for (const name of Object.keys(columns)) {
    const spec = columns[name] as ColumnSpec;
    parts.push(`${ident(name)} ${typeof spec === "string" ? spec : spec.type}`);
  }
  return parts.join(", ");
}

/** The CREATE FOREIGN TABLE statements for `tables` (see the file comment). */
export function importStatements(tables: Readonly<Record<string, ImportableTable>>, stmt: ImportStatement, options: OptionSet, objectOption = "object"): string[] {
  const out: string[] = [];
  const server = stmt.serverName.replace(/"/g, '""');
  const tag = stmt.listType.tag;
  for (const name of Object.keys(tables)) {
    const table = tables[name] as ImportableTable;
    let values: string[] = [""];
    if (hasNames(table.object)) {
      if (table.import === undefined) continue; // nothing can fill its names
      values = (options.get(table.import.option) ?? "").match(/[^\s,]+/g) ?? [];
    }
    for (const value of values) {
      const object = value === "" ? table.object : fillObject(table.object, value);
      if (value !== "" && matchObject(table.object, object) === undefined) {
        const spec = table.import as ImportSpec;
        throw new Error(`invalid IMPORT FOREIGN SCHEMA option ${spec.option} '${value}': expected ${spec.expected}, or a comma-separated list of them`);
      }
      const local = values.length > 1 ? `${name}_${value.toLowerCase().split("/").join("__").replace(/\W/g, "_")}` : name;
      if (tag !== "all" && stmt.tableList.includes(local) !== (tag === "limit-to")) continue;
      const opts = [`${objectOption} ${literal(object)}`];
      if (table.key !== undefined) opts.push(`rowid_column ${literal(table.key)}`);
      out.push(`create foreign table if not exists "${local.replace(/"/g, '""')}" (${columnList(table.columns)}) server "${server}" options (${opts.join(", ")})`);
    }
  }
  return out;
}
