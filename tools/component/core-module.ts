// Core WebAssembly modules: a small encoder for the hand-written glue modules the borrow fix inserts
// (imports, mutable i32 globals, functions with a raw instruction body, exports), and a reader that
// answers "what is the type of exported function X" and "which custom sections does it have"
// without decoding code. Only MVP function types (no GC rec groups) are supported.

import { CORE_PREAMBLE, Reader, WasmFormatError, Writer, splitSections } from "./binary.js";

export type CoreValType = "i32" | "i64" | "f32" | "f64";

export interface CoreFuncType {
  params: CoreValType[];
  results: CoreValType[];
}

const VALTYPE_CODE: Record<CoreValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const CODE_VALTYPE: Record<number, CoreValType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };

export function formatCoreFuncType(t: CoreFuncType): string {
  return `(${t.params.join(", ")}) -> (${t.results.join(", ")})`;
}

export function sameCoreFuncType(a: CoreFuncType, b: CoreFuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length && a.params.every((p, i) => p === b.params[i]) && a.results.every((p, i) => p === b.results[i]);
}

// ------------------------------------------------------------------ reading

export interface CoreModuleSummary {
  types: CoreFuncType[];
  /** Type index of every function, imports first. */
  funcTypes: number[];
  imports: { module: string; name: string; kind: "func" | "table" | "memory" | "global" | "tag"; type?: CoreFuncType }[];
  exports: Map<string, { kind: "func" | "table" | "memory" | "global" | "tag"; index: number }>;
  customSections: string[];
}

function readFuncType(r: Reader): CoreFuncType {
  const form = r.byte();
  if (form !== 0x60) r.fail(`unsupported core type form 0x${form.toString(16)} (only function types are supported)`);
  const vt = (): CoreValType => {
    const c = r.byte();
    return CODE_VALTYPE[c] ?? r.fail(`unsupported core value type 0x${c.toString(16)}`);
  };
  const params: CoreValType[] = [];
  const results: CoreValType[] = [];
  for (let n = r.u32(); n > 0; n--) params.push(vt());
  for (let n = r.u32(); n > 0; n--) results.push(vt());
  return { params, results };
}

function skipLimits(r: Reader): void {
  const flags = r.byte();
  const is64 = (flags & 0x04) !== 0;
  const leb = (): void => (is64 ? r.skipLeb() : void r.u32());
  leb();
  if ((flags & 0x01) !== 0) leb();
  if ((flags & 0x08) !== 0) r.u32(); // custom page size
}

/** Reads the type, import, function and export sections of a core module (code is skipped). */
export function summarizeCoreModule(bytes: Uint8Array, start = 0, end = bytes.length): CoreModuleSummary {
  if (end - start < 8 || CORE_PREAMBLE.some((b, i) => bytes[start + i] !== b)) throw new WasmFormatError(`not a core WebAssembly module at byte offset ${start}`);
  const out: CoreModuleSummary = { types: [], funcTypes: [], imports: [], exports: new Map(), customSections: [] };
  for (const s of splitSections(bytes, start, end)) {
    const r = new Reader(bytes, s.start, s.end);
    switch (s.id) {
      case 0:
        out.customSections.push(r.name());
        break;
      case 1:
        for (let n = r.u32(); n > 0; n--) out.types.push(readFuncType(r));
        r.expectEnd("core type section");
        break;
      case 2:
        for (let n = r.u32(); n > 0; n--) {
          const module = r.name();
          const name = r.name();
          const kind = r.byte();
          if (kind === 0x00) {
            const t = r.u32();
            out.funcTypes.push(t);
            const type = out.types[t];
            out.imports.push({ module, name, kind: "func", ...(type !== undefined ? { type } : {}) });
          } else if (kind === 0x01) {
            r.byte(); // reftype
            skipLimits(r);
            out.imports.push({ module, name, kind: "table" });
          } else if (kind === 0x02) {
            skipLimits(r);
            out.imports.push({ module, name, kind: "memory" });
          } else if (kind === 0x03) {
            r.byte();
            r.byte();
            out.imports.push({ module, name, kind: "global" });
          } else if (kind === 0x04) {
            r.byte();
            r.u32();
            out.imports.push({ module, name, kind: "tag" });
          } else r.fail(`unknown core import kind 0x${kind.toString(16)}`);
        }
        r.expectEnd("core import section");
        break;
      case 3:
        for (let n = r.u32(); n > 0; n--) out.funcTypes.push(r.u32());
        r.expectEnd("core function section");
        break;
      case 7:
        for (let n = r.u32(); n > 0; n--) {
          const name = r.name();
          const kind = r.byte();
          const index = r.u32();
          const k = (["func", "table", "memory", "global", "tag"] as const)[kind];
          if (k === undefined) r.fail(`unknown core export kind 0x${kind.toString(16)}`);
          out.exports.set(name, { kind: k, index });
        }
        r.expectEnd("core export section");
        break;
      default:
        break;
    }
  }
  return out;
}

/** The type of an exported function, or undefined when the module has no such function export. */
export function exportedFuncType(m: CoreModuleSummary, name: string): CoreFuncType | undefined {
  const e = m.exports.get(name);
  if (e === undefined || e.kind !== "func") return undefined;
  const t = m.funcTypes[e.index];
  return t === undefined ? undefined : m.types[t];
}

// ------------------------------------------------------------------ writing

/** Instruction opcodes the glue modules use. */
export const OP = {
  unreachable: 0x00,
  block: 0x02,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  return: 0x0f,
  call: 0x10,
  localGet: 0x20,
  globalGet: 0x23,
  globalSet: 0x24,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32And: 0x71,
  /** Block type "no results". */
  void: 0x40,
} as const;

/** Builds one instruction sequence: opcodes and their immediates. */
export class Code {
  readonly w = new Writer();
  op(code: number): this {
    this.w.byte(code);
    return this;
  }
  localGet(i: number): this {
    this.w.byte(OP.localGet).u32(i);
    return this;
  }
  globalGet(i: number): this {
    this.w.byte(OP.globalGet).u32(i);
    return this;
  }
  globalSet(i: number): this {
    this.w.byte(OP.globalSet).u32(i);
    return this;
  }
  i32(v: number): this {
    this.w.byte(OP.i32Const).s64(v);
    return this;
  }
  call(f: number): this {
    this.w.byte(OP.call).u32(f);
    return this;
  }
  /** `if` without results; `then` (and `otherwise`) emit the arms. */
  if(then: (c: Code) => void, otherwise?: (c: Code) => void): this {
    this.w.byte(OP.if).byte(OP.void);
    then(this);
    if (otherwise !== undefined) {
      this.w.byte(OP.else);
      otherwise(this);
    }
    this.w.byte(OP.end);
    return this;
  }
}

interface ImportSpec {
  module: string;
  name: string;
  type: CoreFuncType;
}

interface FuncSpec {
  type: CoreFuncType;
  body: Code;
  exportAs?: string;
}

/**
 * A core module with function imports, mutable i32 globals (initialised to 0) and functions.
 * Function indices: imports first (in order of `importFunc`), then defined functions.
 */
export class CoreModuleBuilder {
  private readonly types: CoreFuncType[] = [];
  private readonly imports: ImportSpec[] = [];
  private readonly funcs: FuncSpec[] = [];
  private globals = 0;
  private sealedImports = false;

  private typeIndex(t: CoreFuncType): number {
    const i = this.types.findIndex((x) => sameCoreFuncType(x, t));
    if (i >= 0) return i;
    this.types.push({ params: [...t.params], results: [...t.results] });
    return this.types.length - 1;
  }
  /** Returns the function index of the import. All imports must be declared before functions. */
  importFunc(module: string, name: string, type: CoreFuncType): number {
    if (this.sealedImports) throw new Error("imports must be declared before functions");
    this.typeIndex(type);
    this.imports.push({ module, name, type });
    return this.imports.length - 1;
  }
  /** Returns the global index of a new `(mut i32)` global initialised to 0. */
  global(): number {
    return this.globals++;
  }
  /** Returns the function index. `body` is the instruction sequence without the final `end`. */
  func(type: CoreFuncType, body: Code, exportAs?: string): number {
    this.sealedImports = true;
    this.typeIndex(type);
    this.funcs.push({ type, body, ...(exportAs !== undefined ? { exportAs } : {}) });
    return this.imports.length + this.funcs.length - 1;
  }
  encode(): Uint8Array {
    const out = new Writer().bytes(CORE_PREAMBLE);
    const types = new Writer().vec(this.types, (t, w) => {
      w.byte(0x60).vec(t.params, (p) => w.byte(VALTYPE_CODE[p])).vec(t.results, (p) => w.byte(VALTYPE_CODE[p]));
    });
    out.section(1, types.finish());
    if (this.imports.length > 0) {
      const imports = new Writer().vec(this.imports, (imp, w) => {
        w.name(imp.module).name(imp.name).byte(0x00).u32(this.typeIndex(imp.type));
      });
      out.section(2, imports.finish());
    }
    out.section(3, new Writer().vec(this.funcs, (f, w) => w.u32(this.typeIndex(f.type))).finish());
    if (this.globals > 0) {
      const g = new Writer().u32(this.globals);
      for (let i = 0; i < this.globals; i++) g.byte(0x7f).byte(0x01).byte(OP.i32Const).byte(0x00).byte(OP.end);
      out.section(6, g.finish());
    }
    const exported = this.funcs.map((f, i) => ({ name: f.exportAs, index: this.imports.length + i })).filter((e): e is { name: string; index: number } => e.name !== undefined);
    out.section(7, new Writer().vec(exported, (e, w) => w.name(e.name).byte(0x00).u32(e.index)).finish());
    const code = new Writer().vec(this.funcs, (f, w) => {
      const body = new Writer().u32(0).bytes(f.body.w.finish()).byte(OP.end).finish(); // no extra locals
      w.u32(body.length).bytes(body);
    });
    out.section(10, code.finish());
    return out.finish();
  }
}
