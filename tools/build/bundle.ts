// Stage 3 — bundle the guest into one small ES module with esbuild. Host modules
// (supabase:wrappers/*) stay imports: componentize-qjs binds them to the component's imports.
// The package name/version from fdw.json are injected as constants.
import { build } from "esbuild";

export interface BundleResult {
  js: string;
  bytes: number;
  ms: number;
}

export async function bundleGuest(entry: string, pkg: { name: string; version: string }): Promise<BundleResult> {
  const started = Date.now();
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
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error("esbuild produced no output");
  return { js: file.text, bytes: file.contents.byteLength, ms: Date.now() - started };
}
