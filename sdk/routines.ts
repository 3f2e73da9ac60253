// Defines the `routines` export so that no routine can trap: every throw becomes an Error with a
// string message (reported by the host as `guest fdw error: <message>`), missing routines get safe
// defaults, and hostVersionRequirement (a non-result export, where any throw traps) never throws.

import { toError } from "./errors.js";

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

function readOnlyError(opts: RoutineOptions, ctx: TableOptionsContext | undefined): Error {
  let object: string | undefined;
  try {
    object = ctx?.getOptions({ tag: "table" }).get(opts.objectOption ?? "object") ?? undefined;
  } catch {
    // best effort: the message is still useful without the object name
  }
  const table = object !== undefined ? `foreign table (object '${object}')` : "this foreign table";
  return new Error(`${opts.name}: ${table} is read-only: INSERT, UPDATE and DELETE are not supported`);
}

/** Wraps a routine so that whatever it throws becomes a plain Error (never a trap). */
function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (e) {
      throw toError(e);
    }
  };
}

function defaults(opts: RoutineOptions): Omit<V2, "hostVersionRequirement"> {
  const missing = (what: string) => (): never => {
    throw new Error(`${opts.name}: ${what} is not implemented`);
  };
  const readOnly = (ctx?: TableOptionsContext): never => {
    throw readOnlyError(opts, ctx);
  };
  return {
    init: () => {},
    beginScan: missing("scanning"),
    iterScan: () => null,
    reScan: missing("re-scan"),
    endScan: () => {},
    beginModify: readOnly,
    insert: readOnly,
    update: readOnly,
    delete: readOnly,
    endModify: () => {},
    importForeignSchema: (): never => {
      throw new Error(`${opts.name}: IMPORT FOREIGN SCHEMA is not supported`);
    },
  };
}

function build(opts: RoutineOptions, impl: Partial<V2>): V2 {
  const base = { ...defaults(opts), ...impl };
  const hostVersion = (): string => {
    // A non-result export: a throw here would trap, so fall back to the declared requirement.
    try {
      const v = impl.hostVersionRequirement?.();
      return typeof v === "string" && v !== "" ? v : (opts.hostVersion ?? DEFAULT_HOST_VERSION);
    } catch {
      return opts.hostVersion ?? DEFAULT_HOST_VERSION;
    }
  };
  return {
    hostVersionRequirement: hostVersion,
    init: guard(base.init),
    beginScan: guard(base.beginScan),
    iterScan: guard(base.iterScan),
    reScan: guard(base.reScan),
    endScan: guard(base.endScan),
    beginModify: guard(base.beginModify),
    insert: guard(base.insert),
    update: guard(base.update),
    delete: guard(base.delete),
    endModify: guard(base.endModify),
    importForeignSchema: guard(base.importForeignSchema),
  };
}

/** The `routines` export for a world exporting `supabase:wrappers/routines@0.1.0`. */
export function defineRoutines(opts: RoutineOptions, impl: Partial<V1>): V1 {
  const { importForeignSchema: _unused, ...v1 } = build(opts, impl as Partial<V2>);
  return v1;
}

/** The `routines` export for a world exporting `supabase:wrappers/routines@0.2.0`. */
export function defineRoutinesV2(opts: RoutineOptions, impl: Partial<V2>): V2 {
  return build(opts, impl);
}
