// Stage 2 — type-check the guest as QuickJS will run it: ES2023 library only, no DOM and no Node
// types (so `console`, `TextEncoder`, `process`… are compile errors, not runtime traps), plus the
// supabase:wrappers typings. Uses the project's own tsc (TypeScript 7, native) via a temporary
// tsconfig, because tsconfig.json at the root compiles tools and tests with Node types.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot, tscPath } from "../paths.js";

export interface TypecheckResult {
  ms: number;
}

export function guestCompilerOptions(): Record<string, unknown> {
  return {
    target: "es2023",
    lib: ["es2023"],
    types: [],
    module: "preserve",
    moduleResolution: "bundler",
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    noEmit: true,
    skipLibCheck: true,
  };
}

export function typecheckGuest(entry: string): TypecheckResult {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-typecheck-"));
  try {
    const config = join(dir, "tsconfig.json");
    const files = [entry, join(repoRoot, "sdk", "wrappers.d.ts")];
    writeFileSync(config, JSON.stringify({ compilerOptions: guestCompilerOptions(), files }, null, 2));
    const tsc = tscPath();
    const r = spawnSync(process.execPath, [tsc, "-p", config, "--pretty", "false"], { cwd: repoRoot, encoding: "utf8" });
    if (r.error !== undefined) throw new Error(`could not run tsc (${tsc}): ${r.error.message}; run npm ci`);
    if (r.status !== 0) {
      const out = `${r.stdout}${r.stderr}`.trim();
      throw new Error(`type errors in the guest (checked as QuickJS code: lib es2023, no DOM/Node globals):\n${out}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms: Date.now() - started };
}
