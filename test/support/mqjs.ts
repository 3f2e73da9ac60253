// A native MicroQuickJS (`mqjs` REPL, gcc) for tests of the ES5 lowering and the polyfills, built
// once from the mquickjs-sys crate's C sources by engines/micro/native-test/build-mqjs.sh and cached
// in ~/.cache/tsfdw/mqjs-native/<hash of sources and script>/mqjs ($TSFDW_MQJS: use that binary
// instead). Not the guest engine (that is the `micro` build for wasm32): the same interpreter and
// standard library, compiled natively.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir, repoRoot } from "../../tools/paths.js";

const BUILD_SCRIPT = join(repoRoot, "engines", "micro", "native-test", "build-mqjs.sh");
const CRATE = "mquickjs-sys-0.2.0";

/** The crate's vendored C sources: $TSFDW_MQUICKJS_SRC, else the cargo registry. */
export function mquickjsSources(): string | undefined {
  const env = process.env["TSFDW_MQUICKJS_SRC"];
  if (env !== undefined) return existsSync(join(env, "mquickjs.c")) ? env : undefined;
  const registry = join(process.env["CARGO_HOME"] ?? join(homedir(), ".cargo"), "registry", "src");
  if (!existsSync(registry)) return undefined;
  for (const index of readdirSync(registry).sort()) {
    const dir = join(registry, index, CRATE, "vendor", "mquickjs");
    if (existsSync(join(dir, "mquickjs.c"))) return dir;
  }
  return undefined;
}

let cached: { bin?: string; reason?: string } | undefined;

/** Path of the native mqjs (built on first use), or the reason it is unavailable. */
export function nativeMqjs(): { bin?: string; reason?: string } {
  if (cached !== undefined) return cached;
  // Another native build (e.g. the `micro` engine's own) can stand in.
  const given = process.env["TSFDW_MQJS"];
  if (given !== undefined) return (cached = existsSync(given) ? { bin: given } : { reason: `TSFDW_MQJS=${given} does not exist` });
  const src = mquickjsSources();
  if (src === undefined) return (cached = { reason: `${CRATE} sources not found (cargo fetch the crate, or set TSFDW_MQUICKJS_SRC)` });
  const hash = createHash("sha256").update(readFileSync(BUILD_SCRIPT));
  for (const f of readdirSync(src).sort()) if (/\.[ch]$/.test(f)) hash.update(f).update(readFileSync(join(src, f)));
  const out = join(cacheDir, "mqjs-native", hash.digest("hex").slice(0, 16));
  const bin = join(out, "mqjs");
  if (!existsSync(bin)) {
    const r = spawnSync("sh", [BUILD_SCRIPT, src, out], { encoding: "utf8" });
    if (r.status !== 0 || !existsSync(bin)) return (cached = { reason: `building mqjs failed: ${r.error?.message ?? ""}${r.stderr}` });
  }
  return (cached = { bin });
}

export interface MqjsRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` (one ES5 script) on the native mqjs; `print(x)` writes a line to stdout. */
export function runMqjs(bin: string, script: string, memoryBytes = 64 << 20): MqjsRun {
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-mqjs-"));
  try {
    const file = join(dir, "script.js");
    writeFileSync(file, script);
    const r = spawnSync(bin, ["--memory-limit", String(memoryBytes), file], { encoding: "utf8", maxBuffer: 256 << 20 });
    // The REPL colours its error output; strip the escapes.
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\x1b\[[0-9;]*m/g, "") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
