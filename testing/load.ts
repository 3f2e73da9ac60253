// loadFdw: an FDW's TypeScript source, bundled as `tsfdw build` bundles it but for Node, with the
// host modules mapped to the fake host, so a test drives the real routines in-process:
//
//   const fdw = await loadFdw(".");                 // the directory holding fdw.json
//   const customers = fdw.table("customers");       // columns and options from fdw.json's SQL
//   fakeHttp.handler = myMockApi;                   // what the API answers
//   assert.deepEqual(await customers.scan({ where: [["id", "=", 2]] }), [{ id: 2, … }]);
//
// Every call runs on a fresh instance of the module (as the host instantiates the component per
// query), through the same routine sequence as the host: init, begin-scan, iter-scan…, end-scan.
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type FdwProject, resolveProject } from "../tools/build/resolve.js";
import { cellToJson, constantCell, hostType, jsonToCell } from "./cells.js";
import { type Cell, FakeContext, type FakeContextInit, type FakeQualInit, FakeRow, type FakeSortInit, type TypeName } from "./fake-host.js";

export type Routines = SupabaseWrappers.V2.Routines;
type Ctx = SupabaseWrappers.V2.Context;
type HostRow = SupabaseWrappers.V2.Row;

/** A WHERE condition: `["id", "=", 7]`, `["id", "in", [1, 2]]`, or the host's qual shape. */
export type Where = readonly [field: string, operator: string, value: unknown] | FakeQualInit;

export interface ScanOptions {
  where?: readonly Where[];
  /** LIMIT (and OFFSET) as Postgres passes them to the guest; the scan also stops there. */
  limit?: number | { count: number; offset?: number };
  /** ORDER BY fields. */
  orderBy?: readonly (string | FakeSortInit)[];
  /** Only these columns (SELECT a, b …: the host passes the columns the query uses). */
  columns?: readonly string[];
  /** After the scan, re-scan and read again (the inner side of a nested loop); rows of both passes. */
  rescan?: boolean;
}

export interface TableDefinition {
  /** [name, Postgres type] in table order, e.g. ["id", "bigint"]. */
  columns: readonly (readonly [string, string])[];
  /** Table options (CREATE FOREIGN TABLE … OPTIONS). */
  options?: Record<string, string>;
  /** Server options (CREATE SERVER … OPTIONS); default fdw.json's sql.serverOptions. */
  server?: Record<string, string>;
}

export type JsonRow = Record<string, unknown>;

/** One foreign table of the FDW, on the fake host. */
export interface FakeTable {
  readonly columns: readonly [string, TypeName][];
  /** SELECT: the rows as the runner's `--format json` prints them. */
  scan(opts?: ScanOptions): Promise<JsonRow[]>;
  /** The raw cells of a scan. */
  scanCells(opts?: ScanOptions): Promise<(Cell | null)[][]>;
  /** INSERT: one insert call per row, in one begin-modify … end-modify. */
  insert(rows: readonly JsonRow[]): Promise<void>;
  /** UPDATE … WHERE <rowid_column> = rowid: the assigned columns only. */
  update(rowid: unknown, values: JsonRow): Promise<void>;
  /** DELETE … WHERE <rowid_column> = rowid. */
  delete(rowid: unknown): Promise<void>;
}

export interface ImportSchemaOptions {
  remoteSchema?: string;
  localSchema?: string;
  serverName?: string;
  options?: Record<string, string>;
  limitTo?: string[];
  except?: string[];
  server?: Record<string, string>;
}

export interface LoadedFdw {
  readonly project: FdwProject;
  /** The bundled JS (what componentize-qjs would get, but for Node). */
  readonly js: string;
  /** A fresh instance of the routines export. */
  instance(): Promise<Routines>;
  /** A table of fdw.json's `sql.tables` by name (server options merged with `server`), or one you define. */
  table(name: string, overrides?: { server?: Record<string, string>; options?: Record<string, string> }): FakeTable;
  table(definition: TableDefinition): FakeTable;
  /** IMPORT FOREIGN SCHEMA: the statements the guest returns. */
  importSchema(opts?: ImportSchemaOptions): Promise<string[]>;
  /** Removes the temporary bundle. */
  dispose(): void;
}

const FAKE_MODULE = /^supabase:wrappers\/(http|jwt|stats|time|types|utils)@0\.[12]\.0$/;

/** Bundles the FDW in `dir` (a directory holding fdw.json) for Node with the fake host. */
export async function loadFdw(dir = "."): Promise<LoadedFdw> {
  const project = resolveProject(dir);
  const result = await build({
    entryPoints: [project.entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    conditions: ["tsfdw-source"],
    write: false,
    logLevel: "silent",
    define: {
      TSFDW_PACKAGE_NAME: JSON.stringify(project.name),
      TSFDW_PACKAGE_VERSION: JSON.stringify(project.version),
    },
    plugins: [
      {
        name: "tsfdw-fake-host",
        setup(b) {
          b.onResolve({ filter: /^supabase:wrappers\// }, (args) => {
            const m = FAKE_MODULE.exec(args.path);
            if (m === null) return { errors: [{ text: `no such host module: ${args.path} (supabase:wrappers/{http,jwt,stats,time,types,utils}@0.1.0|0.2.0)` }] };
            return { path: new URL(`./fake-wrappers/${m[1]}.js`, import.meta.url).href, external: true };
          });
        },
      },
    ],
  }).catch((e: unknown) => {
    throw new Error(`loadFdw: bundling ${project.entry} failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  const js = result.outputFiles[0]?.text ?? "";
  const tmp = mkdtempSync(join(tmpdir(), "tsfdw-fdw-"));
  const file = join(tmp, "fdw.mjs");
  writeFileSync(file, js);
  let n = 0;
  const instance = async (): Promise<Routines> => {
    const mod = (await import(`${pathToFileURL(file).href}?instance=${++n}`)) as { routines?: Routines };
    if (mod.routines === undefined) throw new Error(`${project.entry} does not export \`routines\` (export const routines = defineRoutinesV2(…))`);
    return mod.routines;
  };

  function table(arg: string | TableDefinition, overrides: { server?: Record<string, string>; options?: Record<string, string> } = {}): FakeTable {
    let def: TableDefinition;
    if (typeof arg === "string") {
      const t = project.sql.tables.find((x) => x.name === arg);
      if (t === undefined) throw new Error(`no table ${arg} in ${project.dir}/fdw.json (sql.tables: ${project.sql.tables.map((x) => x.name).join(", ") || "none"})`);
      def = { columns: t.columns, options: { ...t.options, ...overrides.options }, server: { ...project.sql.serverOptions, ...overrides.server } };
    } else {
      def = { ...arg, server: arg.server ?? project.sql.serverOptions };
    }
    return fakeTable(instance, def);
  }

  return {
    project,
    js,
    instance,
    table,
    async importSchema(opts: ImportSchemaOptions = {}) {
      const fdw = await instance();
      const server = opts.server ?? project.sql.serverOptions;
      fdw.init(new FakeContext({ server }) as unknown as Ctx);
      const listType = opts.limitTo !== undefined ? "limit-to" : opts.except !== undefined ? "except" : "all";
      return fdw.importForeignSchema(new FakeContext({ server, importSchema: opts.options ?? {} }) as unknown as Ctx, {
        serverName: opts.serverName ?? project.sql.server,
        remoteSchema: opts.remoteSchema ?? "public",
        localSchema: opts.localSchema ?? project.sql.schema,
        listType: { tag: listType },
        tableList: opts.limitTo ?? opts.except ?? [],
      });
    },
    dispose: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

function qual(w: Where, columns: readonly [string, TypeName][]): FakeQualInit {
  if (!Array.isArray(w)) return w as FakeQualInit;
  const [field, op, value] = w as readonly [string, string, unknown];
  if (!columns.some(([n]) => n === field)) throw new Error(`where: no column ${field}`);
  if (op.toLowerCase() === "in") {
    if (!Array.isArray(value)) throw new Error(`where ${field} in …: give an array`);
    return { field, operator: "=", value: { tag: "array", val: value.map(constantCell) }, useOr: true };
  }
  return { field, operator: op, value: { tag: "cell", val: constantCell(value) } };
}

function fakeTable(instance: () => Promise<Routines>, def: TableDefinition): FakeTable {
  const columns: [string, TypeName][] = def.columns.map(([n, t]) => [n, hostType(t)]);
  const server = def.server ?? {};
  const options = def.options ?? {};
  const ctx = (init: FakeContextInit = {}): Ctx => new FakeContext({ server, table: options, columns, ...init }) as unknown as Ctx;
  const rowidColumn = (): [string, TypeName] => {
    const name = options["rowid_column"];
    if (name === undefined) throw new Error("the table has no rowid_column option: UPDATE and DELETE need one (as in Postgres)");
    const col = columns.find(([n]) => n === name);
    if (col === undefined) throw new Error(`rowid_column attribute "${name}" does not exist`);
    return col;
  };
  const toRow = (values: JsonRow, cols: readonly [string, TypeName][]): HostRow => {
    for (const k of Object.keys(values)) if (!columns.some(([n]) => n === k)) throw new Error(`no column ${k} in the table`);
    return FakeRow.of(cols, cols.map(([n, t]) => jsonToCell(values[n], t, n))) as unknown as HostRow;
  };
  const modify = async (body: (fdw: Routines, c: Ctx) => void): Promise<void> => {
    const fdw = await instance();
    const c = ctx();
    fdw.init(c);
    fdw.beginModify(c);
    body(fdw, c);
    fdw.endModify(c);
  };

  async function scanCells(opts: ScanOptions = {}): Promise<(Cell | null)[][]> {
    const used = opts.columns === undefined ? columns : opts.columns.map((n) => columns.find(([c]) => c === n) ?? fail(`no column ${n}`));
    const limit = typeof opts.limit === "number" ? { count: opts.limit, offset: 0 } : opts.limit;
    const init: FakeContextInit = {
      columns: used,
      quals: (opts.where ?? []).map((w) => qual(w, columns)),
      ...(opts.orderBy !== undefined && { sorts: [...opts.orderBy] }),
      ...(limit !== undefined && { limit: { count: limit.count, offset: limit.offset ?? 0 } }),
    };
    const fdw = await instance();
    const c = ctx(init);
    fdw.init(c);
    fdw.beginScan(c);
    const rows: (Cell | null)[][] = [];
    const read = (): void => {
      // Postgres stops pulling rows once LIMIT + OFFSET rows are out.
      const max = limit === undefined ? Infinity : limit.count + (limit.offset ?? 0);
      for (let pulled = 0; pulled < max; pulled++) {
        const row = new FakeRow(used);
        const r = fdw.iterScan(c, row as unknown as HostRow);
        if (r === null || r === undefined) return;
        if (row.cells().length !== used.length) throw new Error(`fake host: iter-scan pushed ${row.cells().length} cells for ${used.length} columns`);
        rows.push(row.cells());
      }
    };
    read();
    if (opts.rescan === true) {
      fdw.reScan(c);
      read();
    }
    fdw.endScan(c);
    return rows;
  }

  return {
    columns,
    scanCells,
    async scan(opts = {}) {
      const names = opts.columns ?? columns.map(([n]) => n);
      const cells = await scanCells(opts);
      const offset = typeof opts.limit === "object" ? (opts.limit.offset ?? 0) : 0;
      return cells.slice(offset).map((row) => Object.fromEntries(names.map((n, i) => [n, cellToJson(row[i])])));
    },
    insert: (rows) => modify((fdw, c) => rows.forEach((r) => fdw.insert(c, toRow(r, columns)))),
    update: (rowid, values) => {
      const [name, type] = rowidColumn();
      const assigned = columns.filter(([n]) => n !== name && Object.hasOwn(values, n));
      return modify((fdw, c) => fdw.update(c, jsonToCell(rowid, type, name) as Cell, toRow(values, assigned)));
    },
    delete: (rowid) => {
      const [name, type] = rowidColumn();
      return modify((fdw, c) => fdw.delete(c, jsonToCell(rowid, type, name) as Cell));
    },
  };
}

function fail(msg: string): never {
  throw new Error(msg);
}
