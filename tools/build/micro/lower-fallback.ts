// Until the lowering stage (tools/build/lower.ts, the `lower` helper's room) is on this branch:
// a minimal ES5 script from the guest for the micro engine, by esbuild alone (bundle as an IIFE,
// target es5). esbuild cannot lower let/const/classes to ES5, so this only builds guests
// written in ES5 syntax (the engine's own test fixtures); real guests need tools/build/lower.ts.
import { build } from "esbuild";

/** Wraps an IIFE bundle into the contract of engines/micro/README.md. */
export function contractScript(iife: string, exportsName: string): string {
  return (
    "var require = function (s) { var m = __tsfdw_imports[s]; if (!m) throw new Error('unknown module ' + s); return m; };\n" +
    `${iife}\n__tsfdw_guest = { routines: ${exportsName}.routines };\n`
  );
}

export async function lowerFallback(entry: string, pkg: { name: string; version: string }): Promise<string> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    globalName: "__tsfdw_exports",
    platform: "neutral",
    target: "es5",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    external: ["supabase:wrappers/*"],
    define: { TSFDW_PACKAGE_NAME: JSON.stringify(pkg.name), TSFDW_PACKAGE_VERSION: JSON.stringify(pkg.version) },
    write: false,
    logLevel: "silent",
  });
  const file = r.outputFiles[0];
  if (file === undefined) throw new Error("esbuild produced no output");
  return contractScript(file.text, "__tsfdw_exports");
}
