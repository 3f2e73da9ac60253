// Small process helpers for the Postgres tooling: run a command (captured or logged to a file),
// with timing, and a uniform error that names the command and shows the end of its output.
import { spawn, type SpawnOptions } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export type Log = (message: string) => void;

/** Default progress printer: one line per step on stderr. */
export const stderrLog: Log = (message) => process.stderr.write(`[tsfdw pg] ${message}\n`);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  uid?: number;
  gid?: number;
  /** Send stdout+stderr to this file instead of capturing them. */
  logFile?: string;
  timeoutMs?: number;
}

/** Run a command to completion; never throws for a non-zero exit (see `mustRun`). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] };
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid;
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid;
    const child = spawn(cmd, [...args], spawnOpts);
    let stdout = "";
    let stderr = "";
    let logStream: ReturnType<typeof createWriteStream> | undefined;
    if (opts.logFile) {
      mkdirSync(dirname(opts.logFile), { recursive: true });
      logStream = createWriteStream(opts.logFile, { flags: "a" });
      logStream.write(`\n$ ${cmd} ${args.join(" ")}\n`);
      child.stdout?.pipe(logStream, { end: false });
      child.stderr?.pipe(logStream, { end: false });
    } else {
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    }
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) {
      timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    }
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const done = () => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
      if (logStream) logStream.end(done);
      else done();
    });
    child.stdin?.on("error", () => {});
    child.stdin?.end(opts.input ?? "");
  });
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Run a command and throw (with the end of its output) when it fails. */
export async function mustRun(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    let output = `${r.stdout}${r.stderr}`;
    if (opts.logFile) {
      try {
        output = readFileSync(opts.logFile, "utf8");
      } catch {
        // keep what we have
      }
    }
    const where = opts.logFile ? ` (full log: ${opts.logFile})` : "";
    throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.code}${where}\n${tail(output)}`);
  }
  return r;
}

/** Milliseconds since `start`, for step timings. */
export function since(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1_000_000n);
}

/** Whether a process exists (EPERM: it does, owned by another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
