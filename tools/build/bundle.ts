// Stage 3 — bundle the guest into one small ES module with esbuild. Host modules
// (supabase:wrappers/*) stay imports: componentize-qjs binds them to the component's imports.
// The package name/version from fdw.json are injected as constants.
import { dirname, join } from "node:path";
import { build } from "esbuild";

export interface BundleResult {
  js: string;
  bytes: number;
  ms: number;
  /** With `sourcemap`: esbuild's source map (JSON), its sources relative to `mapBase`. */
  map?: string;
  mapBase?: string;
}

/**
 * `sourcemap`: also return the source map (the micro engine maps its build errors back to the
 * TypeScript with it); the JS is the same bytes either way (an external map, no comment).
 */
export async function bundleGuest(entry: string, pkg: { name: string; version: string }, opts: { sourcemap?: boolean } = {}): Promise<BundleResult> {
  const started = Date.now();
  // esbuild needs an output path for a map; nothing is written (write: false).
  const outfile = join(dirname(entry), "guest.js");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    // QuickJS-ng runs ES2023; keep esbuild from emitting anything newer.
    target: "es2023",
    minify: true,
    treeShaking: true,
    legalComments: "none",
    charset: "utf8",
    external: ["supabase:wrappers/*"],
    // `tsfdw/sdk` from its TypeScript source (package.json exports), so a build never bundles a stale out/.
    conditions: ["tsfdw-source"],
    define: {
      TSFDW_PACKAGE_NAME: JSON.stringify(pkg.name),
      TSFDW_PACKAGE_VERSION: JSON.stringify(pkg.version),
    },
    write: false,
    logLevel: "silent",
    ...(opts.sourcemap === true ? { sourcemap: "external" as const, outfile } : {}),
  });
  const file = result.outputFiles.find((f) => !f.path.endsWith(".map"));
  if (file === undefined) throw new Error("esbuild produced no output");
  const out: BundleResult = { js: file.text, bytes: file.contents.byteLength, ms: Date.now() - started };
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"));
  if (map !== undefined) {
    out.map = map.text;
    out.mapBase = dirname(outfile);
  }
  return out;
}
