// What `tsfdw scan | insert | update | delete | import-schema | inspect` share: they run the runner
// (tsfdw-runner: the supabase:wrappers host on wasmtime 36, or `--engine strict`) with the same
// options it takes, checked here first. On top of the runner:
//   - COMPONENT may be an FDW directory (holding fdw.json; default: the current directory when it
//     holds one): it is built first and its dist/<output> runs, with fdw.json's server options;
//   - `--foreign-table NAME` takes the columns and table options of fdw.json's table NAME;
//   - `--mock` starts fdw.json's dev mock API and applies its dev server options.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { relative } from "node:path";
import { build, parseBuildArgs } from "../build/index.js";
import { type FdwProject, resolveProject } from "../build/resolve.js";
import { ensureRunner } from "../runner.js";
import { UsageError, guarded, keyValues, parse, wantsHelp } from "./args.js";
import { type StartedMock, devServerOptions, startDevMock } from "./mock.js";

type OptionSpec = { type: "string" | "boolean"; multiple?: boolean; short?: string };

const HOST_OPTIONS: Record<string, OptionSpec> = {
  server: { type: "string", multiple: true },
  checksum: { type: "string" },
  "http-retry-base-ms": { type: "string" },
  vault: { type: "string", multiple: true },
  setting: { type: "string", multiple: true },
  stats: { type: "boolean" },
  engine: { type: "string" },
};
const TABLE_OPTIONS: Record<string, OptionSpec> = {
  table: { type: "string", multiple: true },
  column: { type: "string", multiple: true },
  "foreign-table": { type: "string" },
};
const KIT_OPTIONS: Record<string, OptionSpec> = { mock: { type: "boolean" }, help: { type: "boolean", short: "h" } };

export type RunnerCommandName = "scan" | "insert" | "update" | "delete" | "import-schema" | "inspect";

/** Each command's own options, beyond the host (and, for the table commands, table) options. */
const OWN: Record<RunnerCommandName, Record<string, OptionSpec>> = {
  scan: {
    where: { type: "string", multiple: true },
    limit: { type: "string" },
    offset: { type: "string" },
    format: { type: "string" },
    timing: { type: "boolean" },
    rescan: { type: "boolean" },
    explain: { type: "boolean" },
  },
  insert: { values: { type: "string", multiple: true } },
  update: { rowid: { type: "string" }, values: { type: "string" } },
  delete: { rowid: { type: "string" } },
  "import-schema": {
    "remote-schema": { type: "string" },
    "local-schema": { type: "string" },
    "server-name": { type: "string" },
    option: { type: "string", multiple: true },
    "limit-to": { type: "string", multiple: true },
    except: { type: "string", multiple: true },
  },
  inspect: {},
};

const TABLE_COMMANDS: readonly RunnerCommandName[] = ["scan", "insert", "update", "delete"];

const COMMON_HELP = `component: a .wasm (path, file://PATH or http(s)://URL with --checksum), or an FDW directory
(holding fdw.json; default: the current directory when it holds one), which is built first and
runs with fdw.json's server options.

host options (all commands):
  --server KEY=VALUE       server option (repeatable; over fdw.json's)
  --vault NAME=SECRET      Vault secret for utils.get-vault-secret (repeatable)
  --setting NAME=VALUE     session setting for utils.query-setting (repeatable)
  --checksum HEX           sha256 of the component (required for http(s) URLs)
  --http-retry-base-ms MS  base of the host's HTTP retry backoff (Supabase: 1000)
  --stats                  print the stats store as one JSON line on stderr
  --engine supabase|strict wasmtime 36 as on Supabase (default), or a current wasmtime with the
                           component model's rules enforced
  --mock                   start fdw.json's dev mock API and use its dev server options
`;

const TABLE_HELP = `table options:
  --table KEY=VALUE        table option (repeatable)
  --column NAME:TYPE       column in table order, Postgres type names (repeatable)
  --foreign-table NAME     the columns and options of table NAME in fdw.json (default: its only table)
`;

export const USAGES: Record<RunnerCommandName, string> = {
  scan: `usage: tsfdw scan [COMPONENT] [options]

SELECT through the runner: init, begin-scan, iter-scan until none, end-scan; WHERE rechecked and
OFFSET/LIMIT applied on the output as Postgres does. Rows print as psql prints them.

  --where "COL OP VALUE"   condition passed to the guest as a qual (repeatable, ANDed)
  --limit N, --offset N    the LIMIT hint (and OFFSET)
  --format table|json      output (json: one object per row)
  --rescan                 re-scan and read again (nested-loop inner side)
  --explain                init and end-scan only (EXPLAIN)
  --timing                 phase timings as JSON on stderr

${TABLE_HELP}
${COMMON_HELP}`,
  insert: `usage: tsfdw insert [COMPONENT] [options] --values JSON…

INSERT rows: begin-modify, insert per --values object (keys = column names), end-modify.

  --values JSON            a row as a JSON object (repeatable: one insert per object)

${TABLE_HELP}
${COMMON_HELP}`,
  update: `usage: tsfdw update [COMPONENT] [options] --rowid VALUE --values JSON

UPDATE one row: begin-modify, update(rowid, assigned columns), end-modify. Needs the table option
rowid_column.

  --rowid VALUE            the row's rowid_column value (JSON, or a bare string)
  --values JSON            the assigned columns as a JSON object

${TABLE_HELP}
${COMMON_HELP}`,
  delete: `usage: tsfdw delete [COMPONENT] [options] --rowid VALUE

DELETE one row: begin-modify, delete(rowid), end-modify. Needs the table option rowid_column.

  --rowid VALUE            the row's rowid_column value (JSON, or a bare string)

${TABLE_HELP}
${COMMON_HELP}`,
  "import-schema": `usage: tsfdw import-schema [COMPONENT] --remote-schema S --local-schema L [options]

IMPORT FOREIGN SCHEMA (v2 components): prints the CREATE FOREIGN TABLE statements the guest returns.

  --remote-schema S        IMPORT FOREIGN SCHEMA S
  --local-schema L         … INTO L
  --server-name N          server name passed in the statement (default: fdw.json's, else tsfdw_server)
  --option KEY=VALUE       import option (repeatable)
  --limit-to T | --except T  table list (repeatable)

${COMMON_HELP}`,
  inspect: `usage: tsfdw inspect [COMPONENT] [--server KEY=VALUE]… [--checksum HEX] [--engine E]

Prints which routines version the component exports and its host-version-requirement.

${COMMON_HELP}`,
};

interface Target {
  component: string;
  project?: FdwProject;
}

/** Is `arg` an FDW directory (a directory holding fdw.json)? */
function isFdwDir(arg: string): boolean {
  try {
    return statSync(arg).isDirectory() && existsSync(`${arg}/fdw.json`);
  } catch {
    return false;
  }
}

async function target(positional: string | undefined, command: string, usage: string): Promise<Target> {
  if (positional !== undefined && !isFdwDir(positional)) return { component: positional };
  if (positional === undefined && !existsSync("fdw.json")) throw new UsageError("give a component (.wasm) or an FDW directory", usage);
  const project = resolveProject(positional ?? ".");
  process.stderr.write(`tsfdw ${command}: building ${project.name} from ${relative(process.cwd(), project.dir) || "."}…\n`);
  const r = await build(parseBuildArgs([project.dir, "--no-typecheck"]));
  return { component: r.output.wasmPath, project };
}

/** The runner's argv, in the user's order, with the kit's own options replaced. */
export function runnerArgv(
  command: RunnerCommandName,
  argv: readonly string[],
  extra: { server: Record<string, string>; table: string[] },
): { args: string[]; component?: string; values: Record<string, unknown> } {
  const options = { ...HOST_OPTIONS, ...(TABLE_COMMANDS.includes(command) ? TABLE_OPTIONS : {}), ...OWN[command], ...KIT_OPTIONS };
  const usage = USAGES[command];
  const { values, positionals, tokens } = parse(argv, options, usage, 1);
  const v = values as Record<string, unknown>;
  const out: string[] = [];
  for (const t of tokens) {
    if (t.kind !== "option" || ["server", "foreign-table", "mock", "help"].includes(t.name)) continue;
    out.push(`--${t.name}`, ...(t.value !== undefined ? [t.value] : []));
  }
  // Server options: fdw.json's (or the dev mock's) first, then the user's, which win.
  const server = { ...extra.server, ...keyValues(v["server"] as string[] | undefined, "--server", usage) };
  const serverArgs = Object.entries(server).flatMap(([k, val]) => ["--server", `${k}=${val}`]);
  return { args: [...serverArgs, ...extra.table, ...out], ...(positionals[0] !== undefined && { component: positionals[0] }), values: v };
}

function tableFromProject(project: FdwProject, name: string | undefined, usage: string): string[] {
  const tables = project.sql.tables;
  const table = name !== undefined ? tables.find((t) => t.name === name) : tables.length === 1 ? tables[0] : undefined;
  if (table === undefined) {
    throw new UsageError(
      name !== undefined
        ? `no table ${name} in ${project.dir}/fdw.json (tables: ${tables.map((t) => t.name).join(", ") || "none"})`
        : `fdw.json has ${tables.length} tables (${tables.map((t) => t.name).join(", ")}): pick one with --foreign-table NAME, or give --column/--table`,
      usage,
    );
  }
  return [...Object.entries(table.options).flatMap(([k, v]) => ["--table", `${k}=${v}`]), ...table.columns.flatMap(([n, t]) => ["--column", `${n}:${t}`])];
}

/** Runs the runner with inherited stdio, asynchronously (a mock may be answering from this process). */
function spawnRunner(bin: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(signal !== null ? 128 + (({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1) : (code ?? 1)));
  });
}

export function runnerCommand(command: RunnerCommandName): (argv: readonly string[]) => Promise<number> {
  return (argv) =>
    guarded(command, async () => {
      const usage = USAGES[command];
      if (wantsHelp(argv)) {
        process.stdout.write(usage);
        return 0;
      }
      // First pass: where the component comes from, which table, whether to start the mock.
      const first = runnerArgv(command, argv, { server: {}, table: [] });
      const v = first.values;
      const { component, project } = await target(first.component, command, usage);
      let mock: StartedMock | undefined;
      try {
        let server: Record<string, string> = project?.sql.serverOptions ?? {};
        if (v["mock"] === true) {
          if (project === undefined) throw new UsageError("--mock needs an FDW directory (fdw.json's dev.mock)", usage);
          mock = await startDevMock(project);
          server = devServerOptions(project, mock.url);
        }
        const wantsTable = TABLE_COMMANDS.includes(command) && project !== undefined && v["column"] === undefined;
        const table = wantsTable ? tableFromProject(project, v["foreign-table"] as string | undefined, usage) : [];
        if (v["foreign-table"] !== undefined && project === undefined) throw new UsageError("--foreign-table needs an FDW directory (its fdw.json)", usage);
        const extraServerName = command === "import-schema" && project !== undefined && v["server-name"] === undefined ? ["--server-name", project.sql.server] : [];
        const { args } = runnerArgv(command, argv, { server, table });
        const bin = ensureRunner((m) => process.stderr.write(`tsfdw ${command}: ${m}\n`));
        return await spawnRunner(bin, [command, component, ...args, ...extraServerName]);
      } finally {
        await mock?.close();
      }
    });
}
