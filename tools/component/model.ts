// An editable model of ONE level of a WebAssembly component (its top-level sections; nested
// components and core modules stay opaque bytes), for transformations that insert core modules,
// core instances and core functions and re-point references to them.
//
// Every reference into the three index spaces such edits shift — core modules, core instances and
// core functions — is parsed into a reference to an `Entity` object; `encode()` assigns the final
// indices in definition order, so inserting a definition anywhere renumbers everything after it.
// All other index spaces (types, component functions, instances, components, values, core types,
// memories, tables, globals) are kept as numbers and must not be changed by an edit.
// The `component-name` custom section is renumbered the same way.
//
// `parseLevel` also builds the component-level type scope (types/resolution in ./types.ts).

import { Reader, WasmFormatError, Writer, splitSections, COMPONENT_PREAMBLE } from "./binary.js";
import { type InstanceEntry, type Scope, type TypeEntry, readDefType, readExternDesc, readExternName } from "./types.js";

export type CoreSpace = "core-module" | "core-instance" | "core-func";

/** A definition in a tracked core index space; its index is assigned when encoding. */
export class Entity {
  /** The original index (for diagnostics), undefined for inserted definitions. */
  constructor(
    readonly space: CoreSpace,
    readonly originalIndex?: number,
  ) {}
  /** For core modules defined by a module section: the module's bytes. */
  moduleBytes?: Uint8Array;
  /** For core instances: their definition. */
  instance?: CoreInstanceDef;
  /** For core functions: the alias or canon definition that made them. */
  alias?: AliasDef;
  canon?: CanonDef;
}

// Sort codes: component sorts are their byte (0x01 func … 0x05 instance); core sorts are 0x100 | core sort.
export const SORT = {
  coreFunc: 0x100,
  coreTable: 0x101,
  coreMemory: 0x102,
  coreGlobal: 0x103,
  coreType: 0x110,
  coreModule: 0x111,
  coreInstance: 0x112,
  func: 0x01,
  value: 0x02,
  type: 0x03,
  component: 0x04,
  instance: 0x05,
} as const;

const TRACKED: Record<number, CoreSpace> = { [SORT.coreFunc]: "core-func", [SORT.coreModule]: "core-module", [SORT.coreInstance]: "core-instance" };

export type Ref = number | Entity;

export interface SortRef {
  sort: number;
  ref: Ref;
}

export type CoreInstanceDef =
  | { k: "instantiate"; module: Entity; args: { name: string; instance: Entity }[]; self: Entity }
  | { k: "exports"; exports: { name: string; sort: number; ref: Ref }[]; self: Entity };

export type AliasTarget = { k: "export"; instance: number; name: string } | { k: "core-export"; instance: Entity; name: string } | { k: "outer"; count: number; idx: number };

export interface AliasDef {
  sort: number;
  target: AliasTarget;
  self?: Entity;
}

export interface CanonOpt {
  code: number;
  ref?: Ref;
}

export interface CanonDef {
  op: number;
  /** lift: the core function. */
  coreFunc?: Entity;
  /** lower: the component function. */
  func?: number;
  /** lift: the function type; resource.*: the resource type. */
  type?: number;
  opts: CanonOpt[];
  /** The core function defined (everything but lift). */
  self?: Entity;
}

export type InstanceDef = { k: "instantiate"; component: number; args: { name: string; ref: SortRef }[] } | { k: "exports"; exports: { name: Uint8Array; ref: SortRef }[] };

export interface ExportDef {
  /** The encoded `exportname'` (kept verbatim). */
  name: Uint8Array;
  /** The decoded name. */
  text: string;
  ref: SortRef;
  /** The optional ascribed type, encoded (option flag included). */
  desc: Uint8Array;
  self?: Entity;
}

export interface NameEntry {
  ref: Ref;
  name: string;
}

export type NameSubsection = { k: "sort"; sort: number; names: NameEntry[] } | { k: "raw"; id: number; payload: Uint8Array };

export type Section =
  | { kind: "raw"; id: number; payload: Uint8Array; defines: Entity[]; customName?: string }
  | { kind: "core-instance"; entries: CoreInstanceDef[] }
  | { kind: "alias"; entries: AliasDef[] }
  | { kind: "canon"; entries: CanonDef[] }
  | { kind: "instance"; entries: InstanceDef[] }
  | { kind: "export"; entries: ExportDef[] }
  | { kind: "names"; componentName?: string; subsections: NameSubsection[] };

export interface Level {
  sections: Section[];
  scope: Scope;
  coreModules: Entity[];
  coreInstances: Entity[];
  coreFuncs: Entity[];
  /** Nested component sections (index into `sections`), in component index order. */
  components: number[];
  /** Offset of this level's preamble in the outermost binary (for messages). */
  base: number;
}

/** Canon opcodes this model supports: the synchronous MVP set. Anything else is refused. */
export const CANON = { lift: 0x00, lower: 0x01, resourceNew: 0x02, resourceDrop: 0x03, resourceRep: 0x04 } as const;

function readSort(r: Reader): number {
  const s = r.byte();
  if (s === 0x00) return 0x100 | r.byte();
  if (s > 0x05) r.fail(`bad sort 0x${s.toString(16)}`);
  return s;
}

function writeSort(w: Writer, sort: number): void {
  if (sort >= 0x100) w.byte(0x00).byte(sort & 0xff);
  else w.byte(sort);
}

/** Parses one level of a component. `bytes[start..end)` must be a whole component (with preamble). */
export function parseLevel(bytes: Uint8Array, start = 0, end = bytes.length, parent?: Scope, key = "root"): Level {
  if (end - start < 8 || COMPONENT_PREAMBLE.some((b, i) => i < 4 && bytes[start + i] !== b)) throw new WasmFormatError(`no \\0asm magic at byte offset ${start}`);
  if (bytes[start + 6] !== 0x01 || bytes[start + 7] !== 0x00) throw new WasmFormatError(`not a component at byte offset ${start}`);
  const level: Level = {
    sections: [],
    scope: { types: [], instances: [], ...(parent !== undefined ? { parent } : {}), key },
    coreModules: [],
    coreInstances: [],
    coreFuncs: [],
    components: [],
    base: start,
  };
  const { scope } = level;
  const space = (s: CoreSpace): Entity[] => (s === "core-module" ? level.coreModules : s === "core-instance" ? level.coreInstances : level.coreFuncs);
  const define = (s: CoreSpace): Entity => {
    const list = space(s);
    const e = new Entity(s, list.length);
    list.push(e);
    return e;
  };
  const lookup = (r: Reader, s: CoreSpace, idx: number): Entity => space(s)[idx] ?? r.fail(`${s} index ${idx} out of range (${space(s).length} defined)`);
  const ref = (r: Reader, sort: number, idx: number): Ref => {
    const s = TRACKED[sort];
    return s === undefined ? idx : lookup(r, s, idx);
  };

  for (const raw of splitSections(bytes, start, end)) {
    const r = new Reader(bytes, raw.start, raw.end);
    const payload = bytes.subarray(raw.start, raw.end);
    const vec = <T>(f: () => T): T[] => {
      const out: T[] = [];
      for (let n = r.u32(); n > 0; n--) out.push(f());
      return out;
    };
    switch (raw.id) {
      case 0: {
        const name = r.name();
        let names: Section | undefined;
        if (name === "component-name") {
          try {
            names = parseNames(r, ref);
          } catch {
            // kept verbatim; a transformation that renumbers must drop it (see `customName`)
          }
        }
        level.sections.push(names ?? { kind: "raw", id: 0, payload, defines: [], customName: name });
        break;
      }
      case 1: {
        const e = define("core-module");
        e.moduleBytes = payload;
        level.sections.push({ kind: "raw", id: 1, payload, defines: [e] });
        break;
      }
      case 2: {
        const entries = vec((): CoreInstanceDef => {
          const tag = r.byte();
          if (tag === 0x00) {
            const module = lookup(r, "core-module", r.u32());
            const args = vec(() => {
              const name = r.name();
              if (r.byte() !== 0x12) r.fail("core instantiate argument is not an instance");
              return { name, instance: lookup(r, "core-instance", r.u32()) };
            });
            const def: CoreInstanceDef = { k: "instantiate", module, args, self: define("core-instance") };
            def.self.instance = def;
            return def;
          }
          if (tag !== 0x01) r.fail(`bad core instance form 0x${tag.toString(16)}`);
          const exports = vec(() => {
            const name = r.name();
            const sort = 0x100 | r.byte();
            return { name, sort, ref: ref(r, sort, r.u32()) };
          });
          const def: CoreInstanceDef = { k: "exports", exports, self: define("core-instance") };
          def.self.instance = def;
          return def;
        });
        level.sections.push({ kind: "core-instance", entries });
        break;
      }
      case 3:
        level.sections.push({ kind: "raw", id: 3, payload, defines: [] });
        break;
      case 4:
        level.components.push(level.sections.length);
        level.sections.push({ kind: "raw", id: 4, payload, defines: [] });
        break;
      case 5: {
        const entries = vec((): InstanceDef => {
          const tag = r.byte();
          let def: InstanceDef;
          if (tag === 0x00) {
            const component = r.u32();
            const args = vec(() => {
              const name = r.name();
              const sort = readSort(r);
              return { name, ref: { sort, ref: ref(r, sort, r.u32()) } };
            });
            def = { k: "instantiate", component, args };
          } else if (tag === 0x01) {
            const exports = vec(() => {
              const s = r.pos;
              readExternName(r);
              const name = bytes.slice(s, r.pos);
              const sort = readSort(r);
              return { name, ref: { sort, ref: ref(r, sort, r.u32()) } };
            });
            def = { k: "exports", exports };
          } else return r.fail(`bad instance form 0x${tag.toString(16)}`);
          scope.instances.push({ i: "other", why: tag === 0x00 ? "instantiated component" : "instance of inline exports" });
          return def;
        });
        level.sections.push({ kind: "instance", entries });
        break;
      }
      case 6: {
        const entries = vec((): AliasDef => {
          const sort = readSort(r);
          const t = r.byte();
          let target: AliasTarget;
          if (t === 0x00) target = { k: "export", instance: r.u32(), name: r.name() };
          else if (t === 0x01) target = { k: "core-export", instance: lookup(r, "core-instance", r.u32()), name: r.name() };
          else if (t === 0x02) target = { k: "outer", count: r.u32(), idx: r.u32() };
          else return r.fail(`bad alias target 0x${t.toString(16)}`);
          const def: AliasDef = { sort, target };
          const s = TRACKED[sort];
          if (s !== undefined) {
            def.self = define(s);
            def.self.alias = def;
          }
          if (sort === SORT.type) {
            scope.types.push(target.k === "export" ? { t: "instance-export", instance: target.instance, name: target.name } : target.k === "outer" ? { t: "outer", count: target.count, idx: target.idx } : { t: "opaque", why: "core export alias" });
          } else if (sort === SORT.instance) scope.instances.push({ i: "other", why: "aliased instance" });
          return def;
        });
        level.sections.push({ kind: "alias", entries });
        break;
      }
      case 7: {
        const n = r.u32();
        let i = 0;
        try {
          for (; i < n; i++) scope.types.push({ t: "def", def: readDefType(r) });
        } catch (e) {
          const why = e instanceof Error ? e.message : String(e);
          for (; i < n; i++) scope.types.push({ t: "opaque", why });
          r.pos = r.end;
        }
        level.sections.push({ kind: "raw", id: 7, payload, defines: [] });
        break;
      }
      case 8: {
        const entries = vec((): CanonDef => {
          const op = r.byte();
          switch (op) {
            case CANON.lift: {
              if (r.byte() !== 0x00) r.fail("bad canon lift");
              const coreFunc = lookup(r, "core-func", r.u32());
              const opts = readCanonOpts(r, ref);
              return { op, coreFunc, opts, type: r.u32() };
            }
            case CANON.lower: {
              if (r.byte() !== 0x00) r.fail("bad canon lower");
              const func = r.u32();
              const def: CanonDef = { op, func, opts: readCanonOpts(r, ref), self: define("core-func") };
              def.self!.canon = def;
              return def;
            }
            case CANON.resourceNew:
            case CANON.resourceDrop:
            case CANON.resourceRep: {
              const def: CanonDef = { op, type: r.u32(), opts: [], self: define("core-func") };
              def.self!.canon = def;
              return def;
            }
            default:
              return r.fail(`canonical definition 0x${op.toString(16)} is not supported (only lift, lower and resource.new/drop/rep: the component must be built with --sync)`);
          }
        });
        level.sections.push({ kind: "canon", entries });
        break;
      }
      case 10: {
        const defines: Entity[] = [];
        for (let n = r.u32(); n > 0; n--) {
          const name = readExternName(r);
          const desc = readExternDesc(r);
          if (desc.k === "module") defines.push(define("core-module"));
          else if (desc.k === "type") scope.types.push(desc.eq !== undefined ? { t: "ref", idx: desc.eq } : { t: "resource", id: `${key}/import(${name})` });
          else if (desc.k === "instance") scope.instances.push({ i: "import", name, typeIdx: desc.idx });
        }
        level.sections.push({ kind: "raw", id: 10, payload, defines });
        break;
      }
      case 11: {
        const entries = vec((): ExportDef => {
          const s = r.pos;
          const text = readExternName(r);
          const name = bytes.slice(s, r.pos);
          const sort = readSort(r);
          const target = ref(r, sort, r.u32());
          const d = r.pos;
          if (r.byte() === 0x01) readExternDesc(r);
          const def: ExportDef = { name, text, ref: { sort, ref: target }, desc: bytes.slice(d, r.pos) };
          if (sort === SORT.coreModule) def.self = define("core-module");
          else if (sort >= 0x100) r.fail(`export of a core sort 0x${(sort & 0xff).toString(16)} other than a module`);
          if (sort === SORT.type) scope.types.push({ t: "ref", idx: target as number });
          else if (sort === SORT.instance) scope.instances.push({ i: "other", why: "exported instance" });
          return def;
        });
        level.sections.push({ kind: "export", entries });
        break;
      }
      case 9:
      case 12:
        level.sections.push({ kind: "raw", id: raw.id, payload, defines: [] });
        break;
      default:
        r.fail(`unknown component section id ${raw.id}`);
    }
    if (raw.id !== 0 && raw.id !== 1 && raw.id !== 3 && raw.id !== 4 && raw.id !== 7 && raw.id !== 9 && raw.id !== 12) r.expectEnd(`section ${raw.id}`);
  }
  return level;
}

function readCanonOpts(r: Reader, ref: (r: Reader, sort: number, idx: number) => Ref): CanonOpt[] {
  const out: CanonOpt[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const code = r.byte();
    switch (code) {
      case 0x00: case 0x01: case 0x02: case 0x06: case 0x09:
        out.push({ code });
        break;
      case 0x03: // memory
      case 0x08: // core-type
        out.push({ code, ref: r.u32() });
        break;
      case 0x04: // realloc
      case 0x05: // post-return
      case 0x07: // callback
        out.push({ code, ref: ref(r, SORT.coreFunc, r.u32()) });
        break;
      default:
        r.fail(`unknown canonical option 0x${code.toString(16)}`);
    }
  }
  return out;
}

function parseNames(r: Reader, ref: (r: Reader, sort: number, idx: number) => Ref): Section {
  const out: Extract<Section, { kind: "names" }> = { kind: "names", subsections: [] };
  while (!r.done) {
    const id = r.byte();
    const s = r.sub(r.u32());
    if (id === 0x00) {
      out.componentName = s.name();
      s.expectEnd("component name subsection");
    } else if (id === 0x01) {
      const sort = readSort(s);
      const names: NameEntry[] = [];
      for (let n = s.u32(); n > 0; n--) {
        const idx = s.u32();
        names.push({ ref: TRACKED[sort] !== undefined ? ref(s, sort, idx) : idx, name: s.name() });
      }
      s.expectEnd("component name subsection");
      out.subsections.push({ k: "sort", sort, names });
    } else out.subsections.push({ k: "raw", id, payload: s.bytes.subarray(s.pos, s.end) });
  }
  return out;
}

// ------------------------------------------------------------------ encoding

/** Assigns indices to every tracked entity in definition order. */
function assignIndices(level: Level): Map<Entity, number> {
  const next: Record<CoreSpace, number> = { "core-module": 0, "core-instance": 0, "core-func": 0 };
  const index = new Map<Entity, number>();
  const def = (e: Entity | undefined): void => {
    if (e === undefined) return;
    if (index.has(e)) throw new Error(`internal error: ${e.space} defined twice`);
    index.set(e, next[e.space]++);
  };
  for (const s of level.sections) {
    switch (s.kind) {
      case "raw":
        s.defines.forEach(def);
        break;
      case "core-instance":
        s.entries.forEach((e) => def(e.self));
        break;
      case "alias":
        s.entries.forEach((e) => def(e.self));
        break;
      case "canon":
        s.entries.forEach((e) => def(e.self));
        break;
      case "export":
        s.entries.forEach((e) => def(e.self));
        break;
      default:
        break;
    }
  }
  return index;
}

/** Encodes the level back into a component binary. */
export function encodeLevel(level: Level): Uint8Array {
  const index = assignIndices(level);
  const idx = (ref: Ref): number => {
    if (typeof ref === "number") return ref;
    const i = index.get(ref);
    if (i === undefined) throw new Error(`internal error: reference to a ${ref.space} that is not defined in this component`);
    return i;
  };
  const out = new Writer().bytes(COMPONENT_PREAMBLE);
  for (const s of level.sections) {
    const w = new Writer();
    let id: number;
    switch (s.kind) {
      case "raw":
        id = s.id;
        w.bytes(s.payload);
        break;
      case "core-instance":
        id = 2;
        w.vec(s.entries, (e) => {
          if (e.k === "instantiate") {
            w.byte(0x00).u32(idx(e.module)).vec(e.args, (a) => w.name(a.name).byte(0x12).u32(idx(a.instance)));
          } else {
            w.byte(0x01).vec(e.exports, (x) => w.name(x.name).byte(x.sort & 0xff).u32(idx(x.ref)));
          }
        });
        break;
      case "alias":
        id = 6;
        w.vec(s.entries, (e) => {
          writeSort(w, e.sort);
          const t = e.target;
          if (t.k === "export") w.byte(0x00).u32(t.instance).name(t.name);
          else if (t.k === "core-export") w.byte(0x01).u32(idx(t.instance)).name(t.name);
          else w.byte(0x02).u32(t.count).u32(t.idx);
        });
        break;
      case "canon":
        id = 8;
        w.vec(s.entries, (e) => {
          w.byte(e.op);
          const opts = (): void => {
            w.vec(e.opts, (o) => {
              w.byte(o.code);
              if (o.ref !== undefined) w.u32(idx(o.ref));
            });
          };
          if (e.op === CANON.lift) {
            w.byte(0x00).u32(idx(e.coreFunc as Entity));
            opts();
            w.u32(e.type as number);
          } else if (e.op === CANON.lower) {
            w.byte(0x00).u32(e.func as number);
            opts();
          } else w.u32(e.type as number);
        });
        break;
      case "instance":
        id = 5;
        w.vec(s.entries, (e) => {
          const sortidx = (x: SortRef): void => {
            writeSort(w, x.sort);
            w.u32(idx(x.ref));
          };
          if (e.k === "instantiate") w.byte(0x00).u32(e.component).vec(e.args, (a) => (w.name(a.name), sortidx(a.ref)));
          else w.byte(0x01).vec(e.exports, (x) => (w.bytes(x.name), sortidx(x.ref)));
        });
        break;
      case "export":
        id = 11;
        w.vec(s.entries, (e) => {
          w.bytes(e.name);
          writeSort(w, e.ref.sort);
          w.u32(idx(e.ref.ref)).bytes(e.desc);
        });
        break;
      case "names": {
        id = 0;
        w.name("component-name");
        if (s.componentName !== undefined) w.section(0x00, new Writer().name(s.componentName).finish());
        for (const sub of s.subsections) {
          if (sub.k === "raw") {
            w.section(sub.id, sub.payload);
            continue;
          }
          const entries = sub.names.map((n) => ({ i: idx(n.ref), name: n.name })).sort((a, b) => a.i - b.i);
          const p = new Writer();
          writeSort(p, sub.sort);
          p.vec(entries, (n) => p.u32(n.i).name(n.name));
          w.section(0x01, p.finish());
        }
        break;
      }
    }
    out.section(id, w.finish());
  }
  return out.finish();
}

/** All sections of one kind, in order. */
export function sectionsOf<K extends Section["kind"]>(level: Level, kind: K): Extract<Section, { kind: K }>[] {
  return level.sections.filter((s): s is Extract<Section, { kind: K }> => s.kind === kind);
}

/** Where a definition lives: the section and entry position (for inserting before it). */
export function locate(level: Level, pred: (s: Section, entry: unknown) => boolean): { section: number; entry: number } | undefined {
  for (let i = 0; i < level.sections.length; i++) {
    const s = level.sections[i] as Section;
    const entries: unknown[] = "entries" in s ? s.entries : [undefined];
    for (let j = 0; j < entries.length; j++) if (pred(s, entries[j])) return { section: i, entry: j };
  }
  return undefined;
}

/** Inserts `sections` before entry `at.entry` of section `at.section`, splitting that section if needed. */
export function insertBefore(level: Level, at: { section: number; entry: number }, sections: Section[]): void {
  const s = level.sections[at.section] as Section;
  if (at.entry > 0) {
    if (!("entries" in s)) throw new Error("internal error: cannot split a section without entries");
    const head = { ...s, entries: s.entries.slice(0, at.entry) } as Section;
    const tail = { ...s, entries: s.entries.slice(at.entry) } as Section;
    level.sections.splice(at.section, 1, head, ...sections, tail);
  } else level.sections.splice(at.section, 0, ...sections);
  level.components = level.sections.flatMap((x, i) => (x.kind === "raw" && x.id === 4 ? [i] : []));
}

/**
 * Outer aliases of core modules that reach the component at `bytes[start..end)` from inside its
 * nested components (such aliases would be shifted by inserting core modules), as "count idx".
 */
export function outerModuleAliases(bytes: Uint8Array, start: number, end: number, depth = 1): string[] {
  const out: string[] = [];
  for (const raw of splitSections(bytes, start, end)) {
    if (raw.id === 4) {
      out.push(...nestedOuterModuleAliases(bytes, raw.start, raw.end, depth));
    }
  }
  return out;
}

function nestedOuterModuleAliases(bytes: Uint8Array, start: number, end: number, depth: number): string[] {
  const out: string[] = [];
  for (const raw of splitSections(bytes, start, end)) {
    if (raw.id === 4) out.push(...nestedOuterModuleAliases(bytes, raw.start, raw.end, depth + 1));
    if (raw.id !== 6) continue;
    const r = new Reader(bytes, raw.start, raw.end);
    for (let n = r.u32(); n > 0; n--) {
      const sort = readSort(r);
      const t = r.byte();
      if (t === 0x00 || t === 0x01) {
        r.u32();
        r.name();
      } else if (t === 0x02) {
        const count = r.u32();
        const idx = r.u32();
        if (sort === SORT.coreModule && count === depth) out.push(`${count} ${idx}`);
      } else r.fail(`bad alias target 0x${t.toString(16)}`);
    }
  }
  return out;
}

export type { InstanceEntry, Scope, TypeEntry };
