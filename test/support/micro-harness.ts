// Shared by the micro engine tests: a component from an inline ES5 guest script (no fdw.json,
// no bundling: the script speaks the JS <-> glue contract of engines/micro/README.md directly),
// and the runner on both wasmtime engines.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withBytecode } from "../../tools/build/micro/assemble.js";
import { INTERFACES, ensureMicroEngine, ensureVariant, variant } from "../../tools/build/micro/engine.js";
import { compileBytecode, preludeSource } from "../../tools/build/micro/stage.js";
import { runner, type Run } from "../../testing/runner.js";

export const ENGINES = ["supabase", "strict"] as const;
export type RunnerEngine = (typeof ENGINES)[number];

const dir = mkdtempSync(join(tmpdir(), "tsfdw-micro-test-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

export interface ScriptOptions {
  wrappers?: "0.1.0" | "0.2.0";
  utilsLevel?: 0 | 1 | 2;
  memoryMiB?: number;
  /** Imported host interfaces besides types (default: all). */
  interfaces?: string[];
}

/** Builds a component from an ES5 script; returns its path. */
export function microComponent(script: string, opts: ScriptOptions = {}): string {
  const engine = ensureMicroEngine((m) => process.stderr.write(`${m}\n`));
  const wrappers = opts.wrappers ?? "0.2.0";
  const v = variant(wrappers, opts.utilsLevel ?? 0, opts.interfaces ?? [...INTERFACES]);
  const bytecode = compileBytecode(engine, preludeSource(wrappers), script);
  const base = new Uint8Array(readFileSync(ensureVariant(engine, v).component));
  const wasm = withBytecode(base, bytecode, { arenaBytes: (opts.memoryMiB ?? 32) << 20 });
  const path = join(dir, `guest-${n++}.wasm`);
  writeFileSync(path, wasm);
  return path;
}

/**
 * The routines object of a test guest: `body` is ES5 code that may define any routine in an
 * object literal named `r` (missing ones default to no-ops; iterScan to end-of-data).
 */
export function guestScript(body: string, wrappers: "0.1.0" | "0.2.0" = "0.2.0"): string {
  const v = wrappers;
  return `
var T = __tsfdw_imports["supabase:wrappers/types@${v}"];
var http = __tsfdw_imports["supabase:wrappers/http@${v}"];
var jwt = __tsfdw_imports["supabase:wrappers/jwt@${v}"];
var stats = __tsfdw_imports["supabase:wrappers/stats@${v}"];
var time = __tsfdw_imports["supabase:wrappers/time@${v}"];
var utils = __tsfdw_imports["supabase:wrappers/utils@${v}"];
function tableOpt(ctx, k) { return ctx.getOptions({ tag: "table" }).get(k); }
var r = {
  hostVersionRequirement: function () { return "^0.1.0"; },
  init: function () {}, beginScan: function () {}, iterScan: function () { return null; }, reScan: function () {},
  endScan: function () {}, beginModify: function () {}, insert: function () {}, update: function () {}, "delete": function () {},
  endModify: function () {}, importForeignSchema: function () { return []; }
};
${body}
__tsfdw_guest = { routines: r };
`;
}

export function scan(engine: RunnerEngine, wasm: string, args: readonly string[]): Promise<Run> {
  return runner(["scan", wasm, "--engine", engine, "--format", "json", ...args]);
}

export function cmd(engine: RunnerEngine, command: string, wasm: string, args: readonly string[]): Promise<Run> {
  return runner([command, wasm, "--engine", engine, ...args]);
}
