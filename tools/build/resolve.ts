// Stage 1 — resolve: read the FDW's fdw.json (the one place for package name and version) and
// turn it into absolute paths and checked settings for the later stages.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { repoRoot } from "../paths.js";

export interface SqlTable {
  name: string;
  columns: [string, string][];
  options: Record<string, string>;
}

export interface FdwSql {
  server: string;
  serverOptions: Record<string, string>;
  schema: string;
  tables: SqlTable[];
}

export interface FdwProject {
  /** Directory holding fdw.json. */
  dir: string;
  /** Package name, e.g. `tsfdw:github-events-fdw` (= fdw_package_name). */
  name: string;
  /** Package version, e.g. `0.1.0` (= fdw_package_version). */
  version: string;
  description: string;
  /** Absolute path of the TypeScript entry. */
  entry: string;
  /** WIT directory (wit/ of the repository unless fdw.json says otherwise). */
  witDir: string;
  world: string;
  /** Output file name, e.g. `github_events_fdw.wasm`. */
  output: string;
  /** `owner/repo` used in the default release URL. */
  repository: string;
  /** Release URL template with {repository}, {version}, {output}, {name}. */
  urlTemplate: string;
  sql: FdwSql;
}

const NAME_RE = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
const VERSION_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

function fail(file: string, msg: string): never {
  throw new Error(`${file}: ${msg}`);
}

function str(obj: Record<string, unknown>, key: string, file: string, fallback?: string): string {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "string" || v === "") fail(file, `"${key}" must be a non-empty string`);
  return v;
}

function record(v: unknown, what: string, file: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(file, `${what} must be an object`);
  return v as Record<string, unknown>;
}

function stringMap(v: unknown, what: string, file: string): Record<string, string> {
  const obj = record(v ?? {}, what, file);
  for (const [k, val] of Object.entries(obj)) if (typeof val !== "string") fail(file, `${what}.${k} must be a string`);
  return obj as Record<string, string>;
}

function parseSql(v: unknown, file: string): FdwSql {
  const sql = record(v ?? {}, '"sql"', file);
  const tables = sql["tables"] ?? [];
  if (!Array.isArray(tables)) fail(file, '"sql.tables" must be an array');
  return {
    server: str(sql, "server", file, "fdw_server"),
    serverOptions: stringMap(sql["serverOptions"], "sql.serverOptions", file),
    schema: str(sql, "schema", file, "public"),
    tables: tables.map((t: unknown, i: number) => {
      const table = record(t, `sql.tables[${i}]`, file);
      const columns = table["columns"];
      if (!Array.isArray(columns) || !columns.every((c) => Array.isArray(c) && c.length === 2 && c.every((x) => typeof x === "string"))) {
        fail(file, `sql.tables[${i}].columns must be a list of ["name", "type"] pairs`);
      }
      return { name: str(table, "name", file), columns: columns as [string, string][], options: stringMap(table["options"], `sql.tables[${i}].options`, file) };
    }),
  };
}

/** Reads `<dir>/fdw.json`; `dir` is relative to the repository root unless absolute. */
export function resolveProject(dir = "fdw/github-events"): FdwProject {
  const abs = isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
  const base = existsSync(join(abs, "fdw.json")) ? abs : resolve(repoRoot, dir);
  const file = join(base, "fdw.json");
  if (!existsSync(file)) throw new Error(`no fdw.json in ${dir} (looked in ${abs} and ${base})`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const cfg = record(json, "fdw.json", file);
  const name = str(cfg, "name", file);
  if (!NAME_RE.test(name)) fail(file, `"name" must look like namespace:name (e.g. tsfdw:github-events-fdw), got "${name}"`);
  const version = str(cfg, "version", file);
  if (!VERSION_RE.test(version)) fail(file, `"version" must be a semantic version like 0.1.0, got "${version}"`);
  const entry = resolve(base, str(cfg, "entry", file, "src/index.ts"));
  if (!existsSync(entry)) fail(file, `entry ${entry} does not exist`);
  const output = str(cfg, "output", file);
  if (!output.endsWith(".wasm") || output.includes("/")) fail(file, `"output" must be a file name ending in .wasm`);
  const release = record(cfg["release"] ?? {}, '"release"', file);
  return {
    dir: base,
    name,
    version,
    description: typeof cfg["description"] === "string" ? cfg["description"] : "",
    entry,
    witDir: resolve(base, str(cfg, "wit", file, join(repoRoot, "wit"))),
    world: str(cfg, "world", file),
    output,
    repository: str(release, "repository", file, "tsfdw/tsfdw"),
    urlTemplate: str(release, "url", file, "https://github.com/{repository}/releases/download/v{version}/{output}"),
    sql: parseSql(cfg["sql"], file),
  };
}
