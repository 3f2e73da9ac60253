// The qual parity table (test/fixtures/quals/cases.json) and how to run one of its cases on each
// host: through SQL on the local Postgres host and through the runner, both with the qual-echo
// fixture FDW (test/fixtures/qual-echo), which reports every qual it receives as a NOTICE and
// returns one row per candidate value of column `c` (`k` = the candidate's index), so the
// host's re-check of WHERE decides which `k` come back.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build, parseBuildArgs } from "../../tools/build/index.js";
import { repoRoot } from "../../tools/paths.js";
import type { ThrowawayPostgres } from "../../tools/pg/index.js";
import { runnerOutput } from "../../tools/runner.js";

/** Column types of the table, by the runner's `--column` names. */
export const SQL_TYPES = {
  bool: "boolean",
  char: '"char"',
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  numeric: "numeric",
  text: "text",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  jsonb: "jsonb",
  uuid: "uuid",
} as const;
export type ColumnType = keyof typeof SQL_TYPES;

/** A qual as the guest saw it: `value` for a single cell, `any`/`all` for an array (use-or true/false). Values are `tag:text`. */
export interface EchoQual {
  field: string;
  op: string;
  value?: string;
  any?: string[];
  all?: string[];
  param?: number;
}

/** What a host did with a WHERE: the quals the guest saw and the `k` of the rows that came back, or the error. */
export interface Outcome {
  quals?: EchoQual[];
  rows?: number[];
  /** The statement's error message (Postgres' text). */
  error?: string;
  /** Postgres' planning WARNING when a condition is not pushed down (up to its first colon). */
  warning?: string;
}

export interface QualCase extends Outcome {
  type: ColumnType;
  where: string;
  /** Why the case is there, or what is surprising about it. */
  note?: string;
  /** Where the runner deliberately refuses what Postgres accepts: a substring of its error. */
  runner?: { error: string };
}

export interface CaseTable {
  about: string[];
  cases: QualCase[];
}

export const CASES_FILE = join(repoRoot, "test", "fixtures", "quals", "cases.json");

export function loadCases(): CaseTable {
  return JSON.parse(readFileSync(CASES_FILE, "utf8")) as CaseTable;
}

/** The table as stored: one case per line, so diffs show which cases changed. */
export function formatCases(t: CaseTable): string {
  const order: (keyof QualCase)[] = ["type", "where", "quals", "rows", "error", "warning", "runner", "note"];
  const lines = t.cases.map((c) => {
    const o: Record<string, unknown> = {};
    for (const k of order) if (c[k] !== undefined) o[k] = c[k];
    return "    " + JSON.stringify(o);
  });
  return `{\n  "about": ${JSON.stringify(t.about, null, 4).replace(/\n/g, "\n  ")},\n  "cases": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** Build the qual-echo fixture into `outDir`; returns the component's path. */
export async function buildQualEcho(outDir: string): Promise<string> {
  // The case table was recorded through a quickjs build, whose guest sees an i64 as a JS number
  // (9007199254740993 arrives as …992: one case's note). A micro build sees it exactly (a decimal
  // string past 2^53), so the table's expectations are quickjs'.
  await build(parseBuildArgs([join(repoRoot, "test", "fixtures", "qual-echo"), "--out", outDir, "--engine", "quickjs"]));
  return join(outDir, "qual_echo_fdw.wasm");
}

interface Echo {
  field: string;
  operator: string;
  useOr: boolean;
  param: number | null;
  value: string | string[];
}

function echoQual(e: Echo): EchoQual {
  const q: EchoQual = { field: e.field, op: e.operator };
  if (typeof e.value === "string") q.value = e.value;
  else if (e.useOr) q.any = e.value;
  else q.all = e.value;
  if (e.param !== null) q.param = e.param;
  return q;
}

/** The quals reported by the fixture in a host's stderr. */
function echoes(stderr: string): EchoQual[] {
  return stderr.split("\n").flatMap((l) => {
    const m = /NOTICE: +qual-echo: (.*)$/.exec(l);
    return m?.[1] === undefined ? [] : [echoQual(JSON.parse(m[1]) as Echo)];
  });
}

export const pgTable = (t: ColumnType): string => `q.t_${t}`;

/** SQL creating the fixture's server and one foreign table `q.t_<type> (k integer, c <type>)` per type. */
export function pgSetupSql(wasmInPg: string): string {
  const tables = Object.entries(SQL_TYPES).map(([t, sql]) => `create foreign table q.t_${t} (k integer, c ${sql}) server echo options (object 'x');`);
  return [
    "create extension tsfdw;",
    "create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;",
    `create server echo foreign data wrapper wasm_wrapper options (fdw_package_url 'file://${wasmInPg}', fdw_package_name 'test:qual-echo-fdw', fdw_package_version '0.0.1');`,
    "create schema q;",
    ...tables,
  ].join("\n");
}

/** Settings that make the cluster deterministic for the table: UTC session time zone, English messages. */
export const PG_SETTINGS = { TimeZone: "UTC", lc_messages: "C" };

/** Run a case's WHERE through SQL on the Postgres host. */
export async function pgOutcome(pg: ThrowawayPostgres, c: Pick<QualCase, "type" | "where">): Promise<Outcome> {
  const r = await pg.psql(`select k from ${pgTable(c.type)} where ${c.where};`, { onErrorStop: false });
  const out: Outcome = {};
  const error = /ERROR: +(.*)$/m.exec(r.stderr)?.[1];
  if (error !== undefined) {
    out.error = error;
    return out;
  }
  out.quals = echoes(r.stderr);
  out.rows = r.stdout.split("\n").filter((l) => l !== "").map(Number);
  const warning = /WARNING: +([^:\n]*)/.exec(r.stderr)?.[1];
  if (warning !== undefined) out.warning = warning;
  return out;
}

/** The `Wrappers` quals line of EXPLAIN (Rust debug text of the framework's quals), or undefined. */
export async function pgExplainQuals(pg: ThrowawayPostgres, c: Pick<QualCase, "type" | "where">): Promise<string | undefined> {
  const r = await pg.psql(`explain (costs off) select k from ${pgTable(c.type)} where ${c.where};`, { onErrorStop: false });
  return /Wrappers: quals = (.*)$/m.exec(r.stdout)?.[1];
}

export interface RunnerOutcome extends Outcome {
  /** The runner's stderr (its errors and warnings are its own text). */
  stderr: string;
}

/**
 * Run a case's WHERE through the runner. `compileCache` (a directory) makes the runner keep the
 * compiled fixture between runs (TSFDW_RUNNER_COMPILE_CACHE), sparing a ≈2 s compile per case.
 */
export async function runnerCase(wasm: string, c: Pick<QualCase, "type" | "where">, compileCache?: string): Promise<RunnerOutcome> {
  const type = c.type === "char" ? '"char"' : c.type;
  const env = compileCache === undefined ? process.env : { ...process.env, TSFDW_RUNNER_COMPILE_CACHE: compileCache };
  const r = await runnerOutput(["scan", wasm, "--column", "k:int4", "--column", `c:${type}`, "--where", c.where, "--format", "json"], env);
  const out: RunnerOutcome = { stderr: r.stderr };
  if (r.code !== 0) {
    out.error = r.stderr.trim();
    return out;
  }
  out.quals = echoes(r.stderr);
  out.rows = r.stdout.split("\n").filter((l) => l !== "").map((l) => (JSON.parse(l) as { k: number }).k);
  return out;
}

/** Run `fn` over `items` with at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
