// Controllable fakes of the Supabase host for unit tests: an HTTP handler the test sets, a record
// of requests, and Context/Row/Column objects that are stricter than the real host (a cell whose
// variant does not match its column type fails loudly instead of corrupting data).
import { STATUS_CODES } from "node:http";

export type Cell = SupabaseWrappers.CellV2;
export type TypeName = SupabaseWrappers.TypeOidV2["tag"];
export type Request = SupabaseWrappers.Request;
export type Response = SupabaseWrappers.Response;

export interface FakeHttpState {
  handler: (req: Request) => Response;
  requests: Request[];
}

export const fakeHttp: FakeHttpState = {
  handler: (req) => ({ url: req.url, statusCode: 200, headers: [], body: "[]" }),
  requests: [],
};

/** Vault secrets by id or name, for the fake utils.get-vault-secret (which, like Wrappers >= 0.6.1, takes either). */
export const fakeVault = new Map<string, string>();

export function resetFakeHost(): void {
  fakeHttp.requests = [];
  fakeHttp.handler = (req) => ({ url: req.url, statusCode: 200, headers: [], body: "[]" });
  fakeVault.clear();
}

/** A JSON 200 response (or another status) for a handler. */
export function jsonResponse(body: unknown, statusCode = 200, headers: [string, string][] = []): (req: Request) => Response {
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
}

export type Value = SupabaseWrappers.V2.Value;

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
}

export class FakeSort {
  constructor(private readonly f: string) {}
  field(): string {
    return this.f;
  }
  reversed(): boolean {
    return false;
  }
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
}

export interface FakeContextInit {
  server?: Record<string, string>;
  table?: Record<string, string>;
  /** IMPORT FOREIGN SCHEMA … OPTIONS (…). */
  importSchema?: Record<string, string>;
  /** [name, type] in get-columns order. */
  columns?: [string, TypeName][];
  quals?: FakeQualInit[];
  /** ORDER BY fields. */
  sorts?: string[];
  limit?: { count: number; offset?: number };
}

export class FakeContext {
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
    return (this.init.sorts ?? []).map((f) => new FakeSort(f));
  }
  getLimit(): FakeLimit | null {
    const l = this.init.limit;
    return l === undefined ? null : new FakeLimit({ count: l.count, offset: l.offset ?? 0 });
  }
}

/** A row buffer that checks each pushed cell's variant against its column's type. */
export class FakeRow {
  cells: (Cell | null)[] = [];
  constructor(private readonly columns: readonly [string, TypeName][] = []) {}
  push(cell: Cell | null | undefined): void {
    const col = this.columns[this.cells.length];
    if (col === undefined) throw new Error("fake host: more cells pushed than columns");
    if (cell !== null && cell !== undefined && cell.tag !== col[1]) {
      throw new Error(`fake host: ${cell.tag} cell pushed into ${col[1]} column ${col[0]}`);
    }
    this.cells.push(cell ?? null);
  }
  cols(): string[] {
    return this.columns.slice(0, this.cells.length).map(([n]) => n);
  }
  clear(): void {
    this.cells = [];
  }
}
