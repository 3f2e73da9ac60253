/// <reference path="../sdk/wrappers.d.ts" />
// The fake Supabase host for unit tests: the `supabase:wrappers/*` modules (./fake-wrappers/,
// mapped in by ./load.ts or ./register.ts) read and record everything here. Resources have the
// host's method shapes (`row.cells()` is a method, as on the host) and are stricter than the
// host: a cell whose variant does not match its column's type, or a wrong cell count, fails
// loudly instead of corrupting data; an uppercase request header name fails as the host panics.
import { STATUS_CODES } from "node:http";

export type Cell = SupabaseWrappers.CellV2;
export type TypeName = SupabaseWrappers.TypeOidV2["tag"];
export type Request = SupabaseWrappers.Request;
export type Response = SupabaseWrappers.Response;
export type Value = SupabaseWrappers.V2.Value;
export type HttpHandler = (req: Request) => Response;

/** 2024-01-15T10:30:00Z: what the fake `time.epoch-secs` returns unless a test sets `fakeHost.nowSecs`. */
export const fakeNowSecs = 1_705_314_600;

const defaultHandler: HttpHandler = (req) => ({ url: req.url, statusCode: 200, headers: [], body: "[]" });

export interface FakeHttpState {
  /** Answers every request (all methods); default: 200 with body `[]`. */
  handler: HttpHandler;
  /** Every request the guest sent, in order (deep copies). */
  requests: Request[];
}

/** The HTTP side of the fake host (also reachable as `fakeHost.http`). */
export const fakeHttp: FakeHttpState = { handler: defaultHandler, requests: [] };

/** Vault secrets by id or name, for the fake utils.get-vault-secret (which, like Wrappers >= 0.6.1, takes either). */
export const fakeVault = new Map<string, string>();

/** `[fdw name, metric, increment]` for every stats.inc-stats call. */
export const recordedStats: [string, string, number][] = [];

/** `[level, message]` for every utils.report-* call (report-error also throws). */
export const recordedReports: [string, string][] = [];

/** Everything the fake host holds; `resetFakeHost()` restores the defaults. */
export const fakeHost = {
  http: fakeHttp,
  vault: fakeVault,
  stats: recordedStats,
  reports: recordedReports,
  /** stats.get-metadata / set-metadata, by fdw name. */
  metadata: new Map<string, string | null>(),
  /** utils.query-setting values. */
  settings: new Map<string, string>(),
  /** What time.epoch-secs returns. */
  nowSecs: fakeNowSecs,
};

export function resetFakeHost(): void {
  fakeHttp.requests = [];
  fakeHttp.handler = defaultHandler;
  fakeVault.clear();
  recordedStats.length = 0;
  recordedReports.length = 0;
  fakeHost.metadata.clear();
  fakeHost.settings.clear();
  fakeHost.nowSecs = fakeNowSecs;
}

/** A handler answering every request with this JSON body (or another status). */
export function jsonResponse(body: unknown, statusCode = 200, headers: [string, string][] = []): HttpHandler {
  return (req) => ({ url: req.url, statusCode, headers: [["content-type", "application/json"], ...headers], body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Mirrors the host: records the request, rejects uppercase header names (the host panics). */
export function fakeSend(req: Request): Response {
  for (const [name] of req.headers) {
    if (name !== name.toLowerCase()) throw new Error(`fake host: header name '${name}' is not lowercase (the real host panics)`);
  }
  fakeHttp.requests.push(structuredClone(req));
  return fakeHttp.handler(req);
}

/** Same text format as the host's error-for-status (reqwest). */
export function fakeErrorForStatus(resp: Response): void {
  if (resp.statusCode >= 400 && resp.statusCode <= 599) {
    throw new Error(`HTTP status error (${resp.statusCode} ${STATUS_CODES[resp.statusCode] ?? "<unknown status code>"}) for url (${resp.url})`);
  }
}

export class FakeColumn {
  constructor(
    private readonly n: string,
    private readonly t: TypeName,
    private readonly attnum: number,
  ) {}
  name(): string {
    return this.n;
  }
  num(): number {
    return this.attnum;
  }
  typeOid(): SupabaseWrappers.TypeOidV2 {
    return this.t === "other" ? { tag: "other", val: "unknown" } : ({ tag: this.t } as SupabaseWrappers.TypeOidV2);
  }
  drop(): void {}
}

export class FakeOptions {
  constructor(private readonly values: Readonly<Record<string, string>>) {}
  get(key: string): string | null {
    return Object.hasOwn(this.values, key) ? (this.values[key] as string) : null;
  }
  require(key: string): string {
    const v = this.get(key);
    if (v === null) throw new Error(`required option \`${key}\` is not specified`);
    return v;
  }
  requireOr(key: string, d: string): string {
    return this.get(key) ?? d;
  }
  drop(): void {}
}

/** A qual as the host builds it (contract §3.6): `col IN (…)` is operator `=`, an array value and use-or. */
export interface FakeQualInit {
  field: string;
  operator: string;
  value: Value;
  useOr?: boolean;
  param?: { id: number; typeOid: number } | null;
}

export class FakeQual {
  constructor(private readonly q: FakeQualInit) {}
  field(): string {
    return this.q.field;
  }
  operator(): string {
    return this.q.operator;
  }
  value(): Value {
    return this.q.value;
  }
  useOr(): boolean {
    return this.q.useOr ?? false;
  }
  param(): { id: number; typeOid: number } | null {
    return this.q.param ?? null;
  }
  deparse(): string {
    return `${this.q.field} ${this.q.operator} …`;
  }
  drop(): void {}
}

/** An ORDER BY entry: a field name, or the host's full shape. */
export interface FakeSortInit {
  field: string;
  fieldNo?: number;
  reversed?: boolean;
  nullsFirst?: boolean;
  collate?: string | null;
}

export class FakeSort {
  private readonly s: FakeSortInit;
  constructor(init: string | FakeSortInit) {
    this.s = typeof init === "string" ? { field: init } : init;
  }
  field(): string {
    return this.s.field;
  }
  fieldNo(): number {
    return this.s.fieldNo ?? 0;
  }
  reversed(): boolean {
    return this.s.reversed ?? false;
  }
  nullsFirst(): boolean {
    return this.s.nullsFirst ?? false;
  }
  collate(): string | null {
    return this.s.collate ?? null;
  }
  deparse(): string {
    return `${this.s.field}${this.reversed() ? " desc" : ""}`;
  }
  deparseWithCollate(): string {
    return this.deparse();
  }
  drop(): void {}
}

export class FakeLimit {
  constructor(private readonly l: { count: number; offset: number }) {}
  count(): number {
    return this.l.count;
  }
  offset(): number {
    return this.l.offset;
  }
  deparse(): string {
    return `limit ${this.l.count} offset ${this.l.offset}`;
  }
  drop(): void {}
}

export interface FakeContextInit {
  server?: Record<string, string>;
  table?: Record<string, string>;
  /** IMPORT FOREIGN SCHEMA … OPTIONS (…). */
  importSchema?: Record<string, string>;
  /** [name, host type] in get-columns order. */
  columns?: [string, TypeName][];
  quals?: FakeQualInit[];
  /** ORDER BY fields. */
  sorts?: (string | FakeSortInit)[];
  limit?: { count: number; offset?: number };
}

export class FakeContext {
  /** How often the guest called get-columns (each call is a boundary crossing on the host). */
  columnCalls = 0;
  constructor(private readonly init: FakeContextInit = {}) {}
  getOptions(kind: { tag: string }): FakeOptions {
    if (kind.tag === "server") return new FakeOptions(this.init.server ?? {});
    if (kind.tag === "table") return new FakeOptions(this.init.table ?? {});
    if (kind.tag === "import-schema") return new FakeOptions(this.init.importSchema ?? {});
    return new FakeOptions({});
  }
  getColumns(): FakeColumn[] {
    this.columnCalls++;
    return (this.init.columns ?? []).map(([n, t], i) => new FakeColumn(n, t, i + 1));
  }
  getQuals(): FakeQual[] {
    return (this.init.quals ?? []).map((q) => new FakeQual(q));
  }
  getSorts(): FakeSort[] {
    return (this.init.sorts ?? []).map((s) => new FakeSort(s));
  }
  getLimit(): FakeLimit | null {
    const l = this.init.limit;
    return l === undefined ? null : new FakeLimit({ count: l.count, offset: l.offset ?? 0 });
  }
  drop(): void {}
}

/**
 * The host's row buffer. For scans: empty, and `push` checks each cell's variant against its
 * column's type. For insert/update: built with `FakeRow.of(columns, cells)`, as the host hands
 * the new values to the guest.
 */
export class FakeRow {
  private values: (Cell | null)[] = [];
  private names: string[] | undefined;
  constructor(private readonly columns: readonly [string, TypeName][] = []) {}

  /** A filled row (what insert/update receive): `cols()` are these names, `cells()` these cells. */
  static of(columns: readonly [string, TypeName][], cells: readonly (Cell | null)[]): FakeRow {
    const row = new FakeRow(columns);
    row.names = columns.map(([n]) => n);
    row.values = [...cells];
    return row;
  }

  push(cell: Cell | null | undefined): void {
    if (this.names !== undefined) throw new Error("fake host: push on a row of new values (insert/update rows are read-only)");
    const col = this.columns[this.values.length];
    if (col === undefined) throw new Error(`fake host: more cells pushed than the ${this.columns.length} columns`);
    if (cell !== null && cell !== undefined && cell.tag !== col[1]) {
      throw new Error(`fake host: ${cell.tag} cell pushed into ${col[1]} column ${col[0]}`);
    }
    this.values.push(cell ?? null);
  }
  cols(): string[] {
    return this.names ?? this.columns.slice(0, this.values.length).map(([n]) => n);
  }
  cells(): (Cell | null)[] {
    return [...this.values];
  }
  /** The host clears the buffer before every iter-scan. */
  clear(): void {
    if (this.names === undefined) this.values = [];
  }
  drop(): void {}
}
