// The engines part of `npm run bench`: the same job — one page of 100 GitHub events, the seed's
// columns — on a small Rust guest (bench/rust-guest), the TypeScript bench guest
// (bench/events-guest) built with `--engine quickjs` and `--engine micro`, and the GitHub FDW
// (quickjs, and micro when it builds). Per guest: size, code bytes, wasmtime-36 compile
// (min/median), instantiate, begin-scan, rows/s through iter-scan, all from the runner's
// --timing, runs interleaved; then the seed-equivalent query through SQL on the local Postgres
// host with its compile cache off (a new session per query and the on-disk cache emptied
// first), which is what Supabase pays on every query. Measures; asserts nothing.
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { codeBytes } from "../tools/build/code-size.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { startMockGitHub } from "../mock/github/server.js";
import { runnerOutput } from "../tools/runner.js";
import { startThrowawayPostgres } from "../tools/pg/cluster.js";
import { SUPABASE_SETTINGS, sqlLiteral } from "../tools/pg/seed.js";
import { repoRoot } from "../tools/paths.js";
import { buildEventsGuest, buildRustGuest } from "./guests.js";

export interface Guest {
  name: string;
  wasm: string;
  /** Runner arguments beyond the columns (the GitHub FDW needs --limit 100 for one page of 100). */
  extra: string[];
  build_ms?: number;
}

export interface EngineResult {
  guest: string;
  bytes: number;
  code_bytes: number;
  compile_ms: { min: number; median: number; runs: number[] };
  instantiate_ms: number;
  begin_scan_ms: number;
  iter_scan_ms: number;
  rows: number;
  rows_per_s: number;
  build_ms?: number;
}

export interface SqlColdResult {
  guest: string;
  /** planning + execution of the seed-equivalent query, each in a new session with no compiled component cached */
  per_query_ms: number[];
  compile_ms: number[];
  median_per_query_ms: number;
}

const COLUMNS = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:bool", "created_at:timestamp"];
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;


export async function buildGuests(outDir: string, log: (m: string) => void): Promise<{ guests: Guest[]; notes: string[] }> {
  const notes: string[] = [];
  const guests: Guest[] = [];
  mkdirSync(outDir, { recursive: true });
  try {
    guests.push({ name: "rust (bench/rust-guest)", wasm: buildRustGuest(outDir, log), extra: [] });
  } catch (e) {
    notes.push(`Rust reference guest not built: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const engine of ["quickjs", "micro"] as const) {
    const b = buildEventsGuest(engine, join(outDir, `events-${engine}`));
    guests.push({ name: `${engine} (bench/events-guest)`, wasm: b.wasm, extra: [], build_ms: round(b.ms) });
  }
  for (const engine of ["quickjs", "micro"] as const) {
    try {
      const t = Date.now();
      const r = await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--engine", engine, "--out", join(outDir, `github-${engine}`), "--no-typecheck"]));
      guests.push({ name: `${engine} (GitHub FDW)`, wasm: r.output.wasmPath, extra: ["--limit", "100"], build_ms: Date.now() - t });
    } catch (e) {
      notes.push(`GitHub FDW --engine ${engine} not built: ${(e instanceof Error ? e.message : String(e)).split("\n").slice(0, 3).join(" ")}`);
    }
  }
  return { guests, notes };
}

interface Timing {
  compile_ms: number;
  instantiate_ms: number;
  begin_scan_ms: number;
  iter_scan_ms: number;
  rows: number;
}

export async function runnerComparison(guests: readonly Guest[], runs: number, log: (m: string) => void): Promise<EngineResult[]> {
  const mock = await startMockGitHub({ events: 300, rateLimit: 1_000_000 });
  const timings = new Map<string, Timing[]>(guests.map((g) => [g.name, []]));
  try {
    for (let i = 0; i < runs; i++) {
      log(`bench engines: round ${i + 1}/${runs}`);
      for (const g of guests) {
        const r = await runnerOutput(["scan", g.wasm, "--server", `api_url=${mock.url}`, "--table", "object=events", ...COLUMNS.flatMap((c) => ["--column", c]), ...g.extra, "--format", "json", "--timing"]);
        const line = r.stderr.split("\n").find((l) => l.startsWith('{"timing"'));
        if (r.code !== 0 || line === undefined) throw new Error(`${g.name}: runner failed (${r.code}): ${r.stderr.trim()}`);
        timings.get(g.name)?.push((JSON.parse(line) as { timing: Timing }).timing);
      }
    }
  } finally {
    await mock.close();
  }
  return guests.map((g) => {
    const t = timings.get(g.name) ?? [];
    const bytes = new Uint8Array(readFileSync(g.wasm));
    const compile = t.map((x) => x.compile_ms);
    const iter = median(t.map((x) => x.iter_scan_ms));
    const rows = t[0]?.rows ?? 0;
    return {
      guest: g.name,
      bytes: bytes.length,
      code_bytes: codeBytes(bytes),
      compile_ms: { min: round(Math.min(...compile)), median: round(median(compile)), runs: compile.map((c) => round(c)) },
      instantiate_ms: round(median(t.map((x) => x.instantiate_ms)), 2),
      begin_scan_ms: round(median(t.map((x) => x.begin_scan_ms)), 1),
      iter_scan_ms: round(iter, 2),
      rows,
      rows_per_s: Math.round(rows / (iter / 1000)),
      ...(g.build_ms !== undefined ? { build_ms: g.build_ms } : {}),
    };
  });
}

const SEED_QUERY = (table: string): string => `select id, type, actor->>'login' as login, repo->>'name' as repo, created_at from ${table} limit 5`;

/** The seed-equivalent query in the local Postgres host, each in a new session with the compile cache emptied. */
export async function sqlColdComparison(guests: readonly Guest[], runs: number, log: (m: string) => void): Promise<SqlColdResult[]> {
  const mock = await startMockGitHub({ events: 300, rateLimit: 1_000_000 });
  const pg = await startThrowawayPostgres({ settings: SUPABASE_SETTINGS });
  try {
    let setup = "create extension tsfdw;\ncreate foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;\ncreate schema bench;\n";
    guests.forEach((g, i) => {
      const url = sqlLiteral(`file://${pg.copyIn(g.wasm, `guest-${i}.wasm`)}`);
      setup += `create server s${i} foreign data wrapper wasm_wrapper options (fdw_package_url ${url}, fdw_package_name 'bench:guest', fdw_package_version '0.1.0', api_url ${sqlLiteral(mock.url)});\n`;
      setup += `create foreign table bench.g${i} (id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp) server s${i} options (object 'events');\n`;
    });
    const s = await pg.psql(setup);
    if (s.code !== 0) throw new Error(`bench SQL setup failed: ${s.stderr.trim()}`);
    const info = await pg.psql("select tsfdw_cache_info()->>'compiled_dir';", { args: ["-At"] });
    const compiledDir = info.stdout.trim();
    const out: SqlColdResult[] = guests.map((g) => ({ guest: g.name, per_query_ms: [], compile_ms: [], median_per_query_ms: 0 }));
    for (let r = 0; r < runs; r++) {
      log(`bench engines (SQL, compile cache off): round ${r + 1}/${runs}`);
      for (let i = 0; i < guests.length; i++) {
        if (compiledDir !== "") for (const f of safeList(compiledDir)) rmSync(join(compiledDir, f), { force: true });
        const q = await pg.psql(`explain (analyze, costs off, timing off) ${SEED_QUERY(`bench.g${i}`)};\nselect tsfdw_last_timing();\n`);
        if (q.code !== 0) throw new Error(`${guests[i]?.name}: ${q.stderr.trim()}`);
        const planning = Number(/Planning Time: ([\d.]+) ms/.exec(q.stdout)?.[1] ?? NaN);
        const execution = Number(/Execution Time: ([\d.]+) ms/.exec(q.stdout)?.[1] ?? NaN);
        const timing = JSON.parse(q.stdout.split("\n").find((l) => l.trim().startsWith("{")) ?? "{}") as { compile_ms?: number; compile_source?: string };
        if (timing.compile_source !== undefined && timing.compile_source !== "compiled") throw new Error(`${guests[i]?.name}: the component came from the ${timing.compile_source} cache`);
        out[i]?.per_query_ms.push(round(planning + execution));
        out[i]?.compile_ms.push(round(timing.compile_ms ?? NaN));
      }
    }
    for (const o of out) o.median_per_query_ms = round(median(o.per_query_ms));
    return out;
  } finally {
    await pg.stop();
    await mock.close();
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The table printed at the end of the bench. */
export function formatEngineTable(rows: readonly EngineResult[], sql: readonly SqlColdResult[] | undefined): string {
  const rust = rows.find((r) => r.guest.startsWith("rust"));
  const head = ["guest", "size B", "code B", "compile min/med ms", "× rust", "inst ms", "begin ms", "rows/s (100)", "SQL cold/query ms"];
  const lines = rows.map((r) => {
    const s = sql?.find((x) => x.guest === r.guest);
    return [
      r.guest,
      String(r.bytes),
      String(r.code_bytes),
      `${r.compile_ms.min} / ${r.compile_ms.median}`,
      rust ? (r.compile_ms.median / rust.compile_ms.median).toFixed(2) : "-",
      String(r.instantiate_ms),
      String(r.begin_scan_ms),
      String(r.rows_per_s),
      s ? String(s.median_per_query_ms) : "-",
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cols: string[]): string => cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  return [fmt(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...lines.map(fmt)].join("\n");
}
