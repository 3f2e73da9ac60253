// `npm start`: build the GitHub events FDW, then run the seed's query through the wasmtime-36
// runner: id, type, actor login, repo name and created_at of 5 events. Reads api.github.com when
// it is reachable; otherwise (or with --offline) the loopback mock, and says so.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startMockGitHub } from "../mock/github/server.js";
import { distDir, repoRoot, runnerBin } from "./paths.js";
import { formatPsqlTable, type TableValue } from "./psql-table.js";

const GITHUB = "https://api.github.com";

interface StartOptions {
  offline: boolean;
  limit: number;
}

function parseArgs(argv: readonly string[]): StartOptions {
  const opts: StartOptions = { offline: false, limit: 5 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--offline") opts.offline = true;
    else if (a === "--limit") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error("--limit needs a positive integer");
      opts.limit = n;
    } else throw new Error(`unknown option ${a} (usage: tsfdw start [--offline] [--limit N])`);
  }
  return opts;
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

/** Runs the runner asynchronously: the mock answers from this same process. */
function scan(wasm: string, apiUrl: string, limit: number): Promise<Record<string, unknown>[]> {
  const args = [
    "scan", wasm,
    "--server", `api_url=${apiUrl}`,
    "--table", "object=events",
    "--column", "id:text", "--column", "type:text", "--column", "actor:jsonb",
    "--column", "repo:jsonb", "--column", "created_at:timestamp",
    "--limit", String(limit), "--format", "json",
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(runnerBin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(err.trim() || `runner exited with ${code}`));
      resolve(out.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>));
    });
  });
}

function field(obj: unknown, key: string): TableValue {
  if (obj === null || typeof obj !== "object") return null;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null;
}

export async function start(argv: readonly string[]): Promise<number> {
  const opts = parseArgs(argv);
  const wasm = buildFdw();
  let apiUrl = GITHUB;
  let mock: Awaited<ReturnType<typeof startMockGitHub>> | undefined;
  if (opts.offline || !(await githubReachable())) {
    mock = await startMockGitHub();
    apiUrl = mock.url;
    process.stdout.write(
      `${opts.offline ? "offline mode" : "api.github.com is not reachable"}: reading the local mock GitHub API at ${apiUrl} (generated events, not GitHub's)\n\n`,
    );
  } else {
    process.stdout.write(`reading live events from ${GITHUB}\n\n`);
  }
  try {
    const rows = await scan(wasm, apiUrl, opts.limit);
    const table = rows.map((r) => [field(r, "id"), field(r, "type"), field(r.actor, "login"), field(r.repo, "name"), field(r, "created_at")]);
    process.stdout.write(`select id, type, actor->>'login' as login, repo->>'name' as repo, created_at from github.events limit ${opts.limit};\n\n`);
    process.stdout.write(formatPsqlTable(["id", "type", "login", "repo", "created_at"], table.map((r) => r.map((v, i) => (i === 4 && typeof v === "string" ? v.replace("T", " ") : v)))));
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await mock?.close();
  }
}
