// `npm run bench`: component size, build time, per-query start on the wasmtime-36 runner
// (compile + instantiate + init), rows/s through iter-scan on a 20,000-event mock feed, and the
// requests and bytes each kind of query costs against the mock, next to the seed's one page; then
// the same through SQL in the local Postgres host (bench/sql.ts).
// Benchmarks measure; they assert nothing. Results go to stdout and dist/bench.json.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { startMockGitHub } from "../mock/github/server.js";
import { distDir, repoRoot } from "../tools/paths.js";
import { runnerOutput } from "../tools/runner.js";
import { sqlBench } from "./sql.js";
import { buildGuests, formatEngineTable, runnerComparison, sqlColdComparison } from "./engines.js";

interface Timing {
  compile_ms: number;
  instantiate_ms: number;
  init_ms: number;
  begin_scan_ms: number;
  iter_scan_ms: number;
  end_scan_ms: number;
  rows: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${process.platform}/${process.arch}`;
}

function timeBuild(): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error("tsfdw build failed");
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** One runner scan with --timing; resolves with its timing line and the wall time. */
async function timedScan(wasm: string, apiUrl: string, extra: readonly string[] = []): Promise<{ timing: Timing; wallMs: number; rows: number }> {
  const args = ["scan", wasm, "--server", `api_url=${apiUrl}`, "--table", "object=events", "--column", "id:text", "--column", "type:text",
    "--column", "actor:jsonb", "--column", "repo:jsonb", "--column", "payload:jsonb", "--column", "public:bool", "--column", "created_at:timestamp",
    "--format", "json", "--timing", ...extra];
  const t = process.hrtime.bigint();
  const r = await runnerOutput(args);
  const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
  const line = r.stderr.split("\n").find((l) => l.startsWith('{"timing"'));
  if (r.code !== 0 || !line) throw new Error(`runner failed (${r.code}): ${r.stderr.trim()}`);
  const rows = r.stdout.split("\n").filter((l) => l !== "").length;
  return { timing: (JSON.parse(line) as { timing: Timing }).timing, wallMs, rows };
}

// ---- requests and bytes per query against the mock ---------------------------------------------
// The seed read one page whatever the query: GET /events without per_page (30 events on a mock
// whose default page is 30, as GitHub Enterprise Server; github.com's /events default is 15). The FDW
// now chooses the feed from quals, sizes per_page from LIMIT, stops at a created_at bound and pages
// to the cap. Each query's rows are checked against a full read filtered locally (the mock holds
// fewer than 300 public events, so the full read of /events holds them all).

interface EventRow {
  id: string;
  type: string;
  repo_name: string;
  created_at: string;
}

interface QueryCase {
  name: string;
  args: string[];
  /** The query's answer from a full read (rows newest first). */
  expect: (all: EventRow[]) => EventRow[];
}

interface QueryResult {
  query: string;
  fdw: { requests: number; per_page: string[]; wire_bytes: number; body_bytes: number; rows: number; rows_correct: boolean };
  seed: { requests: number; events: number; wire_bytes: number; rows: number; rows_correct: boolean };
}

const QUERY_COLUMNS = ["id:text", "type:text", "repo_name:text", "created_at:timestamp"];

async function runnerJson(args: readonly string[]): Promise<{ rows: EventRow[]; stderr: string }> {
  const r = await runnerOutput(["scan", ...args, "--format", "json"]);
  if (r.code !== 0) throw new Error(`runner failed (${r.code}): ${r.stderr.trim()}`);
  return { rows: r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as EventRow), stderr: r.stderr };
}

async function requestsPerQuery(wasm: string): Promise<QueryResult[]> {
  const mock = await startMockGitHub({ events: 280, defaultPerPage: 30, rateLimit: 1_000_000, newest: "2026-01-15T12:00:00Z" });
  try {
    const scan = (extra: readonly string[]): Promise<{ rows: EventRow[]; stderr: string }> =>
      runnerJson([wasm, "--server", `api_url=${mock.url}`, "--table", "object=events", ...QUERY_COLUMNS.flatMap((c) => ["--column", c]), "--stats", ...extra]);
    const all = (await scan([])).rows;
    const repo = all[0]?.repo_name ?? "";
    const tenBack = all[9]?.created_at ?? "";
    const cases: QueryCase[] = [
      { name: "limit 5", args: ["--limit", "5"], expect: (a) => a.slice(0, 5) },
      { name: "limit 50 offset 20", args: ["--limit", "50", "--offset", "20"], expect: (a) => a.slice(20, 70) },
      { name: `where repo_name = '${repo}'`, args: ["--where", `repo_name = '${repo}'`], expect: (a) => a.filter((r) => r.repo_name === repo) },
      { name: `where created_at > '${tenBack}' (10 events back)`, args: ["--where", `created_at > '${tenBack}'`], expect: (a) => a.filter((r) => r.created_at > tenBack) },
      { name: "full read", args: [], expect: (a) => a },
    ];
    // The seed's one request, exactly as it sent it.
    mock.resetLog();
    const seedRes = await fetch(`${mock.url}/events`, { headers: { "user-agent": "Example FDW", accept: "application/vnd.github+json", "accept-encoding": "gzip" } });
    const seedPage = ((await seedRes.json()) as { id: string; type: string; repo: { name: string }; created_at: string }[]).map(
      (e): EventRow => ({ id: e.id, type: e.type, repo_name: e.repo.name, created_at: e.created_at.replace(/Z$/, "") }),
    );
    const seedBytes = mock.requests.reduce((n, r) => n + r.bytes, 0);
    const out: QueryResult[] = [];
    for (const c of cases) {
      mock.resetLog();
      const { rows, stderr } = await scan(c.args);
      const stats = JSON.parse(stderr.split("\n").find((l) => l.startsWith('{"stats"')) ?? '{"stats":{}}') as { stats: Record<string, { bytes_in: number }> };
      const expected = c.expect(all);
      const seedRows = c.expect(seedPage);
      out.push({
        query: c.name,
        fdw: {
          requests: mock.requests.length,
          per_page: mock.requests.map((r) => r.query["per_page"] ?? "-"),
          wire_bytes: mock.requests.reduce((n, r) => n + r.bytes, 0),
          body_bytes: Object.values(stats.stats)[0]?.bytes_in ?? 0,
          rows: rows.length,
          rows_correct: JSON.stringify(rows) === JSON.stringify(expected),
        },
        seed: { requests: 1, events: seedPage.length, wire_bytes: seedBytes, rows: seedRows.length, rows_correct: JSON.stringify(seedRows) === JSON.stringify(expected) },
      });
    }
    return out;
  } finally {
    await mock.close();
  }
}

/**
 * quickjs vs micro vs a small Rust guest on the same job (bench/engines.ts). `--engines-only`
 * runs just this part; `--no-sql` skips its SQL half (which needs the local Postgres host).
 */
async function engines(runs: number, sql: boolean): Promise<unknown> {
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  log("bench: engines — building the Rust reference guest, the TypeScript bench guest (quickjs, micro) and the GitHub FDW (quickjs, micro)…");
  const { guests, notes } = await buildGuests(join(distDir, "bench-engines"), log);
  for (const n of notes) log(`bench: note: ${n}`);
  const runner = await runnerComparison(guests, runs, log);
  let cold: Awaited<ReturnType<typeof sqlColdComparison>> | undefined;
  let sqlError: string | undefined;
  if (sql) {
    try {
      cold = await sqlColdComparison(guests, Math.max(3, Math.min(runs, 5)), log);
    } catch (e) {
      sqlError = `failed: ${e instanceof Error ? e.message : String(e)}`;
      log(`bench: engines SQL part ${sqlError}`);
    }
  }
  const table = formatEngineTable(runner, cold);
  log(`\nengines (one page of 100 events; wasmtime 36 runner; ${runs} interleaved runs; ${machine()}):\n${table}\n`);
  return { runner, sql_compile_cache_off: cold ?? sqlError ?? "skipped (--no-sql)", notes, table };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
  if (argv.includes("--engines-only")) {
    const result = { machine: machine(), date: new Date().toISOString(), engines: await engines(runs, !argv.includes("--no-sql")) };
    writeFileSync(join(distDir, "bench-engines.json"), JSON.stringify(result, null, 2) + "\n");
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return;
  }
  const fdw = JSON.parse(readFileSync(join(repoRoot, "fdw", "github-events", "fdw.json"), "utf8")) as { output?: string };
  const wasmPath = join(distDir, fdw.output ?? "github_events_fdw.wasm");

  process.stderr.write("bench: build time (3 builds)…\n");
  const builds = [timeBuild(), timeBuild(), timeBuild()];
  const wasm = readFileSync(wasmPath);

  process.stderr.write("bench: per-query start (7 scans of a 30-event page)…\n");
  const small = await startMockGitHub({ events: 300, rateLimit: 1_000_000 });
  const starts: { timing: Timing; wallMs: number }[] = [];
  try {
    for (let i = 0; i < 7; i++) starts.push(await timedScan(wasmPath, small.url));
  } finally {
    await small.close();
  }

  process.stderr.write("bench: rows/s on a 20,000-event feed (3 scans)…\n");
  const big = await startMockGitHub({ events: 20000, maxPerPage: 20000, defaultPerPage: 20000, cap: 20000, rateLimit: 1_000_000 });
  const bigRuns: { timing: Timing; wallMs: number; rows: number }[] = [];
  try {
    for (let i = 0; i < 3; i++) bigRuns.push(await timedScan(wasmPath, big.url));
  } finally {
    await big.close();
  }

  process.stderr.write("bench: requests and bytes per query against the mock (vs. the seed's one page)…\n");
  const perQuery = await requestsPerQuery(wasmPath);
  for (const q of perQuery) {
    process.stderr.write(
      `  ${q.query.padEnd(58)} fdw ${q.fdw.requests} req (per_page ${q.fdw.per_page.join(",")}), ${q.fdw.wire_bytes} B wire, ${q.fdw.rows} rows ${q.fdw.rows_correct ? "ok" : "WRONG"}` +
        ` | seed 1 req, ${q.seed.wire_bytes} B, ${q.seed.rows} rows ${q.seed.rows_correct ? "ok" : "wrong"}\n`,
    );
  }

  process.stderr.write("bench: through SQL in the local Postgres host (seed query cold/cached, 20,000-event scan)…\n");
  const sql = await sqlBench(wasmPath);

  const result = {
    machine: machine(),
    date: new Date().toISOString(),
    component: { bytes: wasm.length, mb: round(wasm.length / 1e6, 3), sha256: createHash("sha256").update(wasm).digest("hex") },
    build_ms_median: round(median(builds)),
    per_query_start_ms: {
      compile: round(median(starts.map((s) => s.timing.compile_ms))),
      instantiate: round(median(starts.map((s) => s.timing.instantiate_ms)), 2),
      init: round(median(starts.map((s) => s.timing.init_ms)), 2),
      total_process_wall: round(median(starts.map((s) => s.wallMs))),
    },
    scan_20000: {
      rows: bigRuns[0]?.rows ?? 0,
      begin_scan_ms: round(median(bigRuns.map((r) => r.timing.begin_scan_ms))),
      iter_scan_ms: round(median(bigRuns.map((r) => r.timing.iter_scan_ms))),
      iter_scan_rows_per_s: Math.round(median(bigRuns.map((r) => r.timing.rows / (r.timing.iter_scan_ms / 1000)))),
      end_to_end_rows_per_s: Math.round(median(bigRuns.map((r) => r.rows / (r.wallMs / 1000)))),
    },
    requests_per_query: perQuery,
    sql,
    engines: await engines(runs, !argv.includes("--no-sql")),
  };
  writeFileSync(join(distDir, "bench.json"), JSON.stringify(result, null, 2) + "\n");
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
