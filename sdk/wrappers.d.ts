// Typings for the host modules `supabase:wrappers/*@0.1.0` and `@0.2.0`, exactly as componentize-qjs
// presents them to JavaScript (see the design notes on the guest toolchain):
//   - s64/u64 are numbers (exact up to 2^53); u16/u32 numbers.
//   - variants are `{ tag: "kebab-name", val }`, payload-less cases `{ tag }`.
//   - option<T> is `T | null` from the host; the guest may pass `null` or `undefined`.
//   - records have camelCase keys; resources are classes with camelCase methods.
//   - functions returning result<T, E> return T and throw an Error whose message is E.
// A script file (no top-level import/export) so that the `declare module` blocks are ambient.
// Shared shapes live in the global namespace `SupabaseWrappers`; each module re-exports its version.

declare namespace SupabaseWrappers {
  /** Resource handles: owned ones may be dropped early; borrowed ones expire when the call returns. */
  interface Disposable {
    drop?(): void;
  }

  // ---------------------------------------------------------------- types (v1 = @0.1.0)
  type TypeOidV1 =
    | { tag: "bool" }
    | { tag: "i8" }
    | { tag: "i16" }
    | { tag: "f32" }
    | { tag: "i32" }
    | { tag: "f64" }
    | { tag: "i64" }
    | { tag: "numeric" }
    | { tag: "string" }
    | { tag: "date" }
    | { tag: "timestamp" }
    | { tag: "timestamptz" }
    | { tag: "json" };
  /** v2 adds `uuid` and `other(string)` (the host never produces `other`). */
  type TypeOidV2 = TypeOidV1 | { tag: "uuid" } | { tag: "other"; val: string };

  /** Units: date = seconds since the Unix epoch, timestamp/timestamptz = microseconds. */
  type CellV1 =
    | { tag: "bool"; val: boolean }
    | { tag: "i8"; val: number }
    | { tag: "i16"; val: number }
    | { tag: "f32"; val: number }
    | { tag: "i32"; val: number }
    | { tag: "f64"; val: number }
    | { tag: "i64"; val: number }
    | { tag: "numeric"; val: number }
    | { tag: "string"; val: string }
    | { tag: "date"; val: number }
    | { tag: "timestamp"; val: number }
    | { tag: "timestamptz"; val: number }
    | { tag: "json"; val: string };
  type CellV2 = CellV1 | { tag: "uuid"; val: string } | { tag: "other"; val: string };

  type ValueV1 = { tag: "cell"; val: CellV1 } | { tag: "array"; val: CellV1[] };
  type ValueV2 = { tag: "cell"; val: CellV2 } | { tag: "array"; val: CellV2[] };

  interface Param {
    id: number;
    typeOid: number;
  }

  type OptionsTypeV1 = { tag: "server" } | { tag: "table" };
  type OptionsTypeV2 = OptionsTypeV1 | { tag: "import-schema" } | { tag: "other"; val: string };

  type ImportSchemaType = { tag: "all" } | { tag: "limit-to" } | { tag: "except" };
  interface ImportForeignSchemaStmt {
    serverName: string;
    remoteSchema: string;
    localSchema: string;
    listType: ImportSchemaType;
    tableList: string[];
  }

  /** The current row buffer (a view: the host clears it before every iter-scan). */
  class Row<C> implements Disposable {
    constructor();
    cols(): string[];
    cells(): (C | null)[];
    /** Exactly one cell per `ctx.getColumns()` entry, in that order; `null`/`undefined` = SQL NULL. */
    push(cell: C | null | undefined): void;
    drop(): void;
  }
  class Column<T> implements Disposable {
    constructor(index: number);
    name(): string;
    /** 1-based attribute number in the table (not the position in get-columns). */
    num(): number;
    typeOid(): T;
    drop(): void;
  }
  class Qual<V> implements Disposable {
    constructor(index: number);
    field(): string;
    operator(): string;
    value(): V;
    useOr(): boolean;
    param(): Param | null;
    deparse(): string;
    drop(): void;
  }
  class Sort implements Disposable {
    constructor(index: number);
    field(): string;
    fieldNo(): number;
    reversed(): boolean;
    nullsFirst(): boolean;
    collate(): string | null;
    deparse(): string;
    deparseWithCollate(): string;
    drop(): void;
  }
  class Limit implements Disposable {
    constructor();
    count(): number;
    offset(): number;
    deparse(): string;
    drop(): void;
  }
  class Options<K> implements Disposable {
    constructor(optionsType: K);
    get(key: string): string | null;
    /** Throws `required option \`key\` is not specified` when absent. */
    require(key: string): string;
    requireOr(key: string, defaultValue: string): string;
    drop(): void;
  }
  class Context<K, T, C, V> implements Disposable {
    /** Do not call from a guest: the host hands out borrowed contexts only. */
    constructor();
    getOptions(optionsType: K): Options<K>;
    getQuals(): Qual<V>[];
    getColumns(): Column<T>[];
    getSorts(): Sort[];
    getLimit(): Limit | null;
    drop(): void;
  }

  // ---------------------------------------------------------------- http (identical in v1/v2)
  type Headers = [string, string][];
  type Method = { tag: "get" } | { tag: "post" } | { tag: "put" } | { tag: "patch" } | { tag: "delete" };
  interface Request {
    method: Method;
    url: string;
    /** Names MUST be lowercase: the host panics on uppercase names. */
    headers: Headers;
    body: string;
  }
  interface Response {
    url: string;
    statusCode: number;
    /** Names are lowercase; one tuple per value. */
    headers: Headers;
    body: string;
  }
  /** Any HTTP status (4xx/5xx too) comes back as a Response; transport errors throw. */
  interface HttpModule {
    get(req: Request): Response;
    post(req: Request): Response;
    put(req: Request): Response;
    patch(req: Request): Response;
    delete(req: Request): Response;
    /** Throws `HTTP status error (<code> <reason>) for url (<url>)` for 400–599. */
    errorForStatus(resp: Response): void;
  }

  interface JwtModule {
    /** Only algo `RS256` and claims `iss`/`sub`; throws otherwise. */
    encode(payload: [string, string][], algo: string, key: string, ttlHours: number): string;
  }

  type Metric =
    | { tag: "create-times" }
    | { tag: "rows-in" }
    | { tag: "rows-out" }
    | { tag: "bytes-in" }
    | { tag: "bytes-out" };
  interface StatsModule {
    incStats(fdwName: string, metric: Metric, inc: number): void;
    getMetadata(fdwName: string): string | null;
    setMetadata(fdwName: string, metadata: string | null | undefined): void;
  }

  interface TimeModule {
    /** Seconds since the Unix epoch (use this: Date.now() traps in the guest). */
    epochSecs(): number;
    /** Microseconds since the Unix epoch; throws on invalid input. */
    parseFromRfc3339(s: string): number;
    /** Microseconds; the input must contain a UTC offset. */
    parseFromStr(s: string, fmt: string): number;
    /** Despite the name, the argument is MICROseconds. */
    epochMsToRfc3339(msecs: number): string;
    sleep(millis: number): void;
  }

  interface UtilsModule<C> {
    reportInfo(msg: string): void;
    reportNotice(msg: string): void;
    reportWarning(msg: string): void;
    /** Aborts the statement: never returns. Prefer throwing from a routine. */
    reportError(msg: string): never;
    cellToString(cell: C | null | undefined): string;
    getVaultSecret(secretId: string): string | null;
    /** Wrappers >= 0.6.0 */
    getVaultSecretByName(secretName: string): string | null;
    /** Wrappers >= 0.6.2 */
    querySetting(name: string): string | null;
  }

  // ---------------------------------------------------------------- routines (exported by the guest)
  /**
   * Every routine returning fdw-result may throw (an Error with a string message is reported as
   * `guest fdw error: <message>`). `hostVersionRequirement` must never throw (that would trap).
   */
  interface RoutinesV1<Ctx, R, C> {
    hostVersionRequirement(): string;
    init(ctx: Ctx): void;
    beginScan(ctx: Ctx): void;
    /** Return a number (ignored by the host) when a row was pushed, null/undefined at end of data. */
    iterScan(ctx: Ctx, row: R): number | null | undefined;
    reScan(ctx: Ctx): void;
    endScan(ctx: Ctx): void;
    beginModify(ctx: Ctx): void;
    insert(ctx: Ctx, row: R): void;
    update(ctx: Ctx, rowid: C, newRow: R): void;
    delete(ctx: Ctx, rowid: C): void;
    endModify(ctx: Ctx): void;
  }
  interface RoutinesV2<Ctx, R, C> extends RoutinesV1<Ctx, R, C> {
    /** Returns CREATE FOREIGN TABLE statements. */
    importForeignSchema(ctx: Ctx, stmt: ImportForeignSchemaStmt): string[];
  }

  namespace V1 {
    type TypeOid = TypeOidV1;
    type Cell = CellV1;
    type Value = ValueV1;
    type OptionsType = OptionsTypeV1;
    type Row = SupabaseWrappers.Row<CellV1>;
    type Column = SupabaseWrappers.Column<TypeOidV1>;
    type Qual = SupabaseWrappers.Qual<ValueV1>;
    type Options = SupabaseWrappers.Options<OptionsTypeV1>;
    type Context = SupabaseWrappers.Context<OptionsTypeV1, TypeOidV1, CellV1, ValueV1>;
    type Routines = RoutinesV1<Context, Row, CellV1>;
  }
  namespace V2 {
    type TypeOid = TypeOidV2;
    type Cell = CellV2;
    type Value = ValueV2;
    type OptionsType = OptionsTypeV2;
    type Row = SupabaseWrappers.Row<CellV2>;
    type Column = SupabaseWrappers.Column<TypeOidV2>;
    type Qual = SupabaseWrappers.Qual<ValueV2>;
    type Options = SupabaseWrappers.Options<OptionsTypeV2>;
    type Context = SupabaseWrappers.Context<OptionsTypeV2, TypeOidV2, CellV2, ValueV2>;
    type Routines = RoutinesV2<Context, Row, CellV2>;
  }
}

// ------------------------------------------------------------------------------------ @0.1.0
declare module "supabase:wrappers/types@0.1.0" {
  export type TypeOid = SupabaseWrappers.V1.TypeOid;
  export type Cell = SupabaseWrappers.V1.Cell;
  export type Value = SupabaseWrappers.V1.Value;
  export type Param = SupabaseWrappers.Param;
  export type OptionsType = SupabaseWrappers.V1.OptionsType;
  export type FdwError = string;
  export class Row extends SupabaseWrappers.Row<SupabaseWrappers.V1.Cell> {}
  export class Column extends SupabaseWrappers.Column<SupabaseWrappers.V1.TypeOid> {}
  export class Qual extends SupabaseWrappers.Qual<SupabaseWrappers.V1.Value> {}
  export class Sort extends SupabaseWrappers.Sort {}
  export class Limit extends SupabaseWrappers.Limit {}
  export class Options extends SupabaseWrappers.Options<SupabaseWrappers.V1.OptionsType> {}
  export class Context extends SupabaseWrappers.Context<
    SupabaseWrappers.V1.OptionsType,
    SupabaseWrappers.V1.TypeOid,
    SupabaseWrappers.V1.Cell,
    SupabaseWrappers.V1.Value
  > {}
  const types: { Row: typeof Row; Column: typeof Column; Qual: typeof Qual; Sort: typeof Sort; Limit: typeof Limit; Options: typeof Options; Context: typeof Context };
  export default types;
}
declare module "supabase:wrappers/http@0.1.0" {
  export type Headers = SupabaseWrappers.Headers;
  export type Method = SupabaseWrappers.Method;
  export type Request = SupabaseWrappers.Request;
  export type Response = SupabaseWrappers.Response;
  export type HttpError = string;
  const http: SupabaseWrappers.HttpModule;
  export default http;
  export const get: SupabaseWrappers.HttpModule["get"];
  export const post: SupabaseWrappers.HttpModule["post"];
  export const put: SupabaseWrappers.HttpModule["put"];
  export const patch: SupabaseWrappers.HttpModule["patch"];
  export const errorForStatus: SupabaseWrappers.HttpModule["errorForStatus"];
  // `delete` is a reserved word: use the default export's `http.delete(…)`.
}
declare module "supabase:wrappers/jwt@0.1.0" {
  const jwt: SupabaseWrappers.JwtModule;
  export default jwt;
  export const encode: SupabaseWrappers.JwtModule["encode"];
}
declare module "supabase:wrappers/stats@0.1.0" {
  export type Metric = SupabaseWrappers.Metric;
  const stats: SupabaseWrappers.StatsModule;
  export default stats;
  export const incStats: SupabaseWrappers.StatsModule["incStats"];
  export const getMetadata: SupabaseWrappers.StatsModule["getMetadata"];
  export const setMetadata: SupabaseWrappers.StatsModule["setMetadata"];
}
declare module "supabase:wrappers/time@0.1.0" {
  const time: SupabaseWrappers.TimeModule;
  export default time;
  export const epochSecs: SupabaseWrappers.TimeModule["epochSecs"];
  export const parseFromRfc3339: SupabaseWrappers.TimeModule["parseFromRfc3339"];
  export const parseFromStr: SupabaseWrappers.TimeModule["parseFromStr"];
  export const epochMsToRfc3339: SupabaseWrappers.TimeModule["epochMsToRfc3339"];
  export const sleep: SupabaseWrappers.TimeModule["sleep"];
}
declare module "supabase:wrappers/utils@0.1.0" {
  type U = SupabaseWrappers.UtilsModule<SupabaseWrappers.V1.Cell>;
  const utils: U;
  export default utils;
  export const reportInfo: U["reportInfo"];
  export const reportNotice: U["reportNotice"];
  export const reportWarning: U["reportWarning"];
  export const reportError: U["reportError"];
  export const cellToString: U["cellToString"];
  export const getVaultSecret: U["getVaultSecret"];
  export const getVaultSecretByName: U["getVaultSecretByName"];
  export const querySetting: U["querySetting"];
}
/** Type of the guest's `export const routines` for a world exporting routines@0.1.0. */
declare module "supabase:wrappers/routines@0.1.0" {
  export type Routines = SupabaseWrappers.V1.Routines;
}

// ------------------------------------------------------------------------------------ @0.2.0
declare module "supabase:wrappers/types@0.2.0" {
  export type TypeOid = SupabaseWrappers.V2.TypeOid;
  export type Cell = SupabaseWrappers.V2.Cell;
  export type Value = SupabaseWrappers.V2.Value;
  export type Param = SupabaseWrappers.Param;
  export type OptionsType = SupabaseWrappers.V2.OptionsType;
  export type ImportSchemaType = SupabaseWrappers.ImportSchemaType;
  export type ImportForeignSchemaStmt = SupabaseWrappers.ImportForeignSchemaStmt;
  export type FdwError = string;
  export class Row extends SupabaseWrappers.Row<SupabaseWrappers.V2.Cell> {}
  export class Column extends SupabaseWrappers.Column<SupabaseWrappers.V2.TypeOid> {}
  export class Qual extends SupabaseWrappers.Qual<SupabaseWrappers.V2.Value> {}
  export class Sort extends SupabaseWrappers.Sort {}
  export class Limit extends SupabaseWrappers.Limit {}
  export class Options extends SupabaseWrappers.Options<SupabaseWrappers.V2.OptionsType> {}
  export class Context extends SupabaseWrappers.Context<
    SupabaseWrappers.V2.OptionsType,
    SupabaseWrappers.V2.TypeOid,
    SupabaseWrappers.V2.Cell,
    SupabaseWrappers.V2.Value
  > {}
  const types: { Row: typeof Row; Column: typeof Column; Qual: typeof Qual; Sort: typeof Sort; Limit: typeof Limit; Options: typeof Options; Context: typeof Context };
  export default types;
}
declare module "supabase:wrappers/http@0.2.0" {
  export type Headers = SupabaseWrappers.Headers;
  export type Method = SupabaseWrappers.Method;
  export type Request = SupabaseWrappers.Request;
  export type Response = SupabaseWrappers.Response;
  export type HttpError = string;
  const http: SupabaseWrappers.HttpModule;
  export default http;
  export const get: SupabaseWrappers.HttpModule["get"];
  export const post: SupabaseWrappers.HttpModule["post"];
  export const put: SupabaseWrappers.HttpModule["put"];
  export const patch: SupabaseWrappers.HttpModule["patch"];
  export const errorForStatus: SupabaseWrappers.HttpModule["errorForStatus"];
}
declare module "supabase:wrappers/jwt@0.2.0" {
  const jwt: SupabaseWrappers.JwtModule;
  export default jwt;
  export const encode: SupabaseWrappers.JwtModule["encode"];
}
declare module "supabase:wrappers/stats@0.2.0" {
  export type Metric = SupabaseWrappers.Metric;
  const stats: SupabaseWrappers.StatsModule;
  export default stats;
  export const incStats: SupabaseWrappers.StatsModule["incStats"];
  export const getMetadata: SupabaseWrappers.StatsModule["getMetadata"];
  export const setMetadata: SupabaseWrappers.StatsModule["setMetadata"];
}
declare module "supabase:wrappers/time@0.2.0" {
  const time: SupabaseWrappers.TimeModule;
  export default time;
  export const epochSecs: SupabaseWrappers.TimeModule["epochSecs"];
  export const parseFromRfc3339: SupabaseWrappers.TimeModule["parseFromRfc3339"];
  export const parseFromStr: SupabaseWrappers.TimeModule["parseFromStr"];
  export const epochMsToRfc3339: SupabaseWrappers.TimeModule["epochMsToRfc3339"];
  export const sleep: SupabaseWrappers.TimeModule["sleep"];
}
declare module "supabase:wrappers/utils@0.2.0" {
  type U = SupabaseWrappers.UtilsModule<SupabaseWrappers.V2.Cell>;
  const utils: U;
  export default utils;
  export const reportInfo: U["reportInfo"];
  export const reportNotice: U["reportNotice"];
  export const reportWarning: U["reportWarning"];
  export const reportError: U["reportError"];
  export const cellToString: U["cellToString"];
  export const getVaultSecret: U["getVaultSecret"];
  export const getVaultSecretByName: U["getVaultSecretByName"];
  export const querySetting: U["querySetting"];
}
declare module "supabase:wrappers/routines@0.2.0" {
  export type Routines = SupabaseWrappers.V2.Routines;
}

/** Package name/version from the FDW's fdw.json, injected by `tsfdw build` (esbuild define). */
declare const TSFDW_PACKAGE_NAME: string | undefined;
declare const TSFDW_PACKAGE_VERSION: string | undefined;
