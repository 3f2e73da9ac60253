// `tsfdw build --engine micro`, the per-FDW part: ES5 script (from the lowering stage) → prelude +
// script compiled to 32-bit bytecode by the native compiler → bytecode placed into the cached
// engine component of the right variant (assemble.ts). Seconds at most, byte-reproducible.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FdwProject } from "../resolve.js";
import { type OriginalPosition, formatPosition } from "../sourcemap.js";
import { withBytecode } from "./assemble.js";
import { type MicroEngine, type Variant, engineSrcDir, ensureMicroEngine, ensureVariant, variantFor } from "./engine.js";
import type { Log } from "./toolchain.js";

export const DEFAULT_MEMORY_MIB = 32;
export const MAX_MEMORY_MIB = 1024;

export interface MicroBuild {
  wasm: Uint8Array;
  variant: Variant;
  bytecodeBytes: number;
  codeBytes: number;
  memoryMiB: number;
  ms: number;
}

/** The routines version the FDW's world exports (top-level .wit files of its WIT dir). */
export function routinesVersion(project: FdwProject): "0.1.0" | "0.2.0" {
  for (const name of readdirSync(project.witDir).filter((n) => n.endsWith(".wit")).sort()) {
    const m = /^\s*export\s+supabase:wrappers\/routines@(0\.1\.0|0\.2\.0)\s*;/m.exec(readFileSync(join(project.witDir, name), "utf8"));
    if (m) return m[1] as "0.1.0" | "0.2.0";
  }
  throw new Error(`the world in ${project.witDir} exports no supabase:wrappers/routines@0.1.0 or @0.2.0`);
}

/** `"micro": { "memoryMiB": N }` in fdw.json (the JS heap), default 32. */
export function memoryMiB(project: FdwProject): number {
  const cfg = JSON.parse(readFileSync(join(project.dir, "fdw.json"), "utf8")) as { micro?: { memoryMiB?: unknown } };
  const v = cfg.micro?.memoryMiB;
  if (v === undefined) return DEFAULT_MEMORY_MIB;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_MEMORY_MIB) {
    throw new Error(`${join(project.dir, "fdw.json")}: "micro.memoryMiB" must be an integer from 1 to ${MAX_MEMORY_MIB}`);
  }
  return v;
}

export function preludeSource(wrappers: string): string {
  return readFileSync(join(engineSrcDir, "prelude.js"), "utf8").replace("__TSFDW_WRAPPERS_VERSION__", wrappers);
}

/** Maps a position of the lowered script (1-based line, UTF-16 column) to the original source. */
export type ScriptLocator = (line: number, column: number) => OriginalPosition | undefined;

/**
 * Compiles prelude + script to bytecode. A syntax error names the original TypeScript position
 * when `locate` (the lowering's source map) knows it, else the script's own line (`guest.js:L:C`).
 */
export function compileBytecode(engine: MicroEngine, prelude: string, script: string, name = "guest.js", locate?: ScriptLocator): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-micro-"));
  try {
    const src = join(dir, "in.js");
    const out = join(dir, "out.bin");
    const joined = `${prelude}\n${script}\n`;
    writeFileSync(src, joined);
    const r = spawnSync(engine.compiler, [src, out, name], { encoding: "utf8" });
    if (r.error !== undefined) throw new Error(`cannot run the micro bytecode compiler ${engine.compiler}: ${r.error.message}`);
    if (r.status !== 0 || !existsSync(out)) {
      const offset = prelude.split("\n").length;
      const lines = script.split("\n");
      const text = (r.stderr || r.stdout)
        .trim()
        .replace(new RegExp(`${name.replace(/[.]/g, "\\.")}:(\\d+):(\\d+)`, "g"), (_, l: string, c: string) => {
          if (Number(l) <= offset) return `prelude.js:${l}:${c}`;
          const line = Number(l) - offset;
          // MicroQuickJS counts columns in code points; source maps in UTF-16 units.
          const before = [...(lines[line - 1] ?? "")].slice(0, Number(c) - 1).join("");
          const orig = locate?.(line, before.length + 1);
          return orig !== undefined ? `${formatPosition(orig)} (${name}:${line}:${c})` : `${name}:${line}:${c}`;
        });
      throw new Error(`the micro engine cannot compile the guest script: ${text}`);
    }
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function buildMicro(project: FdwProject, script: string, log: Log, locate?: ScriptLocator): MicroBuild {
  const started = Date.now();
  const engine = ensureMicroEngine(log);
  const wrappers = routinesVersion(project);
  const variant = variantFor(wrappers, script);
  const mib = memoryMiB(project);
  const bytecode = compileBytecode(engine, preludeSource(wrappers), script, "guest.js", locate);
  const built = ensureVariant(engine, variant, log);
  const wasm = withBytecode(new Uint8Array(readFileSync(built.component)), bytecode, { arenaBytes: mib * 1024 * 1024 });
  return { wasm, variant, bytecodeBytes: bytecode.length, codeBytes: built.codeBytes, memoryMiB: mib, ms: Date.now() - started };
}
