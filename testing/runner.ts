// Runner helpers: run a built component on the wasmtime-36 runner (tsfdw-runner, the engine
// Supabase pins; `engine: "strict"` = a current wasmtime) without blocking the event loop, so a
// mock API served from the test's own process keeps answering.
//
//   const run = componentRunner("dist/my_fdw.wasm", { server: { api_url: mock.url } });
//   const customers = run.table("customers", fdwJsonTable);   // or { columns, options }
//   assert.deepEqual(await customers.scan({ where: ["id = 2"] }), [{ id: 2, … }]);
import assert from "node:assert/strict";
import { ensureRunner, type RunnerResult, runnerOutput } from "../tools/runner.js";

export type Run = RunnerResult;

/** The runner with host retries ~1 ms apart, so that retried 5xx/429 tests stay fast. */
export function runner(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  ensureRunner((m) => process.stderr.write(`tsfdw/testing: ${m}\n`));
  return runnerOutput(args, { ...process.env, TSFDW_HTTP_RETRY_BASE_MS: "1", ...env });
}

export const columnArgs = (cols: readonly string[]): string[] => cols.flatMap((c) => ["--column", c]);

const kvArgs = (flag: string, options: Readonly<Record<string, string>>): string[] => Object.entries(options).flatMap(([k, v]) => [flag, `${k}=${v}`]);

/** The rows of a successful `--format json` scan. */
export function rows(r: Run): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A failed run whose error is a clean guest error (no trap, no panic, no rows). */
export function assertGuestError(r: Run, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got rows: ${r.stdout.slice(0, 200)}`);
  assert.match(r.stderr, /guest fdw error: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /wasmtime error|unreachable|panicked/);
  assert.equal(r.stdout, "");
}

/** The `{"stats":{…}}` line of a `--stats` run, by fdw name. */
export function statsOf(r: Run): Record<string, { rows_in: number; bytes_in: number; metadata: unknown }> {
  const line = r.stderr.split("\n").find((l) => l.startsWith('{"stats"'));
  assert.ok(line, `no stats line in: ${r.stderr}`);
  return (JSON.parse(line) as { stats: Record<string, { rows_in: number; bytes_in: number; metadata: unknown }> }).stats;
}

export interface RunnerTableDefinition {
  /** [name, Postgres type] in table order. */
  columns: readonly (readonly [string, string])[];
  options?: Readonly<Record<string, string>>;
}

export interface RunnerScanOptions {
  /** WHERE conditions as the runner takes them, e.g. `"id = 2"` (ANDed; rechecked on the rows as Postgres does). */
  where?: readonly string[];
  limit?: number;
  offset?: number;
  rescan?: boolean;
}

export interface RunnerTable {
  /** Scan and parse the JSON rows; rejects with the runner's stderr on failure. */
  scan(opts?: RunnerScanOptions): Promise<Record<string, unknown>[]>;
  insert(rows: readonly Record<string, unknown>[]): Promise<Run>;
  update(rowid: unknown, values: Record<string, unknown>): Promise<Run>;
  delete(rowid: unknown): Promise<Run>;
  /** The raw run of any runner command with this table's arguments. */
  run(command: "scan" | "insert" | "update" | "delete", extra: readonly string[]): Promise<Run>;
}

export interface ComponentRunner {
  table(definition: RunnerTableDefinition): RunnerTable;
  inspect(): Promise<Run>;
  importSchema(opts: { remoteSchema: string; localSchema: string; serverName?: string; options?: Record<string, string> }): Promise<string[]>;
}

export interface ComponentRunnerOptions {
  server?: Readonly<Record<string, string>>;
  engine?: "supabase" | "strict";
  env?: NodeJS.ProcessEnv;
}

/** Throws with the runner's stderr unless the run succeeded. */
function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`runner ${what} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r;
}

/** A built component on the runner, with its server options fixed. */
export function componentRunner(wasm: string, opts: ComponentRunnerOptions = {}): ComponentRunner {
  const base = (command: string): string[] => [...(opts.engine ? ["--engine", opts.engine] : []), command, wasm, ...kvArgs("--server", opts.server ?? {})];
  const run = (args: readonly string[]): Promise<Run> => runner(args, opts.env);
  return {
    table(def) {
      const tableArgs = [...kvArgs("--table", def.options ?? {}), ...columnArgs(def.columns.map(([n, t]) => `${n}:${t}`))];
      const cmd = (command: "scan" | "insert" | "update" | "delete", extra: readonly string[]): Promise<Run> => run([...base(command), ...tableArgs, ...extra]);
      return {
        run: cmd,
        async scan(s = {}) {
          const extra = [
            "--format", "json",
            ...(s.where ?? []).flatMap((w) => ["--where", w]),
            ...(s.limit !== undefined ? ["--limit", String(s.limit)] : []),
            ...(s.offset !== undefined ? ["--offset", String(s.offset)] : []),
            ...(s.rescan === true ? ["--rescan"] : []),
          ];
          return rows(ok(await cmd("scan", extra), "scan"));
        },
        insert: async (values) => ok(await cmd("insert", values.flatMap((v) => ["--values", JSON.stringify(v)])), "insert"),
        update: async (rowid, values) => ok(await cmd("update", ["--rowid", JSON.stringify(rowid), "--values", JSON.stringify(values)]), "update"),
        delete: async (rowid) => ok(await cmd("delete", ["--rowid", JSON.stringify(rowid)]), "delete"),
      };
    },
    inspect: () => run([...base("inspect")]),
    async importSchema(i) {
      const r = ok(
        await run([...base("import-schema"), "--remote-schema", i.remoteSchema, "--local-schema", i.localSchema, ...(i.serverName ? ["--server-name", i.serverName] : []), ...kvArgs("--option", i.options ?? {})]),
        "import-schema",
      );
      return r.stdout.split("\n").filter((l) => l.trim() !== "");
    },
  };
}
