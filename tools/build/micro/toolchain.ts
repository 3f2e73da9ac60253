// The micro engine's build tools and where they come from: Debian's clang-14, lld-14 (wasm-ld)
// and wasi-libc (apt-get as root, only when missing, saying so), and wit-bindgen-cli (C bindings)
// plus wasm-tools (component new) from crates.io, `cargo install`ed once into the cache
// (<cache>/tools), never into ~/.cargo/bin. Versions are pinned: they are part of the engine's
// cache key, and the same versions give the same bytes.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "../../paths.js";

export type Log = (msg: string) => void;

export const APT_PACKAGES = ["clang-14", "lld-14", "wasi-libc"] as const;
export const WIT_BINDGEN_VERSION = "0.63.0";
export const WASM_TOOLS_VERSION = "1.263.0";

export const toolsDir = join(cacheDir, "tools");

export interface Toolchain {
  clang: string;
  wasmLd: string;
  sysroot: string;
  witBindgen: string;
  wasmTools: string;
  /** Version strings, part of the engine cache key. */
  versions: string;
}

function which(cmd: string): boolean {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
  return r.error === undefined && r.status === 0;
}

function version(cmd: string): string {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
  return (r.stdout || r.stderr || "").split("\n")[0]?.trim() ?? "";
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function mustSpawn(cmd: string, args: readonly string[], what: string, env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(cmd, [...args], { stdio: ["ignore", "inherit", "inherit"], env });
  if (r.error !== undefined) throw new Error(`${what}: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what}: ${cmd} ${args.join(" ")} failed (exit ${r.status})`);
}

const SYSROOT = "/usr";
const WASI_HEADER = "/usr/include/wasm32-wasi/stdlib.h";

function haveDebianTools(): boolean {
  return which("clang-14") && which("wasm-ld-14") && existsSync(WASI_HEADER) && existsSync("/usr/lib/wasm32-wasi/libc.a");
}

/** apt-get install of clang-14, lld-14 and wasi-libc when one is missing (as root), else a clear error. */
export function ensureDebianTools(log: Log): void {
  if (haveDebianTools()) return;
  if (!isRoot()) {
    throw new Error(
      `the micro engine needs Debian's ${APT_PACKAGES.join(", ")}; install them as root (apt-get update && apt-get install -y ${APT_PACKAGES.join(" ")}) or run the setup as root`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  log(`installing ${APT_PACKAGES.join(", ")} for the micro engine (apt-get update && apt-get install)…`);
  mustSpawn("apt-get", ["update"], "apt-get update", env);
  mustSpawn("apt-get", ["install", "-y", "--no-install-recommends", ...APT_PACKAGES], "apt-get install", env);
  if (!haveDebianTools()) throw new Error(`apt-get installed ${APT_PACKAGES.join(", ")} but clang-14/wasm-ld-14/wasi-libc are still not usable`);
}

function cargoTool(name: string, crate: string, ver: string, extra: readonly string[], log: Log): string {
  const bin = join(toolsDir, "bin", name);
  const r = existsSync(bin) ? spawnSync(bin, ["--version"], { encoding: "utf8" }) : undefined;
  if (r !== undefined && r.status === 0 && r.stdout.includes(ver)) return bin;
  mkdirSync(toolsDir, { recursive: true });
  log(`installing ${crate} ${ver} from crates.io into ${toolsDir} (cargo install; a few minutes, once)…`);
  mustSpawn("cargo", ["install", "--locked", "--root", toolsDir, "--version", ver, ...extra, crate], `cargo install ${crate}`, {
    ...process.env,
    CARGO_TARGET_DIR: join(toolsDir, "target"),
    // Build-time tools run for milliseconds per FDW build, so an unoptimised build costs nothing
    // there and halves the first setup (measured on 2 cores: 427 s instead of 981 s for both);
    // their output is byte-identical (checked: generated C and assembled components).
    CARGO_PROFILE_RELEASE_OPT_LEVEL: "0",
    CARGO_PROFILE_RELEASE_LTO: "false",
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS: "16",
    CARGO_PROFILE_RELEASE_DEBUG: "0",
  });
  return bin;
}

/** Everything the engine build needs, installed when missing. */
export function ensureToolchain(log: Log): Toolchain {
  ensureDebianTools(log);
  const witBindgen = cargoTool("wit-bindgen", "wit-bindgen-cli", WIT_BINDGEN_VERSION, ["--no-default-features", "--features", "c"], log);
  const wasmTools = cargoTool("wasm-tools", "wasm-tools", WASM_TOOLS_VERSION, ["--no-default-features", "--features", "component,validate,print,parse,strip"], log);
  const versions = [version("clang-14"), version("wasm-ld-14"), version(witBindgen), version(wasmTools), existsSync(WASI_HEADER) ? "wasi-libc" : ""].join("; ");
  return { clang: "clang-14", wasmLd: "wasm-ld-14", sysroot: SYSROOT, witBindgen, wasmTools, versions };
}
