// Defines the `routines` export so that no routine can trap: every throw becomes an Error with a
// string message (reported by the host as `guest fdw error: <message>`), missing routines get safe
// defaults, and hostVersionRequirement (a non-result export, where any throw traps) never throws.
// The guard is also the last line of defence for secrets: every routine error, an FDW author's own
// throws included, is redacted (sdk/secrets.ts) and capped (sdk/errors.ts safeError) here.

import { safeError } from "./errors.js";

type V1 = SupabaseWrappers.V1.Routines;
type V2 = SupabaseWrappers.V2.Routines;

export interface RoutineOptions {
  /** Name used in error messages, e.g. `github_events_fdw`. */
  name: string;
  /** Semver requirement on the host version; `^0.1.0` passes on every Supabase Wasm host. */
  hostVersion?: string;
  /** Table option that names the remote object, used in the read-only error (default `object`). */
  objectOption?: string;
}

/** What the default modify routines need from a context. */
interface TableOptionsContext {
  getOptions(kind: { tag: "table" }): { get(key: string): string | null | undefined };
}

const DEFAULT_HOST_VERSION = "^0.1.0";

/** Wraps a routine so that whatever it throws becomes a plain, redacted, capped Error (never a trap). */
function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (e) {
      throw safeError(e);
    }
  };
}

/**
 * The `routines` export for a world exporting `supabase:wrappers/routines@0.2.0`.
 *
 * Few functions on purpose: every function costs ~0.7 kB of component (QuickJS bytecode in the
 * snapshot), so the defaults share one no-op and one error factory, and the guards are made in a loop.
 */
export function defineRoutinesV2(opts: RoutineOptions, impl: Partial<V2>): V2 {
  const noop = (): void => {};
  const unsupported = (what: string) => (): never => {
    throw new Error(`${opts.name}: ${what}`);
  };
  const readOnly = (ctx?: TableOptionsContext): never => {
    let object: string | null | undefined;
    try {
      object = ctx?.getOptions({ tag: "table" }).get(opts.objectOption ?? "object");
    } catch {
      // best effort: the message is still useful without the object name
    }
    const table = object != null ? `foreign table (object '${object}')` : "this foreign table";
    throw new Error(`${opts.name}: ${table} is read-only: INSERT, UPDATE and DELETE are not supported`);
  };
  const routines: Record<string, unknown> = {
    init: noop,
    beginScan: unsupported("scanning is not implemented"),
    iterScan: noop, // undefined = none: end of data
    reScan: unsupported("re-scan is not implemented"),
    endScan: noop,
    beginModify: readOnly,
    insert: readOnly,
    update: readOnly,
    delete: readOnly,
    endModify: noop,
    importForeignSchema: unsupported("IMPORT FOREIGN SCHEMA is not supported"),
    ...impl,
  };
  for (const [name, fn] of Object.entries(routines)) routines[name] = guard(fn as (...args: unknown[]) => unknown);
  // A non-result export: a throw here would trap, so fall back to the declared requirement.
  routines["hostVersionRequirement"] = (): string => {
    try {
      const v = impl.hostVersionRequirement?.();
      if (typeof v === "string" && v !== "") return v;
    } catch {
      // fall through
    }
    return opts.hostVersion ?? DEFAULT_HOST_VERSION;
  };
  return routines as unknown as V2;
}

/** The `routines` export for a world exporting `supabase:wrappers/routines@0.1.0`. */
export function defineRoutines(opts: RoutineOptions, impl: Partial<V1>): V1 {
  const { importForeignSchema: _unused, ...v1 } = defineRoutinesV2(opts, impl as Partial<V2>);
  return v1;
}
