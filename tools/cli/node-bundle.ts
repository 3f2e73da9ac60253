// TypeScript that runs in Node (an FDW project's tests and mock API) compiled with esbuild: one
// ES module per entry, packages left as imports (resolved from the project's node_modules, so the
// output lives there), relative imports bundled in. No type-check here (tsfdw test runs tsc).
import { build } from "esbuild";
import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The nearest directory at or above `dir` holding a package.json (else `dir`). */
export function projectRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "package.json"))) return d;
    if (dirname(d) === d) return dir;
  }
}

/** node_modules/.cache/tsfdw/<sub> of the project holding `dir`. */
export function cacheDirFor(dir: string, sub: string): string {
  const out = join(projectRoot(dir), "node_modules", ".cache", "tsfdw", sub);
  mkdirSync(out, { recursive: true });
  return out;
}

/** Compiles `entries` into `outDir` as <name>.mjs; returns the output paths in entry order. */
export async function bundleForNode(entries: readonly string[], outDir: string): Promise<string[]> {
  const outputs = entries.map((e) => join(outDir, `${basename(e).replace(/\.[cm]?[jt]s$/, "")}.mjs`));
  await build({
    entryPoints: entries.map((e, i) => ({ in: e, out: basename(outputs[i] as string, ".mjs") })),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "silent",
  }).catch((e: unknown) => {
    throw new Error(`compiling ${entries.join(", ")} failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  return outputs;
}
