// Until the lowering stage (tools/build/lower.ts, the `lower` helper's room) is on this branch:
// a minimal ES5 script from the guest for the micro engine, by esbuild alone (bundle as ESM with
// target es5, then the host imports and the routines export rewritten to the contract of
// engines/micro/README.md). esbuild cannot lower let/const/classes to ES5, so this only builds
// guests written in ES5 syntax (the engine's tests and bench guests); real guests need lower.ts.
import { build } from "esbuild";

const IMPORT = /import\s*(?:(\*\s*as\s+)?([\w$]+)|\{([^}]*)\})\s*from\s*"(supabase:wrappers\/[^"]+)";?/g;
const EXPORT = /export\s*\{([^}]*)\};?/g;

/** Rewrites the ESM bundle's host imports and its export into a script (an IIFE). */
export function esmToContractScript(esm: string): string {
  let routines: string | undefined;
  const body = esm
    .replace(IMPORT, (_m, star: string | undefined, name: string | undefined, named: string | undefined, spec: string) => {
      const mod = `__tsfdw_imports[${JSON.stringify(spec)}]`;
      if (name !== undefined) return star !== undefined ? `var ${name}=${mod};` : `var ${name}=${mod}["default"];`;
      return (named ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .map((s) => {
          const [from, to] = s.split(/\s+as\s+/);
          return `var ${to ?? from}=${mod}[${JSON.stringify(from)}];`;
        })
        .join("");
    })
    .replace(EXPORT, (_m, list: string) => {
      for (const item of list.split(",")) {
        const [local, exported] = item.trim().split(/\s+as\s+/);
        if ((exported ?? local) === "routines") routines = local;
      }
      return "";
    });
  if (routines === undefined) throw new Error("the guest does not export `routines`");
  if (/^\s*(import|export)\b/m.test(body)) throw new Error("the guest bundle has imports or exports the micro engine fallback cannot rewrite");
  return `(function(){${body}\n__tsfdw_guest={routines:${routines}};})();\n`;
}

export async function lowerFallback(entry: string, pkg: { name: string; version: string }): Promise<string> {
  let r: Awaited<ReturnType<typeof build>>;
  try {
    r = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
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
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split("\n").slice(0, 2).join(" ");
    throw new Error(`--engine micro needs the lowering stage (tools/build/lower.ts) for this guest; without it only ES5-syntax guests build (${first})`);
  }
  const file = r.outputFiles?.[0];
  if (file === undefined) throw new Error("esbuild produced no output");
  return esmToContractScript(file.text);
}
