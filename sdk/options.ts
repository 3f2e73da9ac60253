// Typed, read-once access to server/table/import-schema options. Errors say which option is
// missing or wrong and where to set it (CREATE SERVER vs CREATE FOREIGN TABLE), because that's the
// only thing the SQL user can act on. Plain functions rather than a class so that the bundler drops
// the getters an FDW doesn't use (every guest byte costs ~10 bytes of component).

export type OptionsKind = "server" | "table" | "import-schema";

/** What the SDK needs from an `options` resource (both WIT versions satisfy it). */
export interface OptionsSource {
  get(key: string): string | null | undefined;
}

/** What the SDK needs from a context (both WIT versions satisfy it). */
export interface OptionsContext {
  getOptions(kind: { tag: "server" } | { tag: "table" }): OptionsSource;
}

/** Options of one kind; `get` returns undefined for an unset option and asks the host once per key. */
export interface OptionSet {
  readonly kind: OptionsKind;
  get(key: string): string | undefined;
}

const WHERE: Record<OptionsKind, string> = {
  server: "CREATE SERVER … OPTIONS (…) or ALTER SERVER … OPTIONS (ADD …)",
  table: "CREATE FOREIGN TABLE … OPTIONS (…) or ALTER FOREIGN TABLE … OPTIONS (ADD …)",
  "import-schema": "IMPORT FOREIGN SCHEMA … OPTIONS (…)",
};

/** Wraps an options resource (e.g. `ctx.getOptions({ tag: "import-schema" })` on v2). */
export function optionSet(source: OptionsSource, kind: OptionsKind): OptionSet {
  const cache = new Map<string, string | undefined>();
  return {
    kind,
    get(key) {
      if (!cache.has(key)) cache.set(key, source.get(key) ?? undefined);
      return cache.get(key);
    },
  };
}

/** Reads server or table options from a context (one host call). */
export function readOptions(ctx: OptionsContext, kind: "server" | "table"): OptionSet {
  return optionSet(ctx.getOptions({ tag: kind }), kind);
}

function invalid(opts: OptionSet, key: string, value: string, expected: string): Error {
  return new Error(`invalid ${opts.kind} option ${key} '${value}': expected ${expected}`);
}

/**
 * The value; throws when it is missing or blank. `example` is what the user should write, e.g.
 * `options (object 'events')`.
 */
export function requireOption(opts: OptionSet, key: string, example?: string): string {
  const value = opts.get(key);
  if (value === undefined || value.trim() === "") {
    throw new Error(`missing ${opts.kind} option '${key}': it is required; set it with ${WHERE[opts.kind]}${example !== undefined ? `, e.g. ${example}` : ""}`);
  }
  return value;
}

/** A decimal integer option within optional bounds, or `fallback` when unset. */
export function intOption(opts: OptionSet, key: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  const value = opts.get(key);
  if (value === undefined) return fallback;
  const n = /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw invalid(opts, key, value, `an integer from ${min} to ${max}`);
  return n;
}

/** A boolean option (true/false, on/off, yes/no, 1/0, as Postgres spells booleans), or `fallback`. */
export function boolOption(opts: OptionSet, key: string, fallback: boolean): boolean {
  const value = opts.get(key);
  if (value === undefined) return fallback;
  const text = value.trim().toLowerCase();
  if (["true", "on", "yes", "1", "t", "y"].includes(text)) return true;
  if (["false", "off", "no", "0", "f", "n"].includes(text)) return false;
  throw invalid(opts, key, value, "true or false");
}

/** One of `allowed` (case-sensitive), or `fallback` when unset. */
export function enumOption<T extends string>(opts: OptionSet, key: string, allowed: readonly T[], fallback: T): T {
  const value = opts.get(key);
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(opts, key, value, `one of ${allowed.map((a) => `'${a}'`).join(", ")}`);
}
