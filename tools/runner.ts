// `tsfdw scan <component.wasm> …`: runs the runner (host/, binary tsfdw-runner; wasmtime 36, or a current wasmtime with `--engine strict`) with
// the arguments passed through, forwarding stdio and the exit code. Builds the runner first when
// it is missing, saying so (the first cargo build takes minutes).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cargoTargetDir, repoRoot, runnerBin } from "./paths.js";

export function ensureRunner(log: (msg: string) => void): string {
  if (existsSync(runnerBin)) return runnerBin;
  const manifest = join(repoRoot, "host", "Cargo.toml");
  log(`runner not found at ${runnerBin}; building it: CARGO_TARGET_DIR=${cargoTargetDir} cargo build --release --locked --manifest-path host/Cargo.toml (the first build takes several minutes)`);
  const r = spawnSync("cargo", ["build", "--release", "--locked", "--manifest-path", manifest], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CARGO_TARGET_DIR: cargoTargetDir },
  });
  if (r.error !== undefined) throw new Error(`could not run cargo: ${r.error.message} (install Rust with rustup, then retry)`);
  if (r.status !== 0) throw new Error(`cargo build of the runner failed (exit ${r.status})`);
  if (!existsSync(runnerBin)) throw new Error(`cargo build succeeded but ${runnerBin} does not exist (is TSFDW_RUNNER set to another path?)`);
  return runnerBin;
}

/** Runs `tsfdw-runner <command> …argv` and returns its exit code. */
export function runRunner(command: string, argv: readonly string[]): number {
  let bin: string;
  try {
    bin = ensureRunner((m) => process.stderr.write(`tsfdw ${command}: ${m}\n`));
  } catch (e) {
    process.stderr.write(`tsfdw ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const r = spawnSync(bin, [command, ...argv], { stdio: "inherit" });
  if (r.error !== undefined) {
    process.stderr.write(`tsfdw ${command}: could not run ${bin}: ${r.error.message}\n`);
    return 1;
  }
  if (r.signal !== null) return 128 + (({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[r.signal] ?? 1);
  return r.status ?? 1;
}

export interface RunnerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the runner asynchronously and collects its output: callers that serve HTTP from their own
 * process (the mock GitHub API) must not block their event loop while it runs.
 */
export function runnerOutput(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunnerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(runnerBin, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    // setEncoding decodes across chunk boundaries (a UTF-8 character split between two pipe
    // reads would otherwise become two U+FFFD).
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
