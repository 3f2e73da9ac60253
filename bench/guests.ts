// The bench's reference guests, built on demand: the TypeScript events guest (both engines) and
// the Rust reference guest (cargo, wasm32-unknown-unknown, then `wasm-tools component new`).
// The TypeScript guest is built from a temporary copy that holds the repository's WIT deps
// (no symlinks: the build writes its narrowed WIT into a copy of the project's WIT directory).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir, repoRoot } from "../tools/paths.js";
import { ensureToolchain } from "../tools/build/micro/toolchain.js";

let made: string[] = [];
process.on("exit", () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
  made = [];
});

/** A temporary project directory for bench/events-guest with wit/deps filled in (removed at exit). */
export function eventsGuestProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-bench-guest-"));
  made.push(dir);
  const src = join(repoRoot, "bench", "events-guest");
  cpSync(join(src, "fdw.json"), join(dir, "fdw.json"));
  cpSync(join(src, "src"), join(dir, "src"), { recursive: true });
  cpSync(join(src, "wit", "world.wit"), join(dir, "wit", "world.wit"));
  cpSync(join(repoRoot, "wit", "deps", "wrappers-0.2.0"), join(dir, "wit", "deps", "wrappers-0.2.0"), { recursive: true });
  return dir;
}

/** Builds one engine's component of the events guest into outDir; returns its path. */
export function buildEventsGuest(engine: "quickjs" | "micro", outDir: string): { wasm: string; ms: number } {
  const project = eventsGuestProject();
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "build", project, "--engine", engine, "--out", outDir], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`tsfdw build --engine ${engine} of the bench guest failed: ${r.stderr}`);
  return { wasm: join(outDir, "bench_events_guest.wasm"), ms };
}

/** Builds bench/rust-guest (release, wasm32-unknown-unknown) and wraps it into a component. */
export function buildRustGuest(outDir: string, log: (m: string) => void): string {
  const tc = ensureToolchain(log);
  const target = join(cacheDir, "bench-rust-target");
  const manifest = join(repoRoot, "bench", "rust-guest", "Cargo.toml");
  log("building the Rust reference guest (cargo build --release --target wasm32-unknown-unknown)…");
  const r = spawnSync("cargo", ["build", "--release", "--locked", "--target", "wasm32-unknown-unknown", "--manifest-path", manifest], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CARGO_TARGET_DIR: target },
  });
  if (r.status !== 0) throw new Error("cargo build of bench/rust-guest failed (is the wasm32-unknown-unknown target installed? rustup target add wasm32-unknown-unknown)");
  const core = join(target, "wasm32-unknown-unknown", "release", "tsfdw_bench_rust_guest.wasm");
  const out = join(outDir, "bench_rust_guest.wasm");
  const c = spawnSync(tc.wasmTools, ["component", "new", core, "-o", out], { encoding: "utf8" });
  if (c.status !== 0) throw new Error(`wasm-tools component new failed: ${c.stderr}`);
  readFileSync(out);
  return out;
}
