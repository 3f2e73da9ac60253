// Component-model types: decoding of type definitions (Binary.md "Type Definitions"), resolution of
// type indices through aliases and instance-type exports (so `borrow<context>` in a function type and
// `canon resource.drop` of another alias of `context` resolve to the same resource), and the
// canonical ABI flattening of a function's parameters and results into core value types
// (CanonicalABI.md "Flattening").

import { Reader, WasmFormatError } from "./binary.js";
import type { CoreFuncType, CoreValType } from "./core-module.js";

export type PrimName = "bool" | "s8" | "u8" | "s16" | "u16" | "s32" | "u32" | "s64" | "u64" | "f32" | "f64" | "char" | "string" | "error-context";

const PRIMS: Record<number, PrimName> = {
  0x7f: "bool", 0x7e: "s8", 0x7d: "u8", 0x7c: "s16", 0x7b: "u16", 0x7a: "s32", 0x79: "u32", 0x78: "s64", 0x77: "u64",
  0x76: "f32", 0x75: "f64", 0x74: "char", 0x73: "string", 0x64: "error-context",
};

export type ValType = { prim: PrimName } | { idx: number };

export type ExternDesc =
  | { k: "module"; idx: number }
  | { k: "func"; idx: number }
  | { k: "value" }
  | { k: "type"; eq?: number }
  | { k: "component"; idx: number }
  | { k: "instance"; idx: number };

export type Decl =
  | { d: "type"; def: DefType }
  | { d: "outer-alias"; sort: number; count: number; idx: number }
  | { d: "export" | "import"; name: string; desc: ExternDesc };

export type DefType =
  | { k: "prim"; prim: PrimName }
  | { k: "record"; fields: { name: string; type: ValType }[] }
  | { k: "variant"; cases: { name: string; type?: ValType }[] }
  | { k: "list"; elem: ValType; len?: number }
  | { k: "tuple"; types: ValType[] }
  | { k: "flags"; names: string[] }
  | { k: "enum"; names: string[] }
  | { k: "option"; type: ValType }
  | { k: "result"; ok?: ValType; err?: ValType }
  | { k: "own" | "borrow"; idx: number }
  | { k: "stream" | "future"; type?: ValType }
  | { k: "map"; key: ValType; value: ValType }
  | { k: "func"; params: { name: string; type: ValType }[]; result?: ValType; async: boolean }
  | { k: "resource" }
  | { k: "instance" | "component"; decls: Decl[] };

// ------------------------------------------------------------------ decoding

export function readValType(r: Reader): ValType {
  const v = r.s33();
  if (v >= 0) return { idx: v };
  const prim = PRIMS[v & 0x7f];
  return prim !== undefined && v >= -64 ? { prim } : r.fail(`unknown primitive value type ${v}`);
}

function optionalVal(r: Reader): ValType | undefined {
  const flag = r.byte();
  if (flag === 0x00) return undefined;
  if (flag === 0x01) return readValType(r);
  return r.fail(`bad option flag 0x${flag.toString(16)}`);
}

function vec<T>(r: Reader, f: () => T): T[] {
  const out: T[] = [];
  for (let n = r.u32(); n > 0; n--) out.push(f());
  return out;
}

/** `importname'` / `exportname'`: a name with an optional version suffix or attributes. */
export function readExternName(r: Reader): string {
  const tag = r.byte();
  if (tag === 0x00 || tag === 0x01) return r.name();
  if (tag !== 0x02) return r.fail(`bad import/export name tag 0x${tag.toString(16)}`);
  const name = r.name();
  vec(r, () => {
    const a = r.byte();
    if (a === 0x00 || a === 0x01 || a === 0x02) r.name();
    else r.fail(`bad name attribute 0x${a.toString(16)}`);
  });
  return name;
}

export function readExternDesc(r: Reader): ExternDesc {
  const tag = r.byte();
  switch (tag) {
    case 0x00:
      if (r.byte() !== 0x11) r.fail("bad core module extern type");
      return { k: "module", idx: r.u32() };
    case 0x01:
      return { k: "func", idx: r.u32() };
    case 0x02: {
      const b = r.byte();
      if (b === 0x00) r.u32();
      else readValType(r);
      return { k: "value" };
    }
    case 0x03: {
      const b = r.byte();
      if (b === 0x00) return { k: "type", eq: r.u32() };
      if (b === 0x01) return { k: "type" };
      return r.fail(`bad type bound 0x${b.toString(16)}`);
    }
    case 0x04:
      return { k: "component", idx: r.u32() };
    case 0x05:
      return { k: "instance", idx: r.u32() };
    default:
      return r.fail(`bad extern type 0x${tag.toString(16)}`);
  }
}

function readDecl(r: Reader, inComponentType: boolean): Decl {
  const tag = r.byte();
  switch (tag) {
    case 0x00:
      return r.fail("core type declarations inside component or instance types are not supported");
    case 0x01:
      return { d: "type", def: readDefType(r) };
    case 0x02: {
      let sort = r.byte();
      if (sort === 0x00) sort = 0x100 | r.byte();
      const target = r.byte();
      if (target !== 0x02) r.fail(`only outer aliases may appear inside types, found alias target 0x${target.toString(16)}`);
      return { d: "outer-alias", sort, count: r.u32(), idx: r.u32() };
    }
    case 0x03:
      if (!inComponentType) r.fail("import declaration inside an instance type");
      return { d: "import", name: readExternName(r), desc: readExternDesc(r) };
    case 0x04:
      return { d: "export", name: readExternName(r), desc: readExternDesc(r) };
    default:
      return r.fail(`bad type declaration 0x${tag.toString(16)}`);
  }
}

export function readDefType(r: Reader): DefType {
  const op = r.byte();
  switch (op) {
    case 0x72:
      return { k: "record", fields: vec(r, () => ({ name: r.name(), type: readValType(r) })) };
    case 0x71:
      return {
        k: "variant",
        cases: vec(r, () => {
          const name = r.name();
          const type = optionalVal(r);
          const refines = r.byte();
          if (refines === 0x01) r.u32();
          else if (refines !== 0x00) r.fail(`bad variant case terminator 0x${refines.toString(16)}`);
          return type !== undefined ? { name, type } : { name };
        }),
      };
    case 0x70:
      return { k: "list", elem: readValType(r) };
    case 0x67:
      return { k: "list", elem: readValType(r), len: r.u32() };
    case 0x6f:
      return { k: "tuple", types: vec(r, () => readValType(r)) };
    case 0x6e:
      return { k: "flags", names: vec(r, () => r.name()) };
    case 0x6d:
      return { k: "enum", names: vec(r, () => r.name()) };
    case 0x6b:
      return { k: "option", type: readValType(r) };
    case 0x6a: {
      const ok = optionalVal(r);
      const err = optionalVal(r);
      return { k: "result", ...(ok !== undefined ? { ok } : {}), ...(err !== undefined ? { err } : {}) };
    }
    case 0x69:
      return { k: "own", idx: r.u32() };
    case 0x68:
      return { k: "borrow", idx: r.u32() };
    case 0x66:
    case 0x65: {
      const type = optionalVal(r);
      return { k: op === 0x66 ? "stream" : "future", ...(type !== undefined ? { type } : {}) };
    }
    case 0x63:
      return { k: "map", key: readValType(r), value: readValType(r) };
    case 0x40:
    case 0x43: {
      const params = vec(r, () => ({ name: r.name(), type: readValType(r) }));
      const tag = r.byte();
      let result: ValType | undefined;
      if (tag === 0x00) result = readValType(r);
      else if (tag !== 0x01 || r.byte() !== 0x00) r.fail("bad function result list");
      return { k: "func", params, ...(result !== undefined ? { result } : {}), async: op === 0x43 };
    }
    case 0x41:
      return { k: "component", decls: vec(r, () => readDecl(r, true)) };
    case 0x42:
      return { k: "instance", decls: vec(r, () => readDecl(r, false)) };
    case 0x3f:
      if (r.byte() !== 0x7f) r.fail("resource representation other than i32");
      if (r.byte() === 0x01) r.u32();
      return { k: "resource" };
    case 0x3e:
      if (r.byte() !== 0x7f) r.fail("resource representation other than i32");
      r.u32();
      if (r.byte() === 0x01) r.u32();
      return { k: "resource" };
    default: {
      const prim = PRIMS[op];
      if (prim !== undefined) return { k: "prim", prim };
      return r.fail(`unsupported type opcode 0x${op.toString(16)}`);
    }
  }
}

// ------------------------------------------------------------------ resolution

/** One entry of a type index space. */
export type TypeEntry =
  | { t: "def"; def: DefType }
  /** Same type as another index of the same scope (`(eq i)` exports, re-exports). */
  | { t: "ref"; idx: number }
  /** An abstract resource (`(sub resource)` import or export) with a stable identity. */
  | { t: "resource"; id: string }
  | { t: "outer"; count: number; idx: number }
  /** `alias export $instance "name" (type …)` at component level. */
  | { t: "instance-export"; instance: number; name: string }
  /** A type the model does not track (e.g. exported from an instantiated component). */
  | { t: "opaque"; why: string };

/** How a component-level instance came to be, as far as type resolution needs. */
export type InstanceEntry = { i: "import"; name: string; typeIdx: number } | { i: "other"; why: string };

export interface Scope {
  types: TypeEntry[];
  instances: InstanceEntry[];
  parent?: Scope;
  /** Prefix of the identities of resources declared in this scope. */
  key: string;
}

export type Resolved = { def: DefType; scope: Scope } | { resource: string };

export class TypeResolutionError extends WasmFormatError {}

function fail(msg: string): never {
  throw new TypeResolutionError(msg);
}

export function resolveType(scope: Scope, idx: number, depth = 0): Resolved {
  if (depth > 64) fail("type alias chain too deep");
  const e = scope.types[idx];
  if (e === undefined) fail(`type index ${idx} out of range (${scope.types.length} types in ${scope.key})`);
  switch (e.t) {
    case "def":
      return e.def.k === "resource" ? { resource: `${scope.key}/type${idx}` } : { def: e.def, scope };
    case "ref":
      return resolveType(scope, e.idx, depth + 1);
    case "resource":
      return { resource: e.id };
    case "outer": {
      let s: Scope | undefined = scope;
      for (let i = 0; i < e.count; i++) s = s?.parent;
      if (s === undefined) fail(`outer alias ${e.count} ${e.idx} leaves the outermost scope`);
      return resolveType(s, e.idx, depth + 1);
    }
    case "instance-export":
      return resolveInstanceExport(scope, e.instance, e.name, depth + 1);
    case "opaque":
      return fail(`type ${idx} cannot be resolved: ${e.why}`);
  }
}

const instanceScopes = new WeakMap<Scope, Map<number, { scope: Scope; exports: Map<string, number> }>>();

/** The local type scope of an imported instance, built from its instance type's declarations. */
function instanceScope(scope: Scope, instance: number, depth: number): { scope: Scope; exports: Map<string, number> } {
  let cache = instanceScopes.get(scope);
  if (cache === undefined) instanceScopes.set(scope, (cache = new Map()));
  const hit = cache.get(instance);
  if (hit !== undefined) return hit;
  const inst = scope.instances[instance];
  if (inst === undefined) fail(`instance index ${instance} out of range`);
  if (inst.i !== "import") fail(`types exported by instance ${instance} cannot be resolved (${inst.why})`);
  const t = resolveType(scope, inst.typeIdx, depth + 1);
  if (!("def" in t) || t.def.k !== "instance") fail(`instance ${instance} ("${inst.name}") is not typed by an instance type`);
  const local: Scope = { types: [], instances: [], parent: t.scope, key: `import(${inst.name})` };
  const exports = new Map<string, number>();
  for (const d of t.def.decls) {
    if (d.d === "type") local.types.push({ t: "def", def: d.def });
    else if (d.d === "outer-alias") {
      if (d.sort === 0x03) local.types.push({ t: "outer", count: d.count, idx: d.idx });
    } else if (d.desc.k === "type") {
      exports.set(d.name, local.types.length);
      local.types.push(d.desc.eq !== undefined ? { t: "ref", idx: d.desc.eq } : { t: "resource", id: `${local.key}/${d.name}` });
    } else if (d.desc.k === "instance") {
      local.instances.push({ i: "other", why: "nested instance export" });
    }
  }
  const out = { scope: local, exports };
  cache.set(instance, out);
  return out;
}

function resolveInstanceExport(scope: Scope, instance: number, name: string, depth: number): Resolved {
  const { scope: local, exports } = instanceScope(scope, instance, depth);
  const idx = exports.get(name);
  if (idx === undefined) fail(`instance ${instance} has no type export "${name}"`);
  return resolveType(local, idx, depth + 1);
}

/** The function type at a type index, or a clear error. */
export function resolveFuncType(scope: Scope, idx: number): { def: Extract<DefType, { k: "func" }>; scope: Scope } {
  const r = resolveType(scope, idx);
  if (!("def" in r) || r.def.k !== "func") fail(`type ${idx} is not a function type`);
  return { def: r.def, scope: r.scope };
}

/** The resource identity of a type index (for `borrow<T>`, `own<T>` and `canon resource.*`). */
export function resourceIdentity(scope: Scope, idx: number): string {
  const r = resolveType(scope, idx);
  if (!("resource" in r)) fail(`type ${idx} is not a resource type`);
  return r.resource;
}

// ------------------------------------------------------------------ canonical ABI flattening

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

const PRIM_FLAT: Record<PrimName, CoreValType> = {
  bool: "i32", s8: "i32", u8: "i32", s16: "i32", u16: "i32", s32: "i32", u32: "i32", char: "i32",
  s64: "i64", u64: "i64", f32: "f32", f64: "f64", string: "i32", "error-context": "i32",
};

function join(a: CoreValType, b: CoreValType): CoreValType {
  if (a === b) return a;
  if ((a === "i32" && b === "f32") || (a === "f32" && b === "i32")) return "i32";
  return "i64";
}

function flattenVariant(scope: Scope, cases: (ValType | undefined)[], seen: number): CoreValType[] {
  const flat: CoreValType[] = [];
  for (const c of cases) {
    if (c === undefined) continue;
    flattenVal(scope, c, seen).forEach((t, i) => {
      flat[i] = i < flat.length ? join(flat[i] as CoreValType, t) : t;
    });
  }
  return ["i32", ...flat];
}

function flattenDef(scope: Scope, def: DefType, seen: number): CoreValType[] {
  if (seen > 64) fail("type nesting too deep to flatten");
  switch (def.k) {
    case "prim":
      return def.prim === "string" ? ["i32", "i32"] : [PRIM_FLAT[def.prim]];
    case "record":
      return def.fields.flatMap((f) => flattenVal(scope, f.type, seen + 1));
    case "tuple":
      return def.types.flatMap((t) => flattenVal(scope, t, seen + 1));
    case "variant":
      return flattenVariant(scope, def.cases.map((c) => c.type), seen + 1);
    case "option":
      return flattenVariant(scope, [undefined, def.type], seen + 1);
    case "result":
      return flattenVariant(scope, [def.ok, def.err], seen + 1);
    case "enum":
      return ["i32"];
    case "flags":
      return Array.from({ length: Math.ceil(def.names.length / 32) }, () => "i32" as const);
    case "list":
      if (def.len === undefined) return ["i32", "i32"];
      return Array.from({ length: def.len }, () => flattenVal(scope, def.elem, seen + 1)).flat();
    case "map":
      return ["i32", "i32"];
    case "own":
    case "borrow":
    case "stream":
    case "future":
      return ["i32"];
    default:
      return fail(`a ${def.k} type is not a value type`);
  }
}

export function flattenVal(scope: Scope, t: ValType, seen = 0): CoreValType[] {
  if ("prim" in t) return t.prim === "string" ? ["i32", "i32"] : [PRIM_FLAT[t.prim]];
  const r = resolveType(scope, t.idx);
  if (!("def" in r)) fail(`a resource type (${r.resource}) used directly as a value type`);
  return flattenDef(r.scope, r.def, seen);
}

/** Whether a borrow handle appears anywhere inside `t` (not counting `t` itself being a borrow). */
export function containsBorrow(scope: Scope, t: ValType, top = true, seen = 0): boolean {
  if ("prim" in t) return false;
  if (seen > 64) fail("type nesting too deep");
  const r = resolveType(scope, t.idx);
  if (!("def" in r)) return false;
  const d = r.def;
  const sub = (v: ValType | undefined): boolean => v !== undefined && containsBorrow(r.scope, v, false, seen + 1);
  switch (d.k) {
    case "borrow":
      return !top;
    case "record":
      return d.fields.some((f) => sub(f.type));
    case "tuple":
      return d.types.some(sub);
    case "variant":
      return d.cases.some((c) => sub(c.type));
    case "option":
      return sub(d.type);
    case "result":
      return sub(d.ok) || sub(d.err);
    case "list":
      return sub(d.elem);
    case "map":
      return sub(d.key) || sub(d.value);
    default:
      return false;
  }
}

export interface BorrowParam {
  /** Parameter name in the component function type. */
  name: string;
  /** Index of the parameter among the function's parameters. */
  param: number;
  /** Index of the handle among the flattened core parameters. */
  flatIndex: number;
  /** Resource identity (see resourceIdentity). */
  resource: string;
}

export interface LoweredSignature {
  /** The core signature of the lifted core function (MAX_FLAT_* applied). */
  core: CoreFuncType;
  /** Flat parameters before MAX_FLAT_PARAMS is applied. */
  flatParams: CoreValType[];
  borrows: BorrowParam[];
  /** Parameters with a borrow nested inside (records, lists, …). */
  nestedBorrows: string[];
}

/** Flattens a function type as `canon lift` sees it and locates its top-level borrow parameters. */
export function liftSignature(scope: Scope, typeIdx: number): LoweredSignature {
  const { def, scope: fs } = resolveFuncType(scope, typeIdx);
  if (def.async) fail(`type ${typeIdx} is an async function type`);
  const flatParams: CoreValType[] = [];
  const borrows: BorrowParam[] = [];
  const nestedBorrows: string[] = [];
  def.params.forEach((p, i) => {
    if ("idx" in p.type) {
      const r = resolveType(fs, p.type.idx);
      if ("def" in r && r.def.k === "borrow") borrows.push({ name: p.name, param: i, flatIndex: flatParams.length, resource: resourceIdentity(r.scope, r.def.idx) });
    }
    if (containsBorrow(fs, p.type)) nestedBorrows.push(p.name);
    flatParams.push(...flattenVal(fs, p.type));
  });
  const flatResults = def.result === undefined ? [] : flattenVal(fs, def.result);
  if (def.result !== undefined && containsBorrow(fs, def.result)) nestedBorrows.push("(result)");
  const core: CoreFuncType = {
    params: flatParams.length > MAX_FLAT_PARAMS ? ["i32"] : flatParams,
    results: flatResults.length > MAX_FLAT_RESULTS ? ["i32"] : flatResults,
  };
  return { core, flatParams, borrows, nestedBorrows };
}
