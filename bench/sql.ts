// The SQL half of `npm run bench`: the same component in the local Postgres host (the tsfdw
// extension, wasmtime 36). Per-query latency split into compile (cold, on-disk cache, in-memory
// cache), instantiate+init, HTTP and scan, read from EXPLAIN ANALYZE (planning = instance
// creation, execution = the scan) and tsfdw_last_timing(); and rows/s on a 20,000-event feed.
import { startMockGitHub } from "../mock/github/server.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/cluster.js";
import { SUPABASE_SETTINGS, sqlLiteral } from "../tools/pg/seed.js";

interface LastTiming {
  compile_ms: number;
  compile_source: string;
  instantiate_ms: number;
  init_ms: number;
  begin_scan_ms: number;
  iter_scan_ms: number;
  end_scan_ms: number;
  http_ms: number;
  http_requests: number;
  http_bytes: number;
  rows: number;
}

export interface SqlQueryTiming extends LastTiming {
  planning_ms: number;
  execution_ms: number;
}

const COLUMNS = "id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp";
const SEED_QUERY = "select id, type, actor->>'login' as login, repo->>'name' as repo, created_at from bench.small limit 5";
const FULL_BIG = "select id, type, actor, repo, payload, public, created_at from bench.big";

/** Runs `explain analyze` of each query then `tsfdw_last_timing()`, all in ONE session (backend). */
async function session(pg: ThrowawayPostgres, queries: readonly string[]): Promise<SqlQueryTiming[]> {
  const sql = queries.map((q) => `explain (analyze, costs off, timing off) ${q};\nselect tsfdw_last_timing();\n`).join("");
  const r = await pg.psql(sql);
  if (r.code !== 0) throw new Error(`bench SQL failed: ${r.stderr.trim()}`);
  const out: SqlQueryTiming[] = [];
  let planning = NaN;
  let execution = NaN;
  for (const line of r.stdout.split("\n")) {
    const p = /^Planning Time: ([\d.]+) ms$/.exec(line.trim());
    const e = /^Execution Time: ([\d.]+) ms$/.exec(line.trim());
    if (p) planning = Number(p[1]);
    else if (e) execution = Number(e[1]);
    else if (line.startsWith("{")) out.push({ ...(JSON.parse(line) as LastTiming), planning_ms: planning, execution_ms: execution });
  }
  if (out.length !== queries.length) throw new Error(`expected ${queries.length} timings, got ${out.length}: ${r.stdout}`);
  return out;
}

export interface SqlBench {
  seed_query: {
    /** First query of a fresh database: the component is compiled. */
    cold: SqlQueryTiming;
    /** The same query again in the same session: in-memory compile cache. */
    same_session: SqlQueryTiming;
    /** A new session (backend): the on-disk compile cache. */
    new_session: SqlQueryTiming;
  };
  full_scan_20000: { runs: SqlQueryTiming[]; rows_per_s_median: number };
}

export async function sqlBench(wasmPath: string): Promise<SqlBench> {
  const small = await startMockGitHub({ events: 300, rateLimit: 1_000_000 });
  const big = await startMockGitHub({ events: 20000, cap: 20000, rateLimit: 1_000_000 });
  const pg = await startThrowawayPostgres({ settings: SUPABASE_SETTINGS });
  try {
    const url = sqlLiteral(`file://${pg.copyIn(wasmPath)}`);
    const server = (name: string, api: string): string =>
      `create server ${name} foreign data wrapper wasm_wrapper options (fdw_package_url ${url}, fdw_package_name 'tsfdw:github-events-fdw', fdw_package_version '0.1.0', api_url ${sqlLiteral(api)});\n`;
    const setup = await pg.psql(
      "create extension tsfdw;\ncreate foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;\n" +
        server("small_server", small.url) + server("big_server", big.url) +
        `create schema bench;\ncreate foreign table bench.small (${COLUMNS}) server small_server options (object 'events');\n` +
        `create foreign table bench.big (${COLUMNS}) server big_server options (object 'events');\n`,
    );
    if (setup.code !== 0) throw new Error(`bench setup failed: ${setup.stderr.trim()}`);
    const [cold, same] = await session(pg, [SEED_QUERY, SEED_QUERY]);
    const [fresh] = await session(pg, [SEED_QUERY]);
    if (cold === undefined || same === undefined || fresh === undefined) throw new Error("missing timings");
    const runs = await session(pg, [FULL_BIG, FULL_BIG, FULL_BIG]);
    const rates = runs.map((t) => t.rows / (t.execution_ms / 1000)).sort((a, b) => a - b);
    return { seed_query: { cold, same_session: same, new_session: fresh }, full_scan_20000: { runs, rows_per_s_median: Math.round(rates[1] ?? 0) } };
  } finally {
    await pg.stop();
    await small.close();
    await big.close();
  }
}
