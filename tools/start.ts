// `npm start`: build the GitHub events FDW and run the seed's SQL, verbatim but for the package
// URL, in a throwaway Postgres 15 with the tsfdw extension (the Supabase host's behaviour on the
// same wasmtime 36): create the wrapper, server, schema and foreign table, then the seed's query,
// printed as psql prints it. Reads api.github.com when it is reachable; otherwise (or with
// --offline) the loopback mock, and says so. `--psql` then opens psql on that database;
// `--runner` skips Postgres and scans through the wasmtime-36 runner instead.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startMockGitHub } from "../mock/github/server.js";
import { distDir, repoRoot } from "./paths.js";
import { startThrowawayPostgres } from "./pg/cluster.js";
import { PG_BINDIR } from "./pg/install.js";
import { SUPABASE_PRELUDE, SUPABASE_SETTINGS, seedSql, sqlLiteral } from "./pg/seed.js";
import { formatPsqlTable, type TableValue } from "./psql-table.js";
import { runnerOutput } from "./runner.js";
import { UsageError, guarded, parse, wantsHelp } from "./cli/args.js";

const GITHUB = "https://api.github.com";

interface StartOptions {
  offline: boolean;
  runner: boolean;
  psql: boolean;
  limit: number;
}

export const START_USAGE = `usage: tsfdw start [--offline] [--psql | --runner [--limit N]]

The main job (npm start): builds the GitHub events FDW, then runs the seed's SQL (examples/seed.sql)
in a throwaway Postgres 15 with the tsfdw extension and prints the seed query's rows as psql does.
Reads api.github.com when it is reachable, else (or with --offline) the loopback mock.

  --offline    read the local mock GitHub API
  --psql       then open psql on that database (\\q quits and removes it)
  --runner     through the wasmtime-36 runner instead of Postgres (--limit N rows, default 5)
`;

function parseStartArgs(argv: readonly string[]): StartOptions {
  const { values } = parse(argv, { offline: { type: "boolean" }, runner: { type: "boolean" }, psql: { type: "boolean" }, limit: { type: "string" } }, START_USAGE, 0);
  const limit = values.limit === undefined ? 5 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError("--limit needs a positive integer", START_USAGE);
  if (values.psql === true && values.runner === true) throw new UsageError("--psql and --runner exclude each other", START_USAGE);
  return { offline: values.offline === true, runner: values.runner === true, psql: values.psql === true, limit };
}

/** True when api.github.com answers within a few seconds (any HTTP status counts as reachable). */
async function githubReachable(): Promise<boolean> {
  try {
    await fetch(GITHUB, { method: "HEAD", signal: AbortSignal.timeout(4000) });
    return true;
  } catch {
    return false;
  }
}

function buildFdw(): string {
  process.stderr.write("building the FDW (tsfdw build)…\n");
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error("tsfdw build failed");
  const fdw = JSON.parse(readFileSync(join(repoRoot, "fdw", "github-events", "fdw.json"), "utf8")) as { output?: string };
  return join(distDir, fdw.output ?? "github_events_fdw.wasm");
}

/**
 * The seed's SQL in a throwaway Postgres; returns psql's output of the seed query. With
 * `interactive`, then hands the terminal to psql in that database until the user quits.
 */
async function viaPostgres(wasm: string, apiUrl: string | undefined, interactive = false): Promise<string> {
  process.stderr.write("starting a throwaway Postgres 15 (tsfdw extension)…\n");
  const pg = await startThrowawayPostgres({ settings: SUPABASE_SETTINGS });
  try {
    const seed = seedSql(`file://${pg.copyIn(wasm)}`);
    // Offline, the server still gets the seed's api_url verbatim; a separate statement then points it at the mock.
    const redirect = apiUrl === undefined ? "" : `alter server example_server options (set api_url ${sqlLiteral(apiUrl)});\n`;
    const setup = await pg.psql(SUPABASE_PRELUDE + seed.setup + redirect);
    if (setup.code !== 0) throw new Error(`the seed's SQL failed:\n${setup.stderr.trim()}`);
    if (interactive) {
      process.stdout.write(`psql on the throwaway database (github.events is ready; \\q quits and removes it)\n`);
      await new Promise<void>((resolve, reject) => {
        const child = spawn(join(PG_BINDIR, "psql"), ["-X", "-h", "127.0.0.1", "-p", String(pg.port), "-U", "postgres"], { stdio: "inherit" });
        child.on("error", reject);
        child.on("close", () => resolve());
      });
      return "";
    }
    const query = await pg.psql(seed.query, { tuplesOnly: false });
    if (query.code !== 0) throw new Error(`the seed's query failed:\n${query.stderr.trim()}`);
    return `${seed.query.trim()}\n\n${query.stdout}`;
  } finally {
    await pg.stop();
  }
}

/** The seed's query through the runner (asynchronously: the mock answers from this process). */
async function viaRunner(wasm: string, apiUrl: string, limit: number): Promise<string> {
  const args = [
    "scan", wasm,
    "--server", `api_url=${apiUrl}`,
    "--table", "object=events",
    "--column", "id:text", "--column", "type:text", "--column", "actor:jsonb",
    "--column", "repo:jsonb", "--column", "created_at:timestamp",
    "--limit", String(limit), "--format", "json",
  ];
  const r = await runnerOutput(args);
  if (r.code !== 0) throw new Error(r.stderr.trim() || `runner exited with ${r.code}`);
  const rows = r.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
  const table = rows.map((row) => [field(row, "id"), field(row, "type"), field(row["actor"], "login"), field(row["repo"], "name"), timestamp(field(row, "created_at"))]);
  return (
    `select id, type, actor->>'login' as login, repo->>'name' as repo, created_at from github.events limit ${limit};\n\n` +
    formatPsqlTable(["id", "type", "login", "repo", "created_at"], table)
  );
}

function field(obj: unknown, key: string): TableValue {
  if (obj === null || typeof obj !== "object") return null;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null;
}

const timestamp = (v: TableValue): TableValue => (typeof v === "string" ? v.replace("T", " ") : v);

export async function start(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(START_USAGE);
    return 0;
  }
  let opts: StartOptions;
  try {
    opts = parseStartArgs(argv);
  } catch (e) {
    return guarded("start", () => Promise.reject(e));
  }
  let mock: Awaited<ReturnType<typeof startMockGitHub>> | undefined;
  try {
    const wasm = buildFdw();
    if (opts.offline || !(await githubReachable())) {
      mock = await startMockGitHub();
      process.stdout.write(
        `${opts.offline ? "offline mode" : "api.github.com is not reachable"}: reading the local mock GitHub API at ${mock.url} (generated events, not GitHub's)\n`,
      );
    } else {
      process.stdout.write(`reading live events from ${GITHUB}\n`);
    }
    if (opts.runner) {
      process.stdout.write("through the wasmtime-36 runner (no Postgres)\n\n");
      process.stdout.write(await viaRunner(wasm, mock?.url ?? GITHUB, opts.limit));
    } else {
      process.stdout.write("running the seed's SQL (examples/seed.sql) in a throwaway Postgres 15 with the tsfdw extension\n\n");
      process.stdout.write(await viaPostgres(wasm, mock?.url, opts.psql));
    }
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await mock?.close();
  }
}
