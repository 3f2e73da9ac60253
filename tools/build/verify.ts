// Verification of a built component against what the Supabase Wasm host accepts (contract §1.1,
// §6, §10): imports only supabase:wrappers/* interfaces of one package version, exports
// routines@0.1.0 or @0.2.0, and no component-model-async built-ins or async canonical options
// (wasmtime 36 there has no component-model-async). Failures are errors; notes are advice.

import { type ComponentInfo, SYNC_CANON_OPS, parseComponent } from "../component-parser.js";

const IMPORT_RE = /^supabase:wrappers\/(http|jwt|stats|time|types|utils)@(0\.1\.0|0\.2\.0)$/;
const ROUTINES_RE = /^supabase:wrappers\/routines@(0\.1\.0|0\.2\.0)$/;
const ASYNC_OPTIONS = new Set(["async", "callback"]);

/** Functions added to `utils` in place, without a version bump, and the first Wrappers release with them. */
export const LATE_UTILS: Readonly<Record<string, string>> = {
  "get-vault-secret-by-name": "0.6.0",
  "query-setting": "0.6.2",
};

export interface Verification {
  ok: boolean;
  /** Why the component would not load on the Supabase host. */
  errors: string[];
  /** Things worth knowing (e.g. the minimum Wrappers release implied by imported functions). */
  notes: string[];
  imports: string[];
  exports: string[];
  /** `0.1.0` or `0.2.0` when exactly one routines export was found. */
  routinesVersion?: string;
  /** Minimum Wrappers extension release this component needs. */
  minWrappers: string;
  info: ComponentInfo;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function verifyInfo(info: ComponentInfo): Verification {
  const errors: string[] = [];
  const notes: string[] = [];
  const imports = info.imports.map((i) => i.name);
  const exports = info.exports.map((e) => e.name);

  const bad = info.imports.filter((i) => !IMPORT_RE.test(i.name) || i.kind !== "instance");
  if (bad.length > 0) {
    errors.push(
      `imports something other than supabase:wrappers/{http,jwt,stats,time,types,utils}@0.1.0|0.2.0 (the host provides nothing else, no wasi:*): ${bad.map((i) => (i.kind === "instance" ? i.name : `${i.name} (${i.kind})`)).join(", ")}`,
    );
  }
  const routines = info.exports.filter((e) => ROUTINES_RE.test(e.name));
  let routinesVersion: string | undefined;
  if (routines.length === 0) {
    errors.push(`does not export supabase:wrappers/routines@0.1.0 or @0.2.0; exports: ${exports.join(", ") || "(none)"}`);
  } else if (routines.length > 1) {
    errors.push(`exports more than one routines version: ${routines.map((e) => e.name).join(", ")}`);
  } else {
    routinesVersion = (ROUTINES_RE.exec(routines[0]?.name ?? "") ?? [])[1];
    if (routines[0]?.kind !== "instance") errors.push(`${routines[0]?.name} is exported as a ${routines[0]?.kind}, not an instance`);
  }
  const versions = new Set(info.imports.map((i) => IMPORT_RE.exec(i.name)?.[2]).filter((v): v is string => v !== undefined));
  if (routinesVersion !== undefined) versions.add(routinesVersion);
  if (versions.size > 1) errors.push(`mixes supabase:wrappers package versions ${[...versions].join(" and ")}; use one version for imports and the routines export`);

  const asyncBuiltins = info.canon.filter((c) => !SYNC_CANON_OPS.has(c.op)).map((c) => c.op);
  if (asyncBuiltins.length > 0) {
    errors.push(`uses component-model async/thread built-ins the host lacks: ${[...new Set(asyncBuiltins)].join(", ")} (build with componentize-qjs --sync)`);
  }
  const asyncOpts = info.canon.filter((c) => c.options.some((o) => ASYNC_OPTIONS.has(o)));
  if (asyncOpts.length > 0) {
    errors.push(`uses async canonical options on ${asyncOpts.length} lift/lower definition(s) (build with componentize-qjs --sync)`);
  }

  let minWrappers = routinesVersion === "0.2.0" ? "0.5.0" : "0.4.0";
  for (const imp of info.imports) {
    if (!/^supabase:wrappers\/utils@/.test(imp.name) || imp.functions === undefined) continue;
    for (const fn of imp.functions) {
      const since = LATE_UTILS[fn];
      if (since === undefined) continue;
      notes.push(`imports ${imp.name} function ${fn}, which exists only on Wrappers >= ${since}; on older Wrappers the component fails to instantiate`);
      if (compareVersions(since, minWrappers) > 0) minWrappers = since;
    }
  }
  if (info.typeWarning !== undefined) notes.push(`could not decode import types (${info.typeWarning}); function lists unavailable`);

  return { ok: errors.length === 0, errors, notes, imports, exports, ...(routinesVersion !== undefined ? { routinesVersion } : {}), minWrappers, info };
}

/** Parses and verifies; a malformed binary is a failed verification, not an exception. */
export function verifyComponent(bytes: Uint8Array): Verification {
  let info: ComponentInfo;
  try {
    info = parseComponent(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, errors: [`cannot read the component: ${message}`], notes: [], imports: [], exports: [], minWrappers: "?", info: { imports: [], exports: [], canon: [], sections: [] } };
  }
  return verifyInfo(info);
}

/** One-paragraph failure text: what is wrong plus what was imported/exported. */
export function describeFailure(v: Verification): string {
  return [
    "component verification failed:",
    ...v.errors.map((e) => `  - ${e}`),
    `  imports: ${v.imports.join(", ") || "(none)"}`,
    `  exports: ${v.exports.join(", ") || "(none)"}`,
  ].join("\n");
}
