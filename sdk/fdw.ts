// The declarative layer: an FDW declares its server options and its tables (object, columns, key)
// and gives each table a `scan(ctx)` returning a lazy sequence of JSON objects, plus, for writable
// tables, `insert` / `update` / `delete` taking JSON. `defineFdw` turns that into the routines the
// host calls, on top of defineRoutinesV2 (every throw a plain, redacted, capped Error):
//
//   begin-scan  the table named by the `object` option (its `{names}` in ctx.params), the server
//               options read and checked, `connect`, the quals read once; `scan(ctx)`; the first
//               row pulled at once, so that request errors surface in begin-scan
//   iter-scan   the next row → one cell per column, typed by the column (sdk/cells.ts), json and
//               text cells with the API's exact numbers; a conversion error names the row
//   re-scan     the rows read so far are replayed, then the sequence goes on (up to `replay` rows
//               kept; past that, the scan runs again)
//   end-scan    state dropped (also when called without begin-scan: plain EXPLAIN)
//   LIMIT       `ctx.pageSize(max)` = LIMIT + OFFSET when every qual is applied and nothing is
//               sorted; `LIMIT 0` reads nothing
//   stats       with `stats`: rows-in and bytes-in (what the pages counted) once per scan, at the end
//               of the data or when LIMIT + OFFSET rows were read under LIMIT pushdown — never from
//               end-scan, where the host cannot run SQL
//   modify      the row (cell → JSON, sdk/cell-json.ts) and the rowid as JSON; `ctx.json(value)`
//               writes the row's numbers exactly; a table without writers is read-only
//   import      IMPORT FOREIGN SCHEMA from the declared tables (sdk/import-schema.ts)
//
// Per-instance state lives in the closure of defineFdw: the host instantiates the component per
// scan or modify, and the module (so this closure) is new each time.

import { type ColumnInfo, type RowSink, hostTime, pushRow, readColumns, rowPusher } from "./cells.js";
import { type JsonObject, cellValue, rowJson } from "./cell-json.js";
import { withContext } from "./errors.js";
import { jsonShape } from "./http.js";
import { type ColumnSpec, type ImportSpec, importStatements } from "./import-schema.js";
import { type RawNumbers, stringifyJson } from "./json.js";
import { matchObject, normalizeObject } from "./objects.js";
import { type OptionSpecs, type OptionValues, readDeclaredOptions } from "./option-specs.js";
import { type OptionSet, optionSet, readOptions, requireOption } from "./options.js";
import { packageInfo } from "./package.js";
import type { PagingContext } from "./pages.js";
import { type Quals, readQuals } from "./quals.js";
import { defineRoutinesV2 } from "./routines.js";
import { type Rows, type Sequence, toSequence } from "./sequence.js";

type Ctx = SupabaseWrappers.V2.Context;
type HostRow = SupabaseWrappers.V2.Row;
type HostCell = SupabaseWrappers.V2.Cell;
type Routines = SupabaseWrappers.V2.Routines;

/** What every routine of a table gets. */
export interface FdwContext<S extends OptionSpecs = OptionSpecs, C = unknown> {
  /** The declared table's name (its IMPORT FOREIGN SCHEMA name). */
  readonly table: string;
  /** The `object` table option, without surrounding spaces and slashes. */
  readonly object: string;
  /** The values of the object template's `{names}`: `{ owner: "octocat", repo: "Hello-World" }`. */
  readonly params: Readonly<Record<string, string>>;
  /** The declared server options, typed and checked. */
  readonly server: OptionValues<S>;
  /** The table options (CREATE FOREIGN TABLE … OPTIONS). */
  readonly options: OptionSet;
  /** What `connect` returned for this scan or modify. */
  readonly client: C;
}

/** What `connect` gets: the options, before there is a client. */
export type ConnectContext<S extends OptionSpecs = OptionSpecs> = Omit<FdwContext<S, never>, "client">;

export interface ScanContext<S extends OptionSpecs = OptionSpecs, C = unknown> extends FdwContext<S, C>, PagingContext {
  /** The columns the scan must produce (name, host type), in push order. */
  readonly columns: readonly ColumnInfo[];
  /** The WHERE conditions (sdk/quals.ts): mark what you apply remotely. */
  readonly quals: Quals;
  /** LIMIT and OFFSET of the query, when Postgres passed them (a hint: see pageSize). */
  readonly limit: { readonly count: number; readonly offset: number } | undefined;
  /** The query has an ORDER BY the host passed on (the scan need not sort: Postgres does). */
  readonly sorted: boolean;
  /** `min(max, LIMIT + OFFSET)` when every qual is applied and nothing is sorted, else `max`. */
  pageSize(max: number): number;
  /** Counts rows and bytes received (the pagers do it with each page's `bytes`), for `stats`. */
  received(rows: number, bytes: number): void;
  /** A row's key (`key` column), or undefined when the table declares none. */
  rowKey(row: unknown): unknown;
}

export interface WriteContext<S extends OptionSpecs = OptionSpecs, C = unknown> extends FdwContext<S, C> {
  /** JSON text of `value`, with the exact numbers of the row being written (jsonb values, big integers). */
  json(value: unknown): string;
}

export interface TableDefinition<S extends OptionSpecs = OptionSpecs, C = unknown> {
  /** The `object` option that selects this table: a name, or a template whose `{name}` parts take one path segment each. */
  object: string;
  /**
   * Columns in order: name → Postgres type, or `{ type, path }` for a value inside the row
   * (`path: "repo.name"`). What IMPORT FOREIGN SCHEMA writes; a scan serves any column the foreign
   * table has, by name (absent → NULL).
   */
  columns: Readonly<Record<string, ColumnSpec>>;
  /** The column that identifies a row: rowid_column of imported tables, the key of de-duplication and of messages. */
  key?: string;
  /** What a row is called in messages: `event 7: cannot convert …` (default `row`). */
  rowName?: string;
  /** How IMPORT FOREIGN SCHEMA fills a templated object (else such a table is not imported). */
  import?: ImportSpec;
  /** Rows kept for a re-scan to replay (default 10,000; past that a re-scan reads again; 0: never keep). */
  replay?: number;
  /** The rows: a lazy sequence (fetch in `next()`), or an array. */
  scan(ctx: ScanContext<S, C>): Rows<JsonObject>;
  insert?(ctx: WriteContext<S, C>, row: JsonObject): void;
  /** `row`: only the columns the UPDATE assigns (Postgres does not pass the rowid column). */
  update?(ctx: WriteContext<S, C>, rowid: unknown, row: JsonObject): void;
  delete?(ctx: WriteContext<S, C>, rowid: unknown): void;
}

/** The part of the host `time` module the SDK uses (exact µs parsing with chrono). */
export interface TimeModule {
  parseFromRfc3339(text: string): number;
}
/** The part of the host `stats` module the SDK uses. */
export interface StatsModule {
  incStats(fdwName: string, metric: { tag: "rows-in" } | { tag: "bytes-in" }, inc: number): void;
}

export interface FdwDefinition<S extends OptionSpecs, C> {
  /** Name in messages (`github_events_fdw: …`); default: the package name from fdw.json. */
  name?: string;
  /** Semver requirement on the host (default `^0.1.0`, which every Supabase Wasm host accepts). */
  hostVersion?: string;
  /** Server options: read and checked at the start of every scan and modify (sdk/option-specs.ts). */
  server?: S;
  /** The table option naming the object (default `object`). */
  objectOption?: string;
  /** The host's `time` module: timestamps are then parsed by the host (chrono), else by sdk/rfc3339.ts. */
  time?: TimeModule;
  /** The host's `stats` module: rows-in and bytes-in per scan (see the file comment). */
  stats?: StatsModule;
  /** Once per scan / modify, after the options: what the table functions share (headers, a token, a client). */
  connect?(ctx: ConnectContext<S>): C;
  /** The tables, by IMPORT FOREIGN SCHEMA name, in the order of the error and import lists. */
  tables: Readonly<Record<string, TableDefinition<S, C>>>;
}

const DEFAULT_REPLAY = 10_000;
const DEFAULT_HOST_VERSION = "^0.1.0";

/** A column's value inside a row: a declared path, else the own property of its name. */
type Path = readonly string[];

function valueAt(source: unknown, path: Path): unknown {
  let v = source;
  for (const key of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function pathsOf(columns: Readonly<Record<string, ColumnSpec>>): Record<string, Path> {
  const paths = Object.create(null) as Record<string, Path>;
  for (const name of Object.keys(columns)) {
    const spec = columns[name] as ColumnSpec;
    const p = typeof spec === "string" ? undefined : spec.path;
    if (p !== undefined) paths[name] = typeof p === "string" ? p.split(".") : p;
  }
  return paths;
}

/** One scan: the sequence, the rows kept for re-scans, the LIMIT and the stats counters. */
interface ScanState {
  ctx: ScanContext<OptionSpecs, unknown>;
  def: TableDefinition<OptionSpecs, unknown>;
  seq: Sequence<JsonObject>;
  /** Rows returned so far and their annotations, for a re-scan to replay (undefined: not kept). */
  kept: JsonObject[] | undefined;
  keptRaw: RawNumbers[];
  /** Rows returned since begin-scan or re-scan (the next kept row to replay while below kept.length). */
  at: number;
  /** The row begin-scan pulled ahead, not returned yet. */
  ahead: JsonObject | undefined;
  aheadRaw: RawNumbers;
  /** Annotations of the row pull() returned last. */
  pulledRaw: RawNumbers;
  done: boolean;
  /** Rows taken from the sequence, and LIMIT + OFFSET when it is pushed down (else Infinity). */
  pulled: number;
  need: number;
  rowsIn: number;
  bytesIn: number;
  rowsReported: number;
  bytesReported: number;
  pick(source: Readonly<Record<string, unknown>>, column: ColumnInfo): unknown;
}

/** The table a foreign table's `object` names, its options and client. */
interface Resolved<S extends OptionSpecs, C> {
  def: TableDefinition<S, C>;
  base: FdwContext<S, C>;
}

interface WriteState<S extends OptionSpecs, C> extends Resolved<S, C> {
  ctx: WriteContext<S, C>;
  /** Annotations of the row being written (ctx.json writes them). */
  raw: RawNumbers;
}

/**
 * The `routines` export of a declarative FDW (see the file comment). Exports
 * `supabase:wrappers/routines@0.2.0` (fdw.json `"wrappers": "0.2.0"`, the default).
 */
export function defineFdw<const S extends OptionSpecs = Record<never, never>, C = undefined>(def: FdwDefinition<S, C>): Routines {
  const name = def.name ?? packageInfo().name;
  const objectOption = def.objectOption ?? "object";
  const tableNames = Object.keys(def.tables);
  const tableOf = (t: string): TableDefinition<S, C> => def.tables[t] as TableDefinition<S, C>;
  const push = def.time !== undefined ? rowPusher(hostTime(def.time)) : pushRow;
  let scan: ScanState | undefined;
  let write: WriteState<S, C> | undefined;
  /** The declared server options as init saw them (the host passes them to every routine; a fake may not). */
  let initServer: Record<string, string | undefined> = {};

  function init(ctx: Ctx): void {
    const set = readOptions(ctx, "server");
    initServer = {};
    for (const key of Object.keys(def.server ?? {})) initServer[key] = set.get(key);
  }

  /** The server options of a routine's context, falling back to init's for a key it does not have. */
  function serverOptions(ctx: Ctx): OptionSet {
    const set = readOptions(ctx, "server");
    return { kind: "server", get: (key) => set.get(key) ?? initServer[key] };
  }

  /** The declared table the foreign table's `object` names, with the server options and the client. */
  function resolve(ctx: Ctx): Resolved<S, C> {
    const tableOptions = readOptions(ctx, "table");
    const example = tableNames.length > 0 ? `options (${objectOption} '${tableOf(tableNames[0] as string).object}')` : undefined;
    const object = normalizeObject(requireOption(tableOptions, objectOption, example));
    for (const t of tableNames) {
      const table = tableOf(t);
      const params = matchObject(table.object, object);
      if (params === undefined) continue;
      const server = readDeclaredOptions(serverOptions(ctx), def.server ?? ({} as S));
      const partial: ConnectContext<S> = { table: t, object, params, server, options: tableOptions };
      const client = def.connect !== undefined ? def.connect(partial) : (undefined as C);
      return { def: table, base: { ...partial, client } };
    }
    const objects = tableNames.map((t) => tableOf(t).object);
    const names = objects.some((o) => o.indexOf("{") >= 0) ? " (a name must not be empty, '.' or '..')" : "";
    throw new Error(`invalid table option ${objectOption} '${object}': expected one of ${objects.join(", ")}${names}`);
  }

  /** rows-in / bytes-in not reported yet (both, as one report). */
  function report(s: ScanState): void {
    if (def.stats === undefined || (s.rowsIn <= s.rowsReported && s.bytesIn <= s.bytesReported)) return;
    const fdwName = packageInfo().name;
    def.stats.incStats(fdwName, { tag: "rows-in" }, s.rowsIn - s.rowsReported);
    def.stats.incStats(fdwName, { tag: "bytes-in" }, s.bytesIn - s.bytesReported);
    s.rowsReported = s.rowsIn;
    s.bytesReported = s.bytesIn;
  }

  /** The next row of the sequence (its annotations in s.pulledRaw), or undefined at the end. */
  function pull(s: ScanState): JsonObject | undefined {
    if (s.done || s.need === 0) return undefined; // LIMIT 0: Postgres pulls nothing
    const row = s.seq.next();
    if (row === undefined) {
      s.done = true;
      report(s);
      return undefined;
    }
    s.pulledRaw = s.seq.raw?.();
    s.pulled++;
    if (s.pulled === s.need) report(s); // Postgres usually pulls no more under a pushed LIMIT
    return row;
  }

  /** (Re)starts the table's scan: the sequence, the pushed LIMIT, and the first row pulled ahead. */
  function start(s: ScanState): void {
    s.seq = toSequence(s.def.scan(s.ctx));
    const limit = s.ctx.limit;
    s.need = limit !== undefined && s.ctx.quals.allApplied() && !s.ctx.sorted ? limit.count + limit.offset : Infinity;
    s.done = false;
    s.pulled = 0;
    // The first row now, so that request errors surface in begin-scan.
    s.ahead = pull(s);
    s.aheadRaw = s.pulledRaw;
  }

  function beginScan(ctx: Ctx): void {
    scan = undefined;
    const r = resolve(ctx);
    const columns = readColumns(ctx);
    const quals = readQuals(ctx);
    const limitHandle = ctx.getLimit();
    // s64 is a decimal string beyond 2^53 on the micro engine.
    const limit = limitHandle === null ? undefined : { count: Number(limitHandle.count()), offset: Number(limitHandle.offset()) };
    const sorted = ctx.getSorts().length > 0;
    const key = r.def.key;
    const paths = pathsOf(r.def.columns);
    const replay = r.def.replay ?? DEFAULT_REPLAY;
    let s: ScanState | undefined;
    const sctx: ScanContext<S, C> = {
      ...r.base,
      columns,
      quals,
      limit,
      sorted,
      pageSize: (max: number): number => (limit === undefined || sorted || !quals.allApplied() ? max : Math.min(max, limit.count + limit.offset)),
      received(rows: number, bytes: number): void {
        if (s === undefined) return;
        s.rowsIn += rows;
        s.bytesIn += bytes;
      },
      rowKey: (row: unknown): unknown => (key === undefined ? undefined : valueAt(row, [key])),
    };
    s = {
      ctx: sctx as ScanContext<OptionSpecs, unknown>,
      def: r.def as TableDefinition<OptionSpecs, unknown>,
      seq: toSequence<JsonObject>([]),
      kept: replay > 0 ? [] : undefined,
      keptRaw: [],
      at: 0,
      ahead: undefined,
      aheadRaw: undefined,
      pulledRaw: undefined,
      done: false,
      pulled: 0,
      need: Infinity,
      rowsIn: 0,
      bytesIn: 0,
      rowsReported: 0,
      bytesReported: 0,
      pick: (source, c) => {
        const p = paths[c.name];
        return p === undefined ? (Object.hasOwn(source, c.name) ? source[c.name] : undefined) : valueAt(source, p);
      },
    };
    scan = s;
    start(s);
  }

  /** The next row for iter-scan (its annotations in s.aheadRaw), or undefined at the end. */
  function nextRow(s: ScanState): [JsonObject, RawNumbers] | undefined {
    if (s.kept !== undefined && s.at < s.kept.length) {
      const i = s.at++;
      return [s.kept[i] as JsonObject, s.keptRaw[i]];
    }
    let row = s.ahead;
    let raw = s.aheadRaw;
    if (row !== undefined) {
      s.ahead = undefined;
    } else {
      row = pull(s);
      raw = s.pulledRaw;
      if (row === undefined) return undefined;
    }
    if (s.kept !== undefined) {
      if (s.kept.length < (s.def.replay ?? DEFAULT_REPLAY)) {
        s.kept.push(row);
        s.keptRaw.push(raw);
      } else {
        s.kept = undefined; // too many to keep: a re-scan reads again
        s.keptRaw = [];
      }
    }
    s.at++;
    return [row, raw];
  }

  function iterScan(_ctx: Ctx, row: HostRow): number | null {
    const s = scan;
    if (s === undefined) return null;
    const next = nextRow(s);
    if (next === undefined) return null;
    const [item, raw] = next;
    const rowName = s.def.rowName ?? "row";
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new Error(`${name}: ${rowName} #${s.at} of the scan is ${jsonShape(item)}, not a JSON object`);
    }
    try {
      push(row as RowSink, s.ctx.columns, item, s.pick, raw);
    } catch (e) {
      const k = s.def.key === undefined ? undefined : valueAt(item, [s.def.key]);
      throw withContext(`${rowName} ${String(k ?? `#${s.at}`)}`, e);
    }
    return 0;
  }

  function reScan(): void {
    const s = scan;
    if (s === undefined) return;
    s.at = 0;
    if (s.kept !== undefined) return; // replay the rows kept, then go on with the sequence
    // Not kept (replay 0, or more rows than `replay`): read again from the start.
    s.kept = (s.def.replay ?? DEFAULT_REPLAY) > 0 ? [] : undefined;
    s.keptRaw = [];
    start(s);
  }

  // ---------------------------------------------------------------- modify
  const writable = tableNames.some((t) => {
    const d = tableOf(t);
    return d.insert !== undefined || d.update !== undefined || d.delete !== undefined;
  });

  function beginModify(ctx: Ctx): WriteState<S, C> {
    write = undefined;
    const r = resolve(ctx);
    if (r.def.insert === undefined && r.def.update === undefined && r.def.delete === undefined) {
      throw new Error(`${name}: foreign table (${objectOption} '${r.base.object}') is read-only: INSERT, UPDATE and DELETE are not supported`);
    }
    const w: WriteState<S, C> = { ...r, ctx: { ...r.base, json: (value: unknown) => stringifyJson(value, w.raw) ?? "null" }, raw: undefined };
    write = w;
    return w;
  }

  /** The modify state (begin-modify's), checked to support `op`. */
  function writer(ctx: Ctx, op: "insert" | "update" | "delete"): WriteState<S, C> {
    const w = write ?? beginModify(ctx);
    if (w.def[op] === undefined) throw new Error(`${name}: foreign table (${objectOption} '${w.base.object}') does not support ${op.toUpperCase()}`);
    return w;
  }

  // Without any writable table the SDK's defaults answer (defineRoutinesV2: the read-only error).
  const modify: Partial<Routines> = writable
    ? {
        beginModify(ctx: Ctx) {
          beginModify(ctx);
        },
        insert(ctx: Ctx, row: HostRow) {
          const w = writer(ctx, "insert");
          const json = rowJson(row);
          w.raw = json.raw;
          w.def.insert?.(w.ctx, json.value);
        },
        update(ctx: Ctx, rowid: HostCell, row: HostRow) {
          const w = writer(ctx, "update");
          const json = rowJson(row);
          w.raw = json.raw;
          w.def.update?.(w.ctx, cellValue(rowid), json.value);
        },
        delete(ctx: Ctx, rowid: HostCell) {
          const w = writer(ctx, "delete");
          w.raw = undefined;
          w.def.delete?.(w.ctx, cellValue(rowid));
        },
        endModify() {
          write = undefined;
        },
      }
    : {};

  return defineRoutinesV2(
    { name, hostVersion: def.hostVersion ?? DEFAULT_HOST_VERSION, objectOption },
    {
      init,
      beginScan,
      iterScan,
      reScan,
      endScan() {
        scan = undefined;
      },
      ...modify,
      importForeignSchema(ctx: Ctx, stmt: SupabaseWrappers.ImportForeignSchemaStmt) {
        return importStatements(def.tables, stmt, optionSet(ctx.getOptions({ tag: "import-schema" }), "import-schema"), objectOption);
      },
    },
  );
}
