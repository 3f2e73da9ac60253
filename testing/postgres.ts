// Local Postgres helper: a throwaway Postgres 15 with the tsfdw extension (the Supabase Wasm FDW
// host on the same wasmtime 36), an FDW installed from its fdw.json, and SQL results as rows.
//
//   const pg = await startLocalPostgres();
//   await pg.installFdw(".", { wasm: "dist/my_fdw.wasm", serverOptions: { api_url: mock.url } });
//   assert.deepEqual(await pg.rows("select id, name from api.customers where id = 2"), [{ id: 2, name: "Bo" }]);
//   await pg.stop();
//
// The first use installs Postgres 15 (apt-get, as root) and builds the extension (many minutes);
// later uses take about a second. TSFDW_PG_SETUP=skip uses the installed extension as it is.
import { chownSync, copyFileSync, chmodSync, existsSync, renameSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { type FdwProject, resolveProject } from "../tools/build/resolve.js";
import { releaseSql } from "../tools/build/sql.js";
import { ensureLocalPostgresHost, installedExtensionFiles } from "../tools/pg/install.js";
import { startThrowawayPostgres, type PsqlOptions, type ThrowawayPostgres } from "../tools/pg/cluster.js";
import type { Log, RunResult } from "../tools/pg/proc.js";
import { SUPABASE_PRELUDE, SUPABASE_SETTINGS } from "../tools/pg/seed.js";

export interface InstallFdwOptions {
  /** The built component (default dist/<output> of the FDW). */
  wasm?: string;
  /** Server options added to or replacing fdw.json's (e.g. api_url of a mock). */
  serverOptions?: Record<string, string>;
}

export interface LocalPostgres {
  readonly port: number;
  readonly connectionString: string;
  /** The underlying cluster (temp dir, log, raw psql). */
  readonly cluster: ThrowawayPostgres;
  /** psql on the SQL (one session); never throws for SQL errors: look at `code` and `stderr`. */
  psql(sql: string, opts?: PsqlOptions): Promise<RunResult>;
  /** Runs SQL, throwing with psql's error text when a statement fails; returns psql's output. */
  exec(sql: string): Promise<string>;
  /** The rows of one SELECT (no trailing semicolon) as JSON objects (Postgres' row_to_json shapes). */
  rows(select: string): Promise<Record<string, unknown>[]>;
  /**
   * Creates the wrapper, server, schema and foreign tables from the FDW's fdw.json, with
   * fdw_package_url pointing at a copy of the component in the cluster. Returns that URL.
   */
  installFdw(fdw: string | FdwProject, opts?: InstallFdwOptions): Promise<string>;
  /** Replaces the installed component file atomically: the next query loads the new one. */
  replaceComponent(wasm: string, name?: string): string;
  stop(): Promise<void>;
}

/** Makes sure Postgres 15 and the tsfdw extension are installed (or, with TSFDW_PG_SETUP=skip, present). */
export async function ensurePostgresHost(log?: Log): Promise<void> {
  if (process.env["TSFDW_PG_SETUP"] === "skip") {
    const files = await installedExtensionFiles();
    if (!existsSync(files.library)) throw new Error(`TSFDW_PG_SETUP=skip but the tsfdw extension is not installed (${files.library})`);
    return;
  }
  await ensureLocalPostgresHost(log === undefined ? {} : { log });
}

export async function startLocalPostgres(opts: { log?: Log; setup?: boolean } = {}): Promise<LocalPostgres> {
  if (opts.setup !== false) await ensurePostgresHost(opts.log);
  const pg = await startThrowawayPostgres({ settings: SUPABASE_SETTINGS, ...(opts.log !== undefined && { log: opts.log }) });
  const exec = async (sql: string): Promise<string> => {
    const r = await pg.psql(sql);
    if (r.code !== 0) throw new Error(`SQL failed: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const replaceComponent = (wasm: string, name = basename(wasm)): string => {
    const target = join(pg.dir, "files", name);
    if (!existsSync(target)) return pg.copyIn(wasm, name);
    // Write beside it, then rename: a query never reads a half-written file. The host caches
    // compiled components by the sha256 of the bytes, so new bytes are compiled, old ones reused.
    const tmp = `${target}.new`;
    copyFileSync(wasm, tmp);
    chmodSync(tmp, 0o644);
    const owner = statSync(target);
    chownSync(tmp, owner.uid, owner.gid);
    renameSync(tmp, target);
    return target;
  };
  return {
    port: pg.port,
    connectionString: pg.connectionString,
    cluster: pg,
    psql: (sql, o) => pg.psql(sql, o),
    exec,
    async rows(select) {
      const out = await exec(`select coalesce(json_agg(t), '[]'::json) from (${select}) t;`);
      return JSON.parse(out) as Record<string, unknown>[];
    },
    async installFdw(fdw, o = {}) {
      const project = typeof fdw === "string" ? resolveProject(fdw) : fdw;
      const wasm = o.wasm ?? join(project.dir, "dist", project.output);
      if (!existsSync(wasm)) throw new Error(`${wasm} does not exist: build the FDW first (tsfdw build)`);
      const url = `file://${replaceComponent(wasm, project.output)}`;
      await exec(SUPABASE_PRELUDE + releaseSql(project, { url, ...(o.serverOptions !== undefined && { serverOptions: o.serverOptions }) }));
      return url;
    },
    replaceComponent,
    stop: () => pg.stop(),
  };
}
