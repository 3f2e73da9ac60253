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

export function resetFakeHost(): void {
  fakeHttp.requests = [];
  fakeHttp.handler = (req) => ({ url: req.url, statusCode: 200, headers: [], body: "[]" });
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

export interface FakeContextInit {
  server?: Record<string, string>;
  table?: Record<string, string>;
  /** [name, type] in get-columns order. */
  columns?: [string, TypeName][];
}

export class FakeContext {
  columnCalls = 0;
  constructor(private readonly init: FakeContextInit = {}) {}
  getOptions(kind: { tag: string }): FakeOptions {
    if (kind.tag === "server") return new FakeOptions(this.init.server ?? {});
    if (kind.tag === "table") return new FakeOptions(this.init.table ?? {});
    return new FakeOptions({});
  }
  getColumns(): FakeColumn[] {
    this.columnCalls++;
    return (this.init.columns ?? []).map(([n, t], i) => new FakeColumn(n, t, i + 1));
  }
  getQuals(): never[] {
    return [];
  }
  getSorts(): never[] {
    return [];
  }
  getLimit(): null {
    return null;
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
