// A throwaway Postgres cluster: initdb in a fresh temp dir as a non-root OS user, listening only on
// 127.0.0.1 (free port) with its unix socket in the temp dir; `stop()` shuts it down and removes the
// dir. Nothing is left running if the Node process is interrupted or dies: the server runs under a
// tiny sh watchdog that stops it (fast shutdown) as soon as its stdin pipe from Node closes, and
// SIGINT/SIGTERM/exit handlers stop it and remove the dir.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { PG_BINDIR, isRoot } from "./install.js";
import { mustRun, pidAlive, run, since, stderrLog, type Log, type RunResult } from "./proc.js";

/** OS user that owns and runs throwaway clusters when we are root (initdb refuses root). */
export const PG_OS_USER = process.env.TSFDW_PG_USER ?? "tsfdw";

export interface PsqlOptions {
  /** Database (default `postgres`). */
  db?: string;
  /** Stop at the first error (default true). With false every statement runs, in one session. */
  onErrorStop?: boolean;
  /** Unaligned, tuples only (`-At`; default true). */
  tuplesOnly?: boolean;
  /** CSV output (`--csv`, implies a header unless tuplesOnly). */
  csv?: boolean;
  /** Field separator for unaligned output (default `|`). */
  fieldSeparator?: string;
  /** Extra psql arguments. */
  args?: string[];
}

export interface ThrowawayPostgres {
  readonly port: number;
  /** Temp dir holding data/, the socket, postgres.log and files copied in. */
  readonly dir: string;
  readonly connectionString: string;
  /** Server log (stderr of postgres). */
  readonly logFile: string;
  /** Timings in ms: initdb, start. */
  readonly timings: { initdbMs: number; startMs: number };
  /** Run SQL through psql in one session (statements separated by `;`, read from stdin). */
  psql(sql: string, opts?: PsqlOptions): Promise<RunResult>;
  /** Copy a file into the cluster dir, readable by the Postgres OS user; returns its absolute path. */
  copyIn(path: string, name?: string): string;
  /** The server log so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Log;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
  /** Environment for the server (e.g. TZ); HOME and XDG_CACHE_HOME point into the temp dir. */
  env?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

interface OsUser {
  uid: number;
  gid: number;
  name: string;
}

async function ensureOsUser(log: Log): Promise<OsUser | undefined> {
  if (!isRoot()) return undefined;
  let id = await run("id", ["-u", PG_OS_USER]);
  if (id.code !== 0) {
    log(`creating system user ${PG_OS_USER} to run throwaway Postgres clusters (initdb refuses root)`);
    const add = await run("useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", PG_OS_USER]);
    id = await run("id", ["-u", PG_OS_USER]); // another process may have created it meanwhile
    if (id.code !== 0) throw new Error(`useradd ${PG_OS_USER} failed (exit ${add.code}): ${add.stderr.trim()}`);
  }
  const gid = await mustRun("id", ["-g", PG_OS_USER]);
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()), name: PG_OS_USER };
}

// Clusters still running, for the signal/exit handlers.
const live = new Set<{ dir: string; child: ChildProcess; pidFile: string }>();
let handlersInstalled = false;

function killNow(entry: { dir: string; child: ChildProcess; pidFile: string }): void {
  try {
    const pid = Number(readFileSync(entry.pidFile, "utf8").split("\n")[0]);
    if (pid > 0) process.kill(pid, "SIGQUIT"); // immediate shutdown of postmaster and its backends
  } catch {
    // not started or already gone
  }
  try {
    entry.child.stdin?.destroy();
    entry.child.kill("SIGKILL");
  } catch {
    // gone
  }
  try {
    rmSync(entry.dir, { recursive: true, force: true });
  } catch {
    // best effort
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const e of live) killNow(e);
    live.clear();
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      for (const e of live) killNow(e);
      live.clear();
      process.kill(process.pid, sig); // default action now that our handler is gone
    });
  }
}

// Runs "$@" (postgres) in the background; stops it with SIGINT (fast shutdown) when stdin closes.
const WATCHDOG = 'exec 3<&0; "$@" </dev/null 3<&- & pid=$!; read _ <&3; kill -INT $pid 2>/dev/null; wait $pid';

/** Remove temp dirs left by a Node process that was SIGKILLed (its server was stopped by the watchdog). */
function removeStaleDirs(): void {
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith("tsfdw-pg-"));
  } catch {
    return;
  }
  for (const n of names) {
    const d = join(tmpdir(), n);
    try {
      if (Date.now() - statSync(d).mtimeMs < 10 * 60_000) continue;
      let pid = 0;
      try {
        pid = Number(readFileSync(join(d, "data", "postmaster.pid"), "utf8").split("\n")[0]);
      } catch {
        // no server
      }
      if (pid > 0 && pidAlive(pid)) continue;
      rmSync(d, { recursive: true, force: true });
    } catch {
      // racing with another cleanup
    }
  }
}

/** Start a fresh cluster. Needs Debian's postgresql-15 (see install.ts). */
export async function startThrowawayPostgres(opts: StartOptions = {}): Promise<ThrowawayPostgres> {
  const log = opts.log ?? stderrLog;
  const user = await ensureOsUser(log);
  removeStaleDirs();
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-pg-"));
  const dataDir = join(dir, "data");
  const home = join(dir, "home");
  const files = join(dir, "files");
  mkdirSync(home);
  mkdirSync(files);
  chmodSync(dir, 0o755);
  if (user) {
    for (const p of [dir, home, files]) chownSync(p, user.uid, user.gid);
  }
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CACHE_HOME: join(home, ".cache"),
    LANG: "C.UTF-8",
    TZ: "UTC",
    ...opts.env,
  };

  let t = process.hrtime.bigint();
  await mustRun(
    join(PG_BINDIR, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
    { ...ids, env, cwd: dir },
  );
  const initdbMs = since(t);

  t = process.hrtime.bigint();
  const port = await freePort();
  const logFile = join(dir, "postgres.log");
  const logFd = openSync(logFile, "a");
  if (user) chownSync(logFile, user.uid, user.gid);
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: dir,
    fsync: "off",
    full_page_writes: "off",
    synchronous_commit: "off",
    max_connections: "20",
    shared_buffers: "32MB",
    TimeZone: "UTC",
    ...opts.settings,
  };
  const args = ["-D", dataDir, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const child = spawn("/bin/sh", ["-c", WATCHDOG, "tsfdw-pg-watchdog", join(PG_BINDIR, "postgres"), ...args], {
    ...ids,
    env,
    cwd: dir,
    stdio: ["pipe", logFd, logFd],
  });
  closeSync(logFd);
  child.stdin?.on("error", () => {});
  const entry = { dir, child, pidFile: join(dataDir, "postmaster.pid") };
  live.add(entry);
  installHandlers();
  let exited = false;
  child.on("exit", () => (exited = true));

  const readLog = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  // Wait until it accepts connections.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await run(join(PG_BINDIR, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-t", "1"]);
    if (r.code === 0) break;
    if (exited || Date.now() > deadline) {
      killNow(entry);
      live.delete(entry);
      throw new Error(`throwaway Postgres did not start (port ${port}):\n${readLog().slice(-3000)}`);
    }
    await new Promise((r2) => setTimeout(r2, 100));
  }
  const startMs = since(t);
  log(`throwaway Postgres ${basename(dir)} on 127.0.0.1:${port} (initdb ${initdbMs} ms, start ${startMs} ms)`);

  const connectionString = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;

  return {
    port,
    dir,
    connectionString,
    logFile,
    timings: { initdbMs, startMs },
    psql(sql: string, p: PsqlOptions = {}) {
      const a = ["-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", p.db ?? "postgres"];
      a.push("-v", `ON_ERROR_STOP=${p.onErrorStop === false ? 0 : 1}`);
      if (p.csv) a.push("--csv");
      if (p.tuplesOnly !== false) a.push("-A", "-t");
      if (p.fieldSeparator !== undefined) a.push("-F", p.fieldSeparator);
      a.push(...(p.args ?? []), "-f", "-");
      return run(join(PG_BINDIR, "psql"), a, {
        input: sql,
        env: { ...process.env, PGCONNECT_TIMEOUT: "10", PGOPTIONS: "" },
      });
    },
    copyIn(path: string, name?: string) {
      const target = join(files, name ?? basename(path));
      copyFileSync(path, target);
      chmodSync(target, 0o644);
      if (user) chownSync(target, user.uid, user.gid);
      return target;
    },
    log: readLog,
    async stop() {
      if (stopped) return;
      stopped = true;
      const t2 = process.hrtime.bigint();
      const done = new Promise<void>((res) => {
        if (exited) res();
        else child.once("exit", () => res());
      });
      child.stdin?.end(); // watchdog: fast shutdown
      const timer = setTimeout(() => killNow(entry), 15_000);
      await done;
      clearTimeout(timer);
      live.delete(entry);
      rmSync(dir, { recursive: true, force: true });
      log(`throwaway Postgres on port ${port} stopped and removed in ${since(t2)} ms`);
    },
  };
}
