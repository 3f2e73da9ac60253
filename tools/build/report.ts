// Stage 6 — write the component and tell the user what was built: size, sha256 (bare lowercase
// hex, what fdw_package_checksum expects), imports, and the ready SQL. With --release-files also
// checksum.txt and README.txt for the release workflow.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { FdwProject } from "./resolve.js";
import { codeBytes } from "./code-size.js";
import { releaseSql } from "./sql.js";
import { LATE_UTILS, type Verification } from "./verify.js";

export interface BuildOutput {
  wasmPath: string;
  bytes: number;
  /** Code-section bytes of every core module: what the host compiles on every query. */
  codeBytes: number;
  sha256: string;
  url: string;
  sql: string;
  releaseFiles: string[];
}

export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(2)} MB` : `${(n / 1000).toFixed(1)} kB`;
}

/**
 * Which Supabase Wrappers releases can load the component, and why: the routines version it
 * exports (v1 from 0.4.0, v2 from 0.5.0) and any utils function added later (host contract §1.10).
 */
export function compatibility(v: Verification): string {
  const why = [v.routinesVersion === "0.2.0" ? "v2 routines (0.2.0) from 0.5.0" : "v1 routines (0.1.0) from 0.4.0"];
  for (const imp of v.info.imports) {
    for (const fn of imp.functions ?? []) {
      const since = LATE_UTILS[fn];
      if (since !== undefined && /^supabase:wrappers\/utils@/.test(imp.name)) why.push(`utils.${fn} from ${since}`);
    }
  }
  return `Supabase Wrappers >= ${v.minWrappers} (${why.join("; ")})`;
}

export function writeOutputs(project: FdwProject, wasm: Uint8Array, outDir: string, url: string, releaseFiles: boolean, compat: string): BuildOutput {
  mkdirSync(outDir, { recursive: true });
  const wasmPath = join(outDir, project.output);
  writeFileSync(wasmPath, wasm);
  const sha256 = sha256Hex(wasm);
  const sql = releaseSql(project, { url, checksum: sha256 });
  const written: string[] = [];
  if (releaseFiles) {
    const checksum = join(outDir, "checksum.txt");
    const readme = join(outDir, "README.txt");
    writeFileSync(checksum, sha256);
    writeFileSync(readme, `${project.name} ${project.version}${project.description !== "" ? ` — ${project.description}` : ""}\n\nLoads on ${compat}.\nsha256 ${sha256}\n\n${sql}`);
    written.push(checksum, readme);
  }
  return { wasmPath, bytes: wasm.byteLength, codeBytes: codeBytes(wasm), sha256, url, sql, releaseFiles: written };
}

export interface Timings {
  typecheckMs: number;
  bundleMs: number;
  componentizeMs: number;
  totalMs: number;
  /** Set for `--engine micro`: the engine line of the report. */
  engine?: string;
}

function shortImport(name: string): string {
  return name.replace(/^supabase:wrappers\//, "");
}

export function formatReport(project: FdwProject, out: BuildOutput, jsBytes: number, v: Verification, t: Timings): string {
  // Paths as the user typed them: relative to the current directory when inside it.
  const rel = (p: string): string => {
    const r = relative(process.cwd(), p);
    return r.startsWith("..") ? p : r;
  };
  const lines = [
    t.engine === undefined
      ? `built ${project.name} ${project.version} in ${(t.totalMs / 1000).toFixed(1)} s (type-check ${t.typecheckMs} ms, bundle ${t.bundleMs} ms, componentize ${t.componentizeMs} ms)`
      : `built ${project.name} ${project.version} in ${(t.totalMs / 1000).toFixed(1)} s (type-check ${t.typecheckMs} ms, bundle+lower ${t.bundleMs} ms, bytecode+assemble ${t.componentizeMs} ms)`,
    ...(t.engine !== undefined ? [`  engine      ${t.engine}`] : []),
    `  bundled JS  ${jsBytes} bytes (${formatBytes(jsBytes)})`,
    `  component   ${rel(out.wasmPath)}`,
    `  size        ${out.bytes} bytes (${formatBytes(out.bytes)})`,
    // Compile time per query is linear in code bytes, not in size (data is the guest's JS).
    `  code        ${out.codeBytes} bytes (${formatBytes(out.codeBytes)}; the host compiles this on every query)`,
    `  sha256      ${out.sha256}`,
    `  exports     ${v.exports.join(", ")}`,
    `  imports     ${v.imports.map(shortImport).sort().join(", ")}`,
    `  loads on    ${compatibility(v)}`,
    ...v.notes.map((n) => `  note        ${n}`),
    ...out.releaseFiles.map((f) => `  wrote       ${rel(f)}`),
    "",
    "-- ready SQL (fdw_package_url: change with --url or --repo owner/name)",
    out.sql,
  ];
  return lines.join("\n");
}
