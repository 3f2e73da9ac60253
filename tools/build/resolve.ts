// Stage 1 — resolve: read the FDW's fdw.json (the one place for package name and version), check
// every field with an error that names the file, the field and what is expected (fdw.schema.json
// describes the same shape for editors), and turn it into absolute paths and settings for the later
// stages. The WIT world derives from the name (`org:my-fdw` → package org:my-fdw, world my-fdw)
// and is generated unless the FDW directory has a wit/ of its own.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { repoRoot } from "../paths.js";
import { SUPPORTED_PG_TYPES, hostTypeOf } from "./pg-types.js";
import { generatedWitDir } from "./world.js";

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

/** `tsfdw dev` settings. */
export interface FdwDev {
  /** Absolute path of a module exporting `startMock(): Promise<{ url, close() }>`, started for `tsfdw dev`. */
  mock?: string;
  /** Server options for `tsfdw dev` (over sql.serverOptions); `{mock}` is replaced by the mock's URL. */
  serverOptions: Record<string, string>;
  /** Absolute path of the SQL file `tsfdw dev` runs when neither --sql nor --psql is given. */
  sql?: string;
}

export interface FdwProject {
  /** Directory holding fdw.json. */
  dir: string;
  /** Package name, e.g. `tsfdw:github-events-fdw` (= fdw_package_name = the WIT package). */
  name: string;
  /** Package version, e.g. `0.1.0` (= fdw_package_version). */
  version: string;
  description: string;
  /** Absolute path of the TypeScript entry. */
  entry: string;
  /** WIT directory: the FDW's own wit/ (or fdw.json "wit"), else one generated from fdw.json. */
  witDir: string;
  /** True when witDir was generated from fdw.json (no wit/ of the FDW's own). */
  witGenerated: boolean;
  world: string;
  /** supabase:wrappers version of a generated world: 0.2.0 (v2 routines) or 0.1.0. */
  wrappers: "0.1.0" | "0.2.0";
  /** Output file name, e.g. `github_events_fdw.wasm`. */
  output: string;
  /** `owner/repo` used in the default release URL. */
  repository: string;
  /** Release URL template with {repository}, {version}, {output}, {name}, {tag}. */
  urlTemplate: string;
  /** Release tag, e.g. `v0.1.0` (an FDW alone in its repository) or `github-events-v0.1.0` (fdw/<dir>/). */
  tag: string;
  sql: FdwSql;
  dev: FdwDev;
}

/** WIT kebab-case: lowercase words of letters and digits, each starting with a letter, joined by '-'. */
const KEBAB = "[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*";
const NAME_RE = new RegExp(`^${KEBAB}:${KEBAB}$`);
const WORLD_RE = new RegExp(`^${KEBAB}$`);
const VERSION_RE = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const SQL_NAME_RE = /^[a-z_][a-z0-9_$]*$/;
/** WIT keywords: not usable as a package namespace, package name or world name. */
const WIT_KEYWORDS = new Set(
  "as async bool borrow char constructor enum error-context export f32 f64 flags float32 float64 from func future import include interface list option own package record resource result s16 s32 s64 s8 static stream string tuple type u16 u32 u64 u8 use variant with world".split(" "),
);
const OUTPUT_RE = /^[A-Za-z0-9._-]+\.wasm$/;
const REPO_RE = /^[\w.-]+\/[\w.-]+$/;

const TOP_KEYS = ["$schema", "name", "version", "description", "entry", "output", "world", "wit", "wrappers", "release", "sql", "dev", "micro"];
const RELEASE_KEYS = ["repository", "url", "tag"];
const SQL_KEYS = ["server", "serverOptions", "schema", "tables"];
const TABLE_KEYS = ["name", "columns", "options"];
const DEV_KEYS = ["mock", "serverOptions", "sql"];
/** `--engine micro` settings; their values are checked by the micro stage (tools/build/micro/stage.ts). */
const MICRO_KEYS = ["memoryMiB"];

/** The keys the validator accepts, by object (a test checks fdw.schema.json against these). */
export const FDW_JSON_KEYS = { top: TOP_KEYS, release: RELEASE_KEYS, sql: SQL_KEYS, table: TABLE_KEYS, dev: DEV_KEYS, micro: MICRO_KEYS } as const;

class FdwJsonError extends Error {}

function fail(file: string, msg: string): never {
  throw new FdwJsonError(`${file}: ${msg}`);
}

/** Edit distance, for "did you mean" on misspelt keys. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] as number;
      d[j] = Math.min(cur + 1, (d[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] as number;
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string, file: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const near = allowed.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
    fail(file, `${where}unknown key "${key}"${near !== undefined ? ` (did you mean "${near}"?)` : ""}; allowed: ${allowed.join(", ")}`);
  }
}

function str(obj: Record<string, unknown>, key: string, where: string, file: string, fallback?: string): string {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === undefined) fail(file, `"${where}${key}" is required`);
  if (typeof v !== "string" || v.trim() === "") fail(file, `"${where}${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function record(v: unknown, what: string, file: string): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(file, `${what} must be an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

function stringMap(v: unknown, what: string, file: string): Record<string, string> {
  const obj = record(v ?? {}, `"${what}"`, file);
  for (const [k, val] of Object.entries(obj)) {
    if (typeof val !== "string") fail(file, `"${what}.${k}" must be a string (option values are text in SQL), got ${JSON.stringify(val)}`);
  }
  return obj as Record<string, string>;
}

function sqlName(v: string, what: string, file: string): string {
  if (!SQL_NAME_RE.test(v)) fail(file, `"${what}" must be a lowercase SQL identifier (letters, digits, _), got "${v}"`);
  return v;
}

function parseColumns(v: unknown, where: string, file: string): [string, string][] {
  if (!Array.isArray(v) || v.length === 0) fail(file, `"${where}.columns" must be a non-empty list of ["name", "type"] pairs`);
  return v.map((c: unknown, j: number) => {
    const at = `${where}.columns[${j}]`;
    if (!Array.isArray(c) || c.length !== 2 || !c.every((x) => typeof x === "string")) fail(file, `"${at}" must be a ["name", "type"] pair, got ${JSON.stringify(c)}`);
    const [name, type] = c as [string, string];
    sqlName(name, `${at}[0]`, file);
    if (hostTypeOf(type) === undefined) {
      fail(file, `"${at}": column ${name} has type "${type}", which the Wasm FDW host cannot fill; use one of ${SUPPORTED_PG_TYPES.join(", ")}`);
    }
    return [name, type];
  });
}

function parseSql(v: unknown, file: string, namePart: string): FdwSql {
  const sql = record(v ?? {}, '"sql"', file);
  checkKeys(sql, SQL_KEYS, "sql: ", file);
  const tables = sql["tables"] ?? [];
  if (!Array.isArray(tables)) fail(file, '"sql.tables" must be a list of tables');
  const seen = new Set<string>();
  return {
    server: sqlName(str(sql, "server", "sql.", file, `${namePart.replaceAll("-", "_")}_server`), "sql.server", file),
    serverOptions: stringMap(sql["serverOptions"], "sql.serverOptions", file),
    schema: sqlName(str(sql, "schema", "sql.", file, "public"), "sql.schema", file),
    tables: tables.map((t: unknown, i: number) => {
      const where = `sql.tables[${i}]`;
      const table = record(t, `"${where}"`, file);
      checkKeys(table, TABLE_KEYS, `${where}: `, file);
      const name = sqlName(str(table, "name", `${where}.`, file), `${where}.name`, file);
      if (seen.has(name)) fail(file, `"${where}.name": table ${name} is defined twice`);
      seen.add(name);
      const columns = parseColumns(table["columns"], where, file);
      const options = stringMap(table["options"], `${where}.options`, file);
      const rowid = options["rowid_column"];
      if (rowid !== undefined && !columns.some(([c]) => c === rowid)) {
        fail(file, `"${where}.options.rowid_column" names ${rowid}, which is not a column of ${name} (columns: ${columns.map(([c]) => c).join(", ")})`);
      }
      return { name, columns, options };
    }),
  };
}

function parseDev(v: unknown, base: string, file: string): FdwDev {
  const dev = record(v ?? {}, '"dev"', file);
  checkKeys(dev, DEV_KEYS, "dev: ", file);
  const path = (key: string): string | undefined => {
    if (dev[key] === undefined) return undefined;
    const p = resolve(base, str(dev, key, "dev.", file));
    if (!existsSync(p)) fail(file, `"dev.${key}": ${p} does not exist`);
    return p;
  };
  const mock = path("mock");
  const sql = path("sql");
  return { ...(mock !== undefined && { mock }), ...(sql !== undefined && { sql }), serverOptions: stringMap(dev["serverOptions"], "dev.serverOptions", file) };
}

/** The directory holding fdw.json: `dir` itself, else relative to the repository root (repo FDWs). */
function locate(dir: string): string {
  const abs = isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
  if (existsSync(join(abs, "fdw.json"))) return abs;
  const inRepo = resolve(repoRoot, dir);
  if (existsSync(join(inRepo, "fdw.json"))) return inRepo;
  throw new Error(`no fdw.json in ${dir} (looked in ${abs}${inRepo !== abs ? ` and ${inRepo}` : ""}); create an FDW with \`tsfdw new <dir>\``);
}

/** Why `name` cannot be an FDW's package name, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (!NAME_RE.test(name)) return `must look like namespace:name in lowercase kebab-case words (each starting with a letter), e.g. my-org:customers-fdw; got "${name}"`;
  for (const part of name.split(":")) if (WIT_KEYWORDS.has(part)) return `"${part}" is a WIT keyword and cannot name a package; choose another word (e.g. ${part}-fdw)`;
  return undefined;
}

/** Reads and checks `<dir>/fdw.json`; `dir` is relative to the current directory or the repository root. */
export function resolveProject(dir = "fdw/github-events"): FdwProject {
  const base = locate(dir);
  const file = join(base, "fdw.json");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const cfg = record(json, "fdw.json", file);
  checkKeys(cfg, TOP_KEYS, "", file);
  const name = str(cfg, "name", "", file);
  const problem = packageNameProblem(name);
  if (problem !== undefined) fail(file, `"name" ${problem}`);
  const namePart = name.slice(name.indexOf(":") + 1);
  const version = str(cfg, "version", "", file);
  if (!VERSION_RE.test(version)) fail(file, `"version" must be a semantic version like 0.1.0, got "${version}"`);
  const entry = resolve(base, str(cfg, "entry", "", file, "src/index.ts"));
  if (!existsSync(entry)) fail(file, `"entry": ${entry} does not exist`);
  const output = str(cfg, "output", "", file, `${namePart.replaceAll("-", "_")}.wasm`);
  if (!OUTPUT_RE.test(output)) fail(file, `"output" must be a file name ending in .wasm (no directories), got "${output}"`);
  const world = str(cfg, "world", "", file, namePart);
  if (!WORLD_RE.test(world) || WIT_KEYWORDS.has(world)) fail(file, `"world" must be a WIT name in lowercase kebab-case and not a WIT keyword, got "${world}"`);
  const wrappers = str(cfg, "wrappers", "", file, "0.2.0");
  if (wrappers !== "0.1.0" && wrappers !== "0.2.0") fail(file, `"wrappers" must be "0.2.0" (v2 routines, Wrappers >= 0.5.0) or "0.1.0" (v1, Wrappers >= 0.4.0), got "${wrappers}"`);
  checkKeys(record(cfg["micro"] ?? {}, '"micro"', file), MICRO_KEYS, "micro: ", file);
  const release = record(cfg["release"] ?? {}, '"release"', file);
  checkKeys(release, RELEASE_KEYS, "release: ", file);
  const repository = str(release, "repository", "release.", file, "tsfdw/tsfdw");
  if (!REPO_RE.test(repository)) fail(file, `"release.repository" must look like owner/name, got "${repository}"`);
  // An FDW under fdw/<dir>/ shares its repository with others: its tags carry its directory name.
  const tag = str(release, "tag", "release.", file, basename(dirname(base)) === "fdw" ? `${basename(base)}-v{version}` : "v{version}").replaceAll("{version}", version);

  // WIT: fdw.json "wit", else the FDW's own wit/, else a world generated from the name.
  let witDir: string;
  let witGenerated = false;
  if (cfg["wit"] !== undefined) {
    witDir = resolve(base, str(cfg, "wit", "", file));
    if (!existsSync(witDir)) fail(file, `"wit": ${witDir} does not exist`);
  } else if (existsSync(join(base, "wit"))) {
    witDir = join(base, "wit");
  } else {
    witDir = generatedWitDir(name, world, wrappers);
    witGenerated = true;
  }
  return {
    dir: base,
    name,
    version,
    description: typeof cfg["description"] === "string" ? cfg["description"] : "",
    entry,
    witDir,
    witGenerated,
    world,
    wrappers,
    output,
    repository,
    urlTemplate: str(release, "url", "release.", file, "https://github.com/{repository}/releases/download/{tag}/{output}"),
    tag,
    sql: parseSql(cfg["sql"], file, namePart),
    dev: parseDev(cfg["dev"], base, file),
  };
}
