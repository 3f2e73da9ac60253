// Postgres column types the Wasm FDW host can fill (host contract §3.4), by the names one writes
// in CREATE FOREIGN TABLE, mapped to the host's type-oid tag. Shared by fdw.json validation and
// the test kit (tsfdw/testing).

export type HostTypeTag = "bool" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "numeric" | "string" | "date" | "timestamp" | "timestamptz" | "json" | "uuid";

const PG_TYPES: Readonly<Record<string, HostTypeTag>> = {
  bool: "bool",
  boolean: "bool",
  '"char"': "i8",
  int2: "i16",
  smallint: "i16",
  int4: "i32",
  int: "i32",
  integer: "i32",
  int8: "i64",
  bigint: "i64",
  float4: "f32",
  real: "f32",
  float8: "f64",
  "double precision": "f64",
  numeric: "numeric",
  decimal: "numeric",
  text: "string",
  varchar: "string",
  "character varying": "string",
  bpchar: "string",
  char: "string",
  character: "string",
  date: "date",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  timestamptz: "timestamptz",
  "timestamp with time zone": "timestamptz",
  jsonb: "json",
  uuid: "uuid",
};

/** The type names `hostTypeOf` knows (a `(…)` modifier such as numeric(10,2) is allowed after each). */
export const SUPPORTED_PG_TYPES: readonly string[] = Object.keys(PG_TYPES);

/** The host type of a Postgres column type (`bigint` → `i64`, `numeric(10,2)` → `numeric`), or undefined. */
export function hostTypeOf(pgType: string): HostTypeTag | undefined {
  const t = pgType.trim().toLowerCase().replace(/\s+/g, " ").replace(/\s*\([\d, ]*\)$/, "");
  return Object.hasOwn(PG_TYPES, t) ? PG_TYPES[t] : undefined;
}
