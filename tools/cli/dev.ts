// `tsfdw dev [fdw-dir] [--sql FILE | --psql] [--watch] [--server KEY=VALUE]… [--setup FILE] [--no-mock]`:
// your FDW in a throwaway local Postgres 15 with the Wasm FDW host (the tsfdw extension: the
// Supabase host's behaviour on the same wasmtime 36). Builds the FDW, starts fdw.json's dev mock
// API (if any), creates the wrapper, server, schema and foreign tables from fdw.json (or runs
// --setup FILE), then runs the SQL file and prints what psql prints, or opens psql. --watch
// rebuilds on every save and swaps the component file; the next query loads the new one (the
// host caches compiled components by the sha256 of their bytes, so new bytes are compiled).
import { spawn } from "node:child_process";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build, parseBuildArgs } from "../build/index.js";
import { type FdwProject, resolveProject } from "../build/resolve.js";
import { PG_BINDIR } from "../pg/install.js";
import { SUPABASE_PRELUDE } from "../pg/seed.js";
import { type LocalPostgres, startLocalPostgres } from "../../testing/postgres.js";
import { UsageError, guarded, keyValues, parse, wantsHelp } from "./args.js";
import { type StartedMock, devServerOptions, startDevMock } from "./mock.js";

export const USAGE = `usage: tsfdw dev [fdw-dir] [--sql FILE | --psql] [--watch] [--server KEY=VALUE]… [options]

Builds the FDW in fdw-dir (default: the current directory), starts a throwaway local Postgres 15
with the Wasm FDW host, creates the wrapper, server, schema and foreign tables from fdw.json, and
then runs FILE (printing what psql prints) or opens psql. The first run installs Postgres 15 and
builds the host extension (as root; many minutes); later runs take seconds. Everything is removed
when the command ends.

  --sql FILE           run this SQL file (default: fdw.json's dev.sql, else psql when interactive)
  --psql               open psql on the database (\\q quits)
  --watch              rebuild on every change under the entry's directory; the next query uses the
                       new component (with --sql: the file runs again, also when the file changes)
  --server KEY=VALUE   server option over fdw.json's sql.serverOptions and dev.serverOptions (repeatable)
  --setup FILE         create wrapper, server and tables with this SQL instead of fdw.json's; psql
                       variables :'fdw_package_url' (the built component) and :'mock_url' are set
  --no-mock            do not start fdw.json's dev.mock (dev.serverOptions using {mock} are dropped)
`;

interface DevArgs {
  project: FdwProject;
  sql?: string;
  psql: boolean;
  watch: boolean;
  server: Record<string, string>;
  setup?: string;
  mock: boolean;
}

function parseDevArgs(argv: readonly string[]): DevArgs {
  const { values, positionals } = parse(
    argv,
    {
      sql: { type: "string" },
      psql: { type: "boolean" },
      watch: { type: "boolean" },
      server: { type: "string", multiple: true },
      setup: { type: "string" },
      "no-mock": { type: "boolean" },
    },
    USAGE,
    1,
  );
  if (values.sql !== undefined && values.psql === true) throw new UsageError("--sql and --psql exclude each other", USAGE);
  const project = resolveProject(positionals[0] ?? ".");
  const file = (f: string | undefined, flag: string): string | undefined => {
    if (f === undefined) return undefined;
    const p = resolve(f);
    if (!existsSync(p)) throw new UsageError(`${flag} ${f}: no such file`, USAGE);
    return p;
  };
  const sql = file(values.sql, "--sql") ?? (values.psql === true ? undefined : project.dev.sql);
  return {
    project,
    ...(sql !== undefined && { sql }),
    psql: values.psql === true || (sql === undefined && process.stdin.isTTY === true),
    watch: values.watch === true,
    server: keyValues(values.server, "--server", USAGE),
    ...(values.setup !== undefined && { setup: file(values.setup, "--setup") as string }),
    mock: values["no-mock"] !== true,
  };
}

const say = (msg: string): void => void process.stderr.write(`tsfdw dev: ${msg}\n`);

/** Builds the FDW; returns the .wasm path, or undefined after printing why the build failed. */
async function rebuild(project: FdwProject): Promise<{ wasm: string; sha256: string } | undefined> {
  try {
    const r = await build(parseBuildArgs([project.dir]));
    const ms = r.report.match(/ in ([\d.]+ s)/)?.[1] ?? "";
    say(`built ${project.name} ${project.version} (${r.output.bytes} bytes, sha256 ${r.output.sha256.slice(0, 12)}…${ms !== "" ? `, ${ms}` : ""})`);
    return { wasm: r.output.wasmPath, sha256: r.output.sha256 };
  } catch (e) {
    say(`build failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** psql on a file or interactively, as the user would run it (command tags, aligned tables, errors on stderr). */
function psql(pg: LocalPostgres, args: readonly string[], vars: Record<string, string>, interactive: boolean): Promise<number> {
  const a = ["-X", "-h", "127.0.0.1", "-p", String(pg.port), "-U", "postgres", "-d", "postgres", ...Object.entries(vars).flatMap(([k, v]) => ["-v", `${k}=${v}`]), ...args];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(`${PG_BINDIR}/psql`, a, { stdio: interactive ? "inherit" : ["ignore", "inherit", "inherit"], env: { ...process.env, PGCONNECT_TIMEOUT: "10" } });
    child.on("error", reject);
    child.on("close", (code) => resolvePromise(code ?? 1));
  });
}

async function setupDatabase(pg: LocalPostgres, a: DevArgs, wasm: string, serverOptions: Record<string, string>, vars: Record<string, string>): Promise<string> {
  if (a.setup === undefined) {
    const url = await pg.installFdw(a.project, { wasm, serverOptions });
    const tables = a.project.sql.tables.map((t) => `${a.project.sql.schema}.${t.name}`).join(", ");
    say(`created wrapper wasm_wrapper, server ${a.project.sql.server}${tables !== "" ? ` and ${tables}` : ""} (fdw.json)`);
    return url;
  }
  const url = `file://${pg.replaceComponent(wasm, a.project.output)}`;
  // What a Supabase database has before any SQL of yours: the extensions schema.
  await pg.exec(SUPABASE_PRELUDE);
  const code = await psql(pg, ["-q", "-v", "ON_ERROR_STOP=1", "-f", a.setup], { ...vars, fdw_package_url: url }, false);
  if (code !== 0) throw new Error(`${relative(process.cwd(), a.setup)} failed (psql exit ${code})`);
  return url;
}

export async function run(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(USAGE);
    return 0;
  }
  return guarded("dev", async () => {
    const a = parseDevArgs(argv);
    if (a.setup !== undefined && Object.keys(a.server).length > 0) throw new UsageError("--server applies to fdw.json's server: with --setup, set options in your file", USAGE);
    const first = await rebuild(a.project);
    if (first === undefined) return 1;
    let mock: StartedMock | undefined;
    let pg: LocalPostgres | undefined;
    let watcher: FSWatcher | undefined;
    try {
      if (a.mock && a.project.dev.mock !== undefined) {
        mock = await startDevMock(a.project);
        say(`mock API (${relative(a.project.dir, a.project.dev.mock)}) at ${mock.url}`);
      }
      const serverOptions = { ...devServerOptions(a.project, mock?.url), ...a.server };
      say("starting a throwaway Postgres 15 with the Wasm FDW host (tsfdw extension)…");
      pg = await startLocalPostgres({ log: (m) => say(m) });
      const vars: Record<string, string> = mock !== undefined ? { mock_url: mock.url } : {};
      await setupDatabase(pg, a, first.wasm, serverOptions, vars);

      const runSql = async (): Promise<number> => {
        if (a.sql === undefined) return 0;
        say(`running ${relative(process.cwd(), a.sql) || a.sql}`);
        return psql(pg as LocalPostgres, ["-e", "-v", "ON_ERROR_STOP=1", "-f", a.sql], vars, false);
      };

      if (a.watch) {
        let sha = first.sha256;
        let busy = Promise.resolve();
        let timer: NodeJS.Timeout | undefined;
        const onChange = (sqlChanged: boolean): void => {
          clearTimeout(timer);
          // Editors write a file in several steps: wait for the burst to end.
          timer = setTimeout(() => {
            busy = busy.then(async () => {
              const b = sqlChanged ? { wasm: first.wasm, sha256: sha } : await rebuild(a.project);
              if (b === undefined) return;
              if (b.sha256 !== sha) {
                (pg as LocalPostgres).replaceComponent(b.wasm, a.project.output);
                say(`the next query uses the new component (sha256 ${b.sha256.slice(0, 12)}…)`);
                sha = b.sha256;
              }
              if (!a.psql) await runSql();
            });
          }, 200);
        };
        const srcDir = dirname(a.project.entry);
        watcher = watch(srcDir, { recursive: true }, () => onChange(false));
        const sqlWatch = a.sql !== undefined ? watch(a.sql, () => onChange(true)) : undefined;
        say(`watching ${relative(process.cwd(), srcDir) || "."}${a.sql !== undefined ? ` and ${relative(process.cwd(), a.sql)}` : ""} (Ctrl-C stops)`);
        if (a.psql) {
          process.stdout.write(`psql on the throwaway database (\\q quits and removes it)\n`);
          await psql(pg, [], vars, true);
        } else {
          await runSql();
          await new Promise<void>((r) => process.once("SIGINT", () => r()));
        }
        sqlWatch?.close();
        await busy;
        return 0;
      }
      if (a.psql) {
        process.stdout.write(`psql on the throwaway database (\\q quits and removes it)\n`);
        return await psql(pg, [], vars, true);
      }
      if (a.sql === undefined) {
        say("nothing to run: give --sql FILE or --psql (or set dev.sql in fdw.json)");
        return 0;
      }
      return await runSql();
    } finally {
      watcher?.close();
      await pg?.stop();
      await mock?.close();
    }
  });
}
