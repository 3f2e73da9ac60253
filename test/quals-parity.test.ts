// Qual parity: every case of test/fixtures/quals/cases.json (SQL WHERE → the qual cells a guest
// receives, and the rows the host keeps) run through both hosts with the qual-echo fixture:
// SQL on the local Postgres host (the supabase-wrappers qual extraction, as on Supabase) and
// `tsfdw-runner scan --where` on the runner. Both must equal the table, so a guest that passes
// runner tests sees the same cells in Postgres (e.g. `bigint_col = 7` arrives as i32 on both).
// EXPLAIN's `Wrappers: quals = …` line is checked against the echoed quals as a cross-check.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { after, before, describe, it } from "node:test";
import { ensureLocalPostgresHost, startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/index.js";
import {
  type EchoQual,
  type Outcome,
  type QualCase,
  PG_SETTINGS,
  buildQualEcho,
  loadCases,
  mapLimit,
  pgExplainQuals,
  pgOutcome,
  pgSetupSql,
  runnerCase,
} from "./support/quals.js";
import { runnerOutput } from "../tools/runner.js";

const table = loadCases();
const label = (c: QualCase): string => `${c.type}: where ${c.where}`;

/** The table's expectation without its documentation fields. */
function expected(c: QualCase): Outcome {
  const o: Outcome = {};
  if (c.error !== undefined) o.error = c.error;
  if (c.quals !== undefined) o.quals = c.quals;
  if (c.rows !== undefined) o.rows = c.rows;
  if (c.warning !== undefined) o.warning = c.warning;
  return o;
}

// Rust debug names of the framework's cells (EXPLAIN) → the guest's cell tags (echo).
const DEBUG_TAGS: Record<string, string> = {
  Bool: "bool", I8: "i8", I16: "i16", F32: "f32", I32: "i32", F64: "f64", I64: "i64", Numeric: "numeric",
  String: "string", Date: "date", Timestamp: "timestamp", Timestamptz: "timestamptz", Json: "json", Uuid: "uuid",
};

/** The top-level items of a Rust debug list body (`A(1), B("x, y")`), split at commas outside brackets and strings. */
function debugItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      items.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = body.slice(start).trim();
  if (last !== "") items.push(last);
  return items;
}

/** `field op kind tags` of each qual in EXPLAIN's Rust debug text (`Wrappers: quals = [Qual { … }, …]`). */
function explainShape(text: string): string[] {
  const list = text.trim().replace(/^\[/, "").replace(/\]$/, "");
  return debugItems(list).map((q) => {
    const m = /^Qual \{ field: "([^"]*)", operator: "([^"]*)", value: (Cell|Array)\((.*)\), use_or: (true|false), param: .*\}$/.exec(q);
    if (m === null) return `unparsed: ${q}`;
    const cells = m[3] === "Array" ? debugItems((m[4] ?? "").replace(/^\[/, "").replace(/\]$/, "")) : [m[4] ?? ""];
    const tags = cells.map((c) => DEBUG_TAGS[/^[A-Za-z0-9]+/.exec(c)?.[0] ?? ""] ?? `?${c}`);
    return `${m[1]} ${m[2]} ${m[3] === "Array" ? (m[5] === "true" ? "any" : "all") : "cell"} ${tags.join(",")}`;
  });
}

function echoShape(quals: readonly EchoQual[]): string[] {
  const tag = (v: string): string => v.slice(0, v.indexOf(":"));
  return quals.map((q) => {
    const kind = q.value !== undefined ? "cell" : q.any !== undefined ? "any" : "all";
    const tags = q.value !== undefined ? [tag(q.value)] : (q.any ?? q.all ?? []).map(tag);
    return `${q.field} ${q.op} ${kind} ${tags.join(",")}`;
  });
}

describe("qual parity: the case table on the Postgres host and on the runner", { timeout: 60 * 60_000 }, () => {
  let dir: string;
  let wasm: string;
  let pg: ThrowawayPostgres | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tsfdw-quals-"));
    wasm = await buildQualEcho(dir);
  });

  after(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the table covers every column type the host supports, and its cases are unique", () => {
    const types = new Set(table.cases.map((c) => c.type));
    assert.deepEqual([...types].sort(), ["bool", "char", "date", "float4", "float8", "int2", "int4", "int8", "jsonb", "numeric", "text", "timestamp", "timestamptz", "uuid"]);
    const keys = table.cases.map(label);
    assert.equal(new Set(keys).size, keys.length, "duplicate cases");
    for (const c of table.cases) assert.ok(c.error !== undefined || (c.quals !== undefined && c.rows !== undefined), `${label(c)}: no recorded outcome`);
  });

  it("Postgres host: every case gives the table's quals and rows (or error), and EXPLAIN shows the same quals", async () => {
    await ensureLocalPostgresHost();
    pg = await startThrowawayPostgres({ settings: PG_SETTINGS });
    const cluster = pg;
    const setup = await cluster.psql(pgSetupSql(cluster.copyIn(wasm)));
    assert.equal(setup.code, 0, setup.stderr);
    const results = await mapLimit(table.cases, 2, async (c) => ({
      got: await pgOutcome(cluster, c),
      explain: c.quals !== undefined && c.quals.length > 0 ? await pgExplainQuals(cluster, c) : undefined,
    }));
    let checked = 0;
    const failures: string[] = [];
    table.cases.forEach((c, i) => {
      const r = results[i];
      if (r === undefined) return;
      const want = expected(c);
      if (!isDeepStrictEqual(r.got, want)) failures.push(`${label(c)}: got ${JSON.stringify(r.got)}, the table has ${JSON.stringify(want)}`);
      if (c.quals !== undefined && c.quals.length > 0) {
        const shown = explainShape(r.explain ?? "");
        if (!isDeepStrictEqual(shown, echoShape(c.quals))) failures.push(`${label(c)}: EXPLAIN ${JSON.stringify(shown)} ≠ echo ${JSON.stringify(echoShape(c.quals))}`);
        checked++;
      }
    });
    assert.deepEqual(failures, [], `${failures.length} of ${table.cases.length} cases differ on Postgres`);
    assert.ok(checked > 100, `only ${checked} EXPLAIN cross-checks`);
  });

  it("runner: its opt-in compile cache loads the compiled fixture from disk on the second run", async () => {
    const env = { ...process.env, TSFDW_RUNNER_COMPILE_CACHE: join(dir, "compiled") };
    const sources: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await runnerOutput(["scan", wasm, "--column", "k:int4", "--column", "c:int8", "--where", "c = 7", "--format", "json", "--timing"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '{"k":2,"c":7}\n');
      const line = r.stderr.split("\n").find((l) => l.startsWith('{"timing"')) ?? "{}";
      sources.push((JSON.parse(line) as { timing?: { compile_source?: string } }).timing?.compile_source);
    }
    assert.deepEqual(sources, ["compiled", "disk"]);
  });

  it("runner: every case gives the table's quals and rows, or a clear error", async () => {
    const results = await mapLimit(table.cases, 2, (c) => runnerCase(wasm, c, join(dir, "compiled")));
    const failures: string[] = [];
    table.cases.forEach((c, i) => {
      const r = results[i];
      if (r === undefined) return;
      const want = c.runner?.error ?? c.error;
      if (want !== undefined) {
        if (r.error === undefined) failures.push(`${label(c)}: expected an error containing ${JSON.stringify(want)}, got rows ${JSON.stringify(r.rows)} quals ${JSON.stringify(r.quals)}`);
        else if (!r.error.includes(want) || /panicked|wasmtime error/.test(r.error)) failures.push(`${label(c)}: expected an error containing ${JSON.stringify(want)}, got: ${r.error}`);
        return;
      }
      if (r.error !== undefined) {
        failures.push(`${label(c)}: ${r.error}`);
        return;
      }
      if (!isDeepStrictEqual({ quals: r.quals, rows: r.rows }, { quals: c.quals, rows: c.rows })) {
        failures.push(`${label(c)}: got quals ${JSON.stringify(r.quals)} rows ${JSON.stringify(r.rows)}, the table has quals ${JSON.stringify(c.quals)} rows ${JSON.stringify(c.rows)}`);
      }
      // a condition Postgres does not push down is only re-checked: the runner says so
      if ((c.warning !== undefined || (c.quals ?? []).length === 0) && !/is not pushed down/.test(r.stderr)) failures.push(`${label(c)}: no "not pushed down" warning`);
    });
    assert.deepEqual(failures, [], `${failures.length} of ${table.cases.length} cases differ on the runner`);
  });
});
