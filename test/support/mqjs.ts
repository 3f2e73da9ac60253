// A native MicroQuickJS for tests of the ES5 lowering and the polyfills: the guest's own engine
// (the micro engine's patched sources, standard library table and built-ins) compiled for the
// build machine by engines/micro/c/test-runner.c, next to the engine in its cache directory
// ($TSFDW_MQJS: use that binary instead). Not the guest (no glue, no host, 64-bit values), but
// the same interpreter and library, so polyfill and lowering results match the wasm guest's.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureMicroEngine, ensureTestRunner } from "../../tools/build/micro/engine.js";

let cached: { bin?: string; reason?: string } | undefined;

/** Path of the native runner (built with the engine on first use), or the reason it is unavailable. */
export function nativeMqjs(): { bin?: string; reason?: string } {
  if (cached !== undefined) return cached;
  const given = process.env["TSFDW_MQJS"];
  if (given !== undefined) return (cached = existsSync(given) ? { bin: given } : { reason: `TSFDW_MQJS=${given} does not exist` });
  try {
    const engine = ensureMicroEngine((m) => process.stderr.write(`${m}\n`));
    return (cached = { bin: ensureTestRunner(engine) });
  } catch (e) {
    return (cached = { reason: `the micro engine is not available: ${e instanceof Error ? e.message : String(e)}` });
  }
}

export interface MqjsRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** print(a, b, …) as the mqjs REPL has it, on the runner's one output function. */
const PRINT = 'function print() { var s = ""; for (var i = 0; i < arguments.length; i++) s += (i ? " " : "") + String(arguments[i]); __tsfdw_call(s); }\n';

/** Runs `script` (one ES5 script) on the native engine; `print(x)` writes a line to stdout. */
export function runMqjs(bin: string, script: string, memoryBytes = 64 << 20): MqjsRun {
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-mqjs-"));
  try {
    const file = join(dir, "script.js");
    writeFileSync(file, PRINT + script);
    const r = spawnSync(bin, ["--memory-limit", String(memoryBytes), file], { encoding: "utf8", maxBuffer: 256 << 20 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
