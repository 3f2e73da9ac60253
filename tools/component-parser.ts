// A small reader of the WebAssembly component binary format (component-model design/mvp/Binary.md):
// enough to list a component's top-level imports (with the functions of imported instances),
// exports and canonical built-ins. Core modules are skipped by size; nested components are only
// scanned for canon sections (componentize-qjs puts all lift/lower glue in nested components).
// Why our own: the build must prove what a component imports/uses without a Rust toolchain, and
// a few hundred lines of TypeScript beat a native dependency for that.

import { Reader, WasmFormatError as ComponentFormatError } from "./component/binary.js";

export type ExternKind = "core-module" | "func" | "value" | "type" | "component" | "instance";

export interface ComponentImport {
  name: string;
  kind: ExternKind;
  /** Function names of an imported instance (e.g. `get`, `[method]row.push`), when its type is known. */
  functions?: string[];
}

export interface ComponentExport {
  name: string;
  kind: ExternKind | "core";
}

export interface CanonEntry {
  /** `lift`, `lower`, `resource.new`, …, `task.return`, `stream.new`, … */
  op: string;
  /** Canonical options present, e.g. `async`, `callback`, `memory`, `realloc`, `post-return`. */
  options: string[];
}

export interface ComponentInfo {
  imports: ComponentImport[];
  exports: ComponentExport[];
  /** Canonical definitions of the component and of its nested components (where the glue lives). */
  canon: CanonEntry[];
  /** Section ids in order of appearance at the top level (useful for diagnostics). */
  sections: number[];
  /** Why instance function lists are unavailable, when a type could not be decoded. */
  typeWarning?: string;
}

/** The byte reader's error (tools/component/binary.ts, shared by every binary reader here). */
export { ComponentFormatError };

const SECTION = { custom: 0, coreModule: 1, coreInstance: 2, coreType: 3, component: 4, instance: 5, alias: 6, type: 7, canon: 8, start: 9, import: 10, export: 11, value: 12 } as const;

const EXTERN_KINDS: Record<number, ExternKind> = { 0: "core-module", 1: "func", 2: "value", 3: "type", 4: "component", 5: "instance" };
const SORT_TYPE = 0x03;

/** Canon opcodes (Binary.md "Canonical Definitions"). Only the first five are synchronous MVP. */
const CANON_NAMES: Record<number, string> = {
  0x00: "lift", 0x01: "lower", 0x02: "resource.new", 0x03: "resource.drop", 0x04: "resource.rep",
  0x05: "task.cancel", 0x06: "subtask.cancel", 0x07: "resource.drop async", 0x08: "backpressure.set",
  0x09: "task.return", 0x0a: "context.get", 0x0b: "context.set", 0x0c: "thread.yield", 0x0d: "subtask.drop",
  0x0e: "stream.new", 0x0f: "stream.read", 0x10: "stream.write", 0x11: "stream.cancel-read",
  0x12: "stream.cancel-write", 0x13: "stream.drop-readable", 0x14: "stream.drop-writable", 0x15: "future.new",
  0x16: "future.read", 0x17: "future.write", 0x18: "future.cancel-read", 0x19: "future.cancel-write",
  0x1a: "future.drop-readable", 0x1b: "future.drop-writable", 0x1c: "error-context.new",
  0x1d: "error-context.debug-message", 0x1e: "error-context.drop", 0x1f: "waitable-set.new",
  0x20: "waitable-set.wait", 0x21: "waitable-set.poll", 0x22: "waitable-set.drop", 0x23: "waitable.join",
  0x24: "backpressure.inc", 0x25: "backpressure.dec", 0x26: "thread.index", 0x27: "thread.new-indirect",
  0x28: "thread.resume-later", 0x29: "thread.suspend", 0x2a: "thread.suspend-then-resume",
  0x2b: "thread.yield-then-resume", 0x2c: "thread.suspend-then-promote", 0x2d: "thread.yield-then-promote",
  0x40: "thread.spawn-ref", 0x41: "thread.spawn-indirect", 0x42: "thread.available-parallelism",
};
export const SYNC_CANON_OPS: ReadonlySet<string> = new Set(["lift", "lower", "resource.new", "resource.drop", "resource.rep"]);

// ------------------------------------------------------------------ types (enough to skip them)

function valtype(r: Reader): void {
  // A primitive (one byte 0x64–0x7f) or a type index (u32); both are LEB-shaped.
  r.skipLeb();
}

function optional(r: Reader, f: () => void): void {
  const flag = r.byte();
  if (flag === 0x01) f();
  else if (flag !== 0x00) r.fail(`bad option flag 0x${flag.toString(16)}`);
}

function vec(r: Reader, f: () => void): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) f();
}

/** Returns the export-decl names of an instance type, or undefined for other types. */
function deftype(r: Reader): { instanceFuncs?: string[] } {
  const op = r.byte();
  switch (op) {
    case 0x72: // record
      vec(r, () => {
        r.name();
        valtype(r);
      });
      return {};
    case 0x71: // variant
      vec(r, () => {
        r.name();
        optional(r, () => valtype(r));
        const refines = r.byte();
        if (refines === 0x01) r.u32();
      });
      return {};
    case 0x70: // list
    case 0x6b: // option
      valtype(r);
      return {};
    case 0x67: // fixed-length list
      valtype(r);
      r.u32();
      return {};
    case 0x6f: // tuple
      vec(r, () => valtype(r));
      return {};
    case 0x6e: // flags
    case 0x6d: // enum
      vec(r, () => r.name());
      return {};
    case 0x6a: // result
      optional(r, () => valtype(r));
      optional(r, () => valtype(r));
      return {};
    case 0x69: // own
    case 0x68: // borrow
      r.u32();
      return {};
    case 0x66: // stream
    case 0x65: // future
      optional(r, () => valtype(r));
      return {};
    case 0x63: // map
      valtype(r);
      valtype(r);
      return {};
    case 0x3f: // resource
      r.byte(); // rep core valtype (i32)
      optional(r, () => r.u32());
      return {};
    case 0x40: // func
    case 0x43: // async func
      vec(r, () => {
        r.name();
        valtype(r);
      });
      if (r.byte() === 0x00) valtype(r);
      else r.byte(); // 0x01 0x00: no result
      return {};
    case 0x41: // component type
      vec(r, () => {
        if (r.peek() === 0x03) {
          r.byte();
          nameAttributes(r);
          externtype(r);
        } else instanceDecl(r, undefined);
      });
      return {};
    case 0x42: {
      // instance type: collect func exports
      const funcs: string[] = [];
      vec(r, () => instanceDecl(r, funcs));
      return { instanceFuncs: funcs };
    }
    default:
      if (op >= 0x64 && op <= 0x7f) return {}; // primitive
      return r.fail(`unsupported type opcode 0x${op.toString(16)}`);
  }
}

function instanceDecl(r: Reader, funcs: string[] | undefined): void {
  const tag = r.byte();
  switch (tag) {
    case 0x00:
      r.fail("core types inside component/instance types are not supported by this reader");
      break;
    case 0x01:
      deftype(r);
      break;
    case 0x02:
      alias(r);
      break;
    case 0x04: {
      const name = nameAttributes(r);
      const kind = externtype(r);
      if (kind === "func") funcs?.push(name);
      break;
    }
    default:
      r.fail(`bad instance declaration 0x${tag.toString(16)}`);
  }
}

function nameAttributes(r: Reader): string {
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

/** Returns the kind and the type index (for func/instance/component). */
function externtypeWithIndex(r: Reader): { kind: ExternKind; index?: number } {
  const tag = r.byte();
  switch (tag) {
    case 0x00:
      if (r.byte() !== 0x11) r.fail("bad core module extern type");
      return { kind: "core-module", index: r.u32() };
    case 0x01:
    case 0x04:
    case 0x05:
      return { kind: EXTERN_KINDS[tag] as ExternKind, index: r.u32() };
    case 0x02: {
      const b = r.byte();
      if (b === 0x00) r.u32();
      else valtype(r);
      return { kind: "value" };
    }
    case 0x03: {
      const b = r.byte();
      if (b === 0x00) r.u32();
      else if (b !== 0x01) r.fail("bad type bound");
      return { kind: "type" };
    }
    default:
      return r.fail(`bad extern type 0x${tag.toString(16)}`);
  }
}

function externtype(r: Reader): ExternKind {
  return externtypeWithIndex(r).kind;
}

/** Returns the sort byte (0x00 = core, with its core sort) of an alias. */
function alias(r: Reader): number {
  const sort = r.byte();
  if (sort === 0x00) r.byte(); // core sort
  const target = r.byte();
  if (target === 0x00 || target === 0x01) {
    r.u32();
    r.name();
  } else if (target === 0x02) {
    r.u32();
    r.u32();
  } else r.fail(`bad alias target 0x${target.toString(16)}`);
  return sort;
}

// ------------------------------------------------------------------ canon

function canonOptions(r: Reader): string[] {
  const names: string[] = [];
  vec(r, () => {
    const o = r.byte();
    switch (o) {
      case 0x00: names.push("utf8"); break;
      case 0x01: names.push("utf16"); break;
      case 0x02: names.push("latin1+utf16"); break;
      case 0x03: r.u32(); names.push("memory"); break;
      case 0x04: r.u32(); names.push("realloc"); break;
      case 0x05: r.u32(); names.push("post-return"); break;
      case 0x06: names.push("async"); break;
      case 0x07: r.u32(); names.push("callback"); break;
      case 0x08: r.u32(); names.push("core-type"); break;
      case 0x09: names.push("gc"); break;
      default: r.fail(`unknown canonical option 0x${o.toString(16)}`);
    }
  });
  return names;
}

function canon(r: Reader): CanonEntry {
  const op = r.byte();
  const name = CANON_NAMES[op];
  if (name === undefined) r.fail(`unknown canonical definition opcode 0x${op.toString(16)}`);
  const flag = (label: string, out: string[]): void => {
    if (r.byte() === 0x01) out.push(label);
  };
  const options: string[] = [];
  switch (op) {
    case 0x00: // lift: 0x00 core funcidx opts typeidx
      r.byte();
      r.u32();
      options.push(...canonOptions(r));
      r.u32();
      break;
    case 0x01: // lower: 0x00 funcidx opts
      r.byte();
      r.u32();
      options.push(...canonOptions(r));
      break;
    case 0x02: case 0x03: case 0x04: case 0x07: case 0x0e: case 0x13: case 0x14: case 0x15: case 0x1a: case 0x1b:
      r.u32();
      break;
    case 0x05: case 0x0d: case 0x1e: case 0x1f: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0x28:
      break;
    case 0x06:
      flag("async", options);
      break;
    case 0x08:
      break;
    case 0x09: // task.return resultlist opts
      if (r.byte() === 0x00) valtype(r);
      else r.byte();
      options.push(...canonOptions(r));
      break;
    case 0x0a: case 0x0b:
      r.byte();
      r.u32();
      break;
    case 0x0c: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d:
      flag("cancellable", options);
      break;
    case 0x0f: case 0x10: case 0x16: case 0x17:
      r.u32();
      options.push(...canonOptions(r));
      break;
    case 0x11: case 0x12: case 0x18: case 0x19:
      r.u32();
      flag("async", options);
      break;
    case 0x1c: case 0x1d:
      options.push(...canonOptions(r));
      break;
    case 0x20: case 0x21:
      flag("cancellable", options);
      r.u32();
      break;
    case 0x27:
      r.u32();
      r.u32();
      break;
    case 0x40:
      flag("shared", options);
      r.u32();
      break;
    case 0x41:
      flag("shared", options);
      r.u32();
      r.u32();
      break;
    case 0x42:
      flag("shared", options);
      break;
  }
  return { op: name as string, options };
}

// ------------------------------------------------------------------ top level

/** Collects canon entries of a nested component, recursively; everything else is skipped. */
function nestedCanon(bytes: Uint8Array, start: number, end: number, out: CanonEntry[], depth: number): void {
  if (depth > 16) throw new ComponentFormatError("components nested more than 16 deep");
  const r = new Reader(bytes, start, end);
  if (end - start < 8 || MAGIC.some((b, i) => bytes[start + i] !== b)) r.fail("nested component without \\0asm magic");
  r.pos += 8;
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const sectionEnd = r.pos + size;
    if (sectionEnd > end) r.fail(`nested section ${id} runs past the end of its component`);
    if (id === SECTION.canon) {
      const s = new Reader(bytes, r.pos, sectionEnd);
      vec(s, () => out.push(canon(s)));
    } else if (id === SECTION.component) {
      nestedCanon(bytes, r.pos, sectionEnd, out, depth + 1);
    }
    r.pos = sectionEnd;
  }
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Parses the top level of a component binary. Throws ComponentFormatError on malformed input. */
export function parseComponent(bytes: Uint8Array): ComponentInfo {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ComponentFormatError("not a WebAssembly binary (missing \\0asm magic)");
  }
  if (bytes[6] !== 0x01 || bytes[7] !== 0x00) {
    throw new ComponentFormatError(
      bytes[6] === 0x00 && bytes[7] === 0x00 ? "this is a core WebAssembly module, not a component" : "unknown WebAssembly layer (not a component)",
    );
  }
  const info: ComponentInfo = { imports: [], exports: [], canon: [], sections: [] };
  // Top-level type index space → export-func names when the type is an instance type.
  const types: (string[] | undefined)[] = [];
  let typesKnown = true;
  const r = new Reader(bytes, 8);
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (end > bytes.length) r.fail(`section ${id} of ${size} bytes runs past the end of the file`);
    info.sections.push(id);
    const s = new Reader(bytes, r.pos, end);
    switch (id) {
      case SECTION.type:
        if (!typesKnown) break;
        try {
          vec(s, () => types.push(deftype(s).instanceFuncs));
        } catch (e) {
          // Keep going: imports/exports/canon are still checked, only function lists are lost.
          typesKnown = false;
          info.typeWarning = e instanceof Error ? e.message : String(e);
        }
        break;
      case SECTION.alias:
        vec(s, () => {
          if (alias(s) === SORT_TYPE) types.push(undefined);
        });
        break;
      case SECTION.import:
        vec(s, () => {
          const name = nameAttributes(s);
          const { kind, index } = externtypeWithIndex(s);
          const imp: ComponentImport = { name, kind };
          if (kind === "instance" && typesKnown && index !== undefined) {
            const funcs = types[index];
            if (funcs !== undefined) imp.functions = [...funcs];
          }
          if (kind === "type") types.push(undefined);
          info.imports.push(imp);
        });
        break;
      case SECTION.export:
        vec(s, () => {
          const name = nameAttributes(s);
          const sort = s.byte();
          if (sort === 0x00) s.byte();
          s.u32();
          optional(s, () => externtype(s));
          const kind: ComponentExport["kind"] = sort === 0x00 ? "core" : (EXTERN_KINDS[sort] ?? s.fail(`bad export sort 0x${sort.toString(16)}`));
          if (sort === SORT_TYPE) types.push(undefined);
          info.exports.push({ name, kind });
        });
        break;
      case SECTION.canon:
        vec(s, () => info.canon.push(canon(s)));
        break;
      case SECTION.component:
        nestedCanon(bytes, s.pos, end, info.canon, 1);
        break;
      default:
        // custom, core module, core instance, core type, instance, start, value:
        // not needed for the checks; skipped by size.
        break;
    }
    if ((id === SECTION.import || id === SECTION.export || id === SECTION.canon || id === SECTION.alias) && s.pos !== end) {
      s.fail(`section ${id} has ${end - s.pos} unparsed bytes`);
    }
    r.pos = end;
  }
  return info;
}
