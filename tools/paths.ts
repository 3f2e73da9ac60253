// Where things live, in one place: the repository root, build outputs and the cached Rust build.
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (this file is compiled to out/tools/paths.js). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Caches live outside the clone so that a fresh clone rebuilds quickly. */
export const cacheDir = process.env.TSFDW_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tsfdw");

/** Cargo target directory for the Rust hosts. */
export const cargoTargetDir = process.env.CARGO_TARGET_DIR ?? join(cacheDir, "cargo-target");

/** The runner binary built from host/ (wasmtime 36 by default, `--engine strict` for a current wasmtime). */
export const runnerBin = process.env.TSFDW_RUNNER ?? join(cargoTargetDir, "release", "tsfdw-runner");

/** Default output directory of `tsfdw build`. */
export const distDir = join(repoRoot, "dist");

/**
 * TypeScript's tsc, wherever npm put the `typescript` dependency (this package's node_modules, or
 * the FDW project's when tsfdw is installed from a registry or git).
 */
export function tscPath(): string {
  const pkg = createRequire(import.meta.url).resolve("typescript/package.json");
  return join(dirname(pkg), "bin", "tsc");
}
