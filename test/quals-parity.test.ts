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

/** `(field, operator, use_or, value tags)` of each qual in EXPLAIN's Rust debug text. */
function explainShape(text: string): string[] {
  const out: string[] = [];
  const re = /Qual \{ field: "([^"]*)", operator: "([^"]*)", value: (Cell|Array)\((.*?)\), use_or: (true|false)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const tags = [...(m[4] ?? "").matchAll(/\b([A-Z][A-Za-z0-9]*)\(/g)].map((t) => DEBUG_TAGS[t[1] ?? ""] ?? `?${t[1] ?? ""}`);
    out.push(`${m[1]} ${m[2]} ${m[3] === "Array" ? (m[5] === "true" ? "any" : "all") : "cell"} ${tags.join(",")}`);
  }
  return out;
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
    table.cases.forEach((c, i) => {
      const r = results[i];
      assert.ok(r);
      assert.deepEqual(r.got, expected(c), label(c));
      if (c.quals !== undefined && c.quals.length > 0) {
        assert.deepEqual(explainShape(r.explain ?? ""), echoShape(c.quals), `${label(c)}: EXPLAIN ${r.explain ?? "(no Wrappers line)"}`);
        checked++;
      }
    });
    assert.ok(checked > 100, `only ${checked} EXPLAIN cross-checks`);
  });

  it("runner: every case gives the table's quals and rows, or a clear error", async () => {
    const results = await mapLimit(table.cases, 2, (c) => runnerCase(wasm, c));
    table.cases.forEach((c, i) => {
      const r = results[i];
      assert.ok(r);
      const want = c.runner?.error ?? c.error;
      if (want !== undefined) {
        assert.ok(r.error !== undefined, `${label(c)}: expected an error containing ${JSON.stringify(want)}, got rows ${JSON.stringify(r.rows)} quals ${JSON.stringify(r.quals)}`);
        assert.ok(r.error.includes(want), `${label(c)}: expected an error containing ${JSON.stringify(want)}, got: ${r.error}`);
        assert.doesNotMatch(r.error, /panicked|wasmtime error/, label(c));
        return;
      }
      assert.equal(r.error, undefined, `${label(c)}: ${r.error ?? ""}`);
      assert.deepEqual({ quals: r.quals, rows: r.rows }, { quals: c.quals, rows: c.rows }, label(c));
      // a condition Postgres does not push down is only re-checked: the runner says so
      if (c.warning !== undefined || (c.quals ?? []).length === 0) assert.match(r.stderr, /is not pushed down/, label(c));
    });
  });
});
