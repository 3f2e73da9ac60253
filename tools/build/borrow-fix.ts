// Build stage "borrow-fix": make every export of a componentize-qjs component drop the borrowed
// handles it received BEFORE it returns, as the Component Model requires.
//
// The defect (toolchain-facts.md, "borrowed handles are dropped in post-return"): componentize-qjs
// queues one `[resource-drop]` per `borrow<…>` parameter and performs it when its call context is
// freed, inside `cabi_post_*`. wasmtime 36 (Supabase today) accepts that; wasmtime >= 38 and jco
// >= 1.32 reject it ("borrow handles still remain at the end of the call").
//
// The fix, at the component level, without touching the runtime's code. In the component that
// holds the glue (componentize-qjs output is `outer { js { glue { main, runtime, wit-dylib, … } } }`):
//
//   * a STATE core module, instantiated before the runtime's import instances, with the real
//     `canon resource.drop` functions of the borrowed resource types as imports. It exports
//     `[resource-drop]<res>` shims that replace the runtime's drop imports, and keeps one slot
//     (state, resource, handle) per borrow parameter of the call in progress:
//        arm<k>(res, h)  the export call received handle h of resource res        → PENDING
//        shim drop(h)    PENDING  → forward the drop (the guest dropped it itself) → GUEST_DROPPED
//                        EARLY    → skip: this is the queued post-return drop      → EMPTY
//                        no slot  → forward (an own handle or another resource)
//        release()       PENDING  → drop it now, before the export returns         → EARLY
//                        GUEST_DROPPED → EMPTY
//        reset()         all slots EMPTY
//   * an EXPORTS core module, instantiated after the runtime, whose functions wrap each export that
//     takes borrows: reset, arm each borrowed handle, call the original, release, return the
//     original results (a results pointer stays valid: post-return still frees it); and wrap its
//     post-return: call the original (its queued drops are skipped), then reset.
//   * the canon lifts of those exports are re-pointed to the wrappers (function and post-return),
//     and the runtime's `[resource-drop]` imports to the shims. Exports without borrow parameters
//     (host-version-requirement, the root `init`) are untouched.
//
// Anything that does not look exactly like componentize-qjs output is refused with a message that
// says what was expected and what was found; a component fixed before is recognised (by the
// `tsfdw-borrow-fix:` instantiation arguments) and returned unchanged.

import { WasmFormatError, binaryKind, splitSections, Writer } from "../component/binary.js";
import { Code, CoreModuleBuilder, OP, type CoreFuncType, exportedFuncType, formatCoreFuncType, sameCoreFuncType, summarizeCoreModule } from "../component/core-module.js";
import {
  type AliasDef,
  type CanonDef,
  type CoreInstanceDef,
  Entity,
  type Level,
  type Section,
  CANON,
  SORT,
  encodeLevel,
  insertBefore,
  locate,
  outerModuleAliases,
  parseLevel,
  sectionsOf,
} from "../component/model.js";
import { type BorrowParam, MAX_FLAT_PARAMS, liftSignature, resourceIdentity } from "../component/types.js";

export class BorrowFixError extends Error {}

export interface BorrowFixResult {
  component: Uint8Array;
  /** Core export names of the wrapped exports, e.g. `supabase:wrappers/routines@0.1.0#init`. */
  fixedExports: string[];
  /** True when the input had been fixed before (it is returned unchanged). */
  alreadyFixed: boolean;
}

/** Prefix of the instantiation arguments of the inserted modules (also the "already fixed" marker). */
export const MARKER = "tsfdw-borrow-fix:";
const ARG_DROPS = `${MARKER}drops`;
const ARG_STATE = `${MARKER}state`;
const ARG_ORIG = "orig";

const ST = { empty: 0, pending: 1, guestDropped: 2, early: 3 } as const;
const POST_RETURN = 0x05;

function refuse(msg: string): never {
  throw new BorrowFixError(`borrow fix: ${msg}`);
}

// ------------------------------------------------------------------ reading the component tree

interface Node {
  level: Level;
  /** e.g. "component[0]/component[0]" (empty for the top level). */
  path: string;
  /** Byte range of this level in its parent's payload chain (for splicing back). */
  bytes: Uint8Array;
  start: number;
  end: number;
  parent?: { node: Node; section: number };
}

function readTree(bytes: Uint8Array): Node[] {
  const nodes: Node[] = [];
  const visit = (start: number, end: number, path: string, parent: Node["parent"], depth: number): void => {
    if (depth > 16) refuse("components nested more than 16 deep");
    const level = parseLevel(bytes, start, end, parent?.node.level.scope, path || "root");
    const node: Node = { level, path, bytes, start, end, ...(parent !== undefined ? { parent } : {}) };
    nodes.push(node);
    level.components.forEach((si, n) => {
      const s = level.sections[si] as Extract<Section, { kind: "raw" }>;
      const off = s.payload.byteOffset - bytes.byteOffset;
      visit(off, off + s.payload.length, `${path ? `${path}/` : ""}component[${n}]`, { node, section: si }, depth + 1);
    });
  };
  visit(0, bytes.length, "", undefined, 0);
  return nodes;
}

const where = (n: Node): string => (n.path === "" ? "the top-level component" : `nested ${n.path}`);

/** A canon lift of a core export `name` of instance `instance` with post-return `cabi_post_<name>`. */
interface GlueLift {
  canon: CanonDef;
  name: string;
  instance: Entity;
  postReturn: Entity;
}

function coreExportAlias(e: Entity | undefined): { instance: Entity; name: string } | undefined {
  const t = e?.alias?.target;
  return t !== undefined && t.k === "core-export" && e?.alias?.sort === SORT.coreFunc ? { instance: t.instance, name: t.name } : undefined;
}

function glueLifts(level: Level): GlueLift[] {
  const out: GlueLift[] = [];
  for (const s of sectionsOf(level, "canon")) {
    for (const c of s.entries) {
      if (c.op !== CANON.lift || c.coreFunc === undefined) continue;
      const f = coreExportAlias(c.coreFunc);
      const pr = c.opts.find((o) => o.code === POST_RETURN)?.ref;
      const p = pr instanceof Entity ? coreExportAlias(pr) : undefined;
      if (f === undefined || p === undefined || !(pr instanceof Entity)) continue;
      if (p.instance !== f.instance || p.name !== `cabi_post_${f.name}`) continue;
      out.push({ canon: c, name: f.name, instance: f.instance, postReturn: pr });
    }
  }
  return out;
}

const isMarked = (inst: CoreInstanceDef | undefined): boolean => inst?.k === "instantiate" && inst.args.some((a) => a.name.startsWith(MARKER));

interface Candidate {
  node: Node;
  lifts: (GlueLift & { borrows: BorrowParam[]; core: CoreFuncType; flatParams: number; nested: string[] })[];
  fixed: GlueLift[];
}

function findGlue(nodes: Node[]): Candidate {
  const candidates: Candidate[] = [];
  const seen: string[] = [];
  for (const node of nodes) {
    const lifts = glueLifts(node.level);
    seen.push(`${where(node)}: ${lifts.length} lift(s) of core exports with cabi_post_ post-return`);
    const fixed = lifts.filter((l) => isMarked(l.instance.instance));
    const withBorrows: Candidate["lifts"] = [];
    for (const l of lifts) {
      let sig: ReturnType<typeof liftSignature>;
      try {
        sig = liftSignature(node.level.scope, l.canon.type as number);
      } catch (e) {
        refuse(`cannot read the type of export ${l.name} in ${where(node)}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (sig.borrows.length > 0 || sig.nestedBorrows.length > 0) withBorrows.push({ ...l, borrows: sig.borrows, core: sig.core, flatParams: sig.flatParams.length, nested: sig.nestedBorrows });
    }
    if (withBorrows.length > 0 || fixed.length > 0) candidates.push({ node, lifts: withBorrows, fixed });
  }
  if (candidates.length === 0) {
    refuse(
      "no componentize-qjs export glue found: expected a (nested) component that lifts core exports `<name>` with post-return `cabi_post_<name>` " +
        `and borrow<…> parameters (the FDW routines); found ${seen.join("; ")}`,
    );
  }
  if (candidates.length > 1) refuse(`expected exactly one component with borrow-taking exports, found ${candidates.length}: ${candidates.map((c) => where(c.node)).join(", ")}`);
  return candidates[0] as Candidate;
}

// ------------------------------------------------------------------ checking the glue's shape

interface ResourcePlan {
  /** Resource identity (types.ts). */
  id: string;
  /** Short name from the runtime's import, e.g. `context`. */
  name: string;
  /** The real `canon resource.drop` used by the shim. */
  realDrop: Entity;
  /** Every `canon resource.drop` of this resource (all are re-pointed where the runtime imports them). */
  drops: Set<Entity>;
}

interface Plan {
  target: Node;
  runtime: Entity;
  lifts: Candidate["lifts"];
  resources: ResourcePlan[];
  /** Inline core instances whose `[resource-drop]` exports get the shims. */
  importInstances: Extract<CoreInstanceDef, { k: "exports" }>[];
  slots: number;
  postTypes: Map<string, CoreFuncType>;
}

function plan(c: Candidate): Plan {
  const { node, lifts } = c;
  const level = node.level;
  const at = where(node);
  for (const l of lifts) {
    if (l.nested.length > 0) refuse(`export ${l.name} in ${at} has borrow handles nested inside parameter(s) ${l.nested.join(", ")}; only top-level borrow<…> parameters are supported`);
    if (l.flatParams > MAX_FLAT_PARAMS) refuse(`export ${l.name} in ${at} passes its ${l.flatParams} flat parameters through memory (more than ${MAX_FLAT_PARAMS}); not supported`);
    if (l.canon.opts.some((o) => o.code === 0x06 || o.code === 0x07)) refuse(`export ${l.name} in ${at} is lifted async; build with --sync`);
  }
  const runtimes = new Set(lifts.map((l) => l.instance));
  if (runtimes.size !== 1) refuse(`expected every borrow-taking export in ${at} to come from one core instance (the componentize-qjs wit-dylib), found ${runtimes.size}`);
  const runtime = lifts[0]?.instance as Entity;
  const rdef = runtime.instance;
  if (rdef?.k !== "instantiate") refuse(`the core instance exporting ${lifts[0]?.name} in ${at} is not an instantiation of a core module`);
  const modBytes = rdef.module.moduleBytes;
  if (modBytes === undefined) refuse(`the core module behind ${lifts[0]?.name} in ${at} is imported or aliased, not defined in the component`);
  const mod = summarizeCoreModule(modBytes, 0, modBytes.length);
  if (!mod.customSections.includes("dylink.0")) {
    refuse(`the core module exporting ${lifts[0]?.name} in ${at} has no dylink.0 section; expected componentize-qjs's wit-dylib shared library (custom sections found: ${mod.customSections.join(", ") || "none"})`);
  }
  const rootInit = sectionsOf(level, "export").some((s) => s.entries.some((e) => e.text === "init" && e.ref.sort === SORT.func));
  if (!rootInit) refuse(`${at} does not export the root \`init\` function componentize-qjs adds (its snapshot hook); not componentize-qjs output`);
  const outer = outerModuleAliases(node.bytes, node.start, node.end);
  if (outer.length > 0) refuse(`nested components of ${at} alias its core modules (outer ${outer.join(", ")}); inserting modules would shift them`);

  // The core signatures must be exactly what the canonical ABI says for the lifted types.
  const postTypes = new Map<string, CoreFuncType>();
  for (const l of lifts) {
    const actual = exportedFuncType(mod, l.name);
    if (actual === undefined || !sameCoreFuncType(actual, l.core)) {
      refuse(`export ${l.name} in ${at}: expected core type ${formatCoreFuncType(l.core)} from its component type, found ${actual === undefined ? "no such function export" : formatCoreFuncType(actual)}`);
    }
    const post: CoreFuncType = { params: [...l.core.results], results: [] };
    const actualPost = exportedFuncType(mod, `cabi_post_${l.name}`);
    if (actualPost === undefined || !sameCoreFuncType(actualPost, post)) {
      refuse(`post-return cabi_post_${l.name} in ${at}: expected core type ${formatCoreFuncType(post)}, found ${actualPost === undefined ? "no such function export" : formatCoreFuncType(actualPost)}`);
    }
    postTypes.set(l.name, post);
  }

  // Every borrowed resource type must reach the runtime as a `[resource-drop]<name>` import.
  const dropsById = new Map<string, Set<Entity>>();
  for (const f of level.coreFuncs) {
    if (f.canon?.op !== CANON.resourceDrop) continue;
    let id: string;
    try {
      id = resourceIdentity(level.scope, f.canon.type as number);
    } catch {
      continue;
    }
    let set = dropsById.get(id);
    if (set === undefined) dropsById.set(id, (set = new Set()));
    set.add(f);
  }
  const importInstances = new Set<Extract<CoreInstanceDef, { k: "exports" }>>();
  const resources: ResourcePlan[] = [];
  const ids = [...new Set(lifts.flatMap((l) => l.borrows.map((b) => b.resource)))];
  for (const id of ids) {
    const drops = dropsById.get(id) ?? new Set<Entity>();
    let name: string | undefined;
    let realDrop: Entity | undefined;
    for (const arg of rdef.args) {
      const inst = arg.instance.instance;
      if (inst?.k !== "exports") continue;
      for (const x of inst.exports) {
        if (x.sort !== SORT.coreFunc || !(x.ref instanceof Entity) || !drops.has(x.ref)) continue;
        const m = /^\[resource-drop\](.+)$/.exec(x.name);
        if (m === null) refuse(`${at}: the drop function of ${id} reaches the runtime as "${x.name}", expected "[resource-drop]<name>"`);
        name = m[1] as string;
        realDrop = x.ref;
        importInstances.add(inst);
      }
    }
    if (name === undefined || realDrop === undefined) {
      refuse(`${at}: borrowed resource ${id} has no [resource-drop] import into the runtime instance (found ${drops.size} canon resource.drop of it); not the componentize-qjs glue shape`);
    }
    resources.push({ id, name, realDrop, drops });
  }
  // The drops may only be referenced by inline core instances (which are re-pointed), nowhere else.
  const allDrops = new Set(resources.flatMap((r) => [...r.drops]));
  for (const s of sectionsOf(level, "canon")) {
    for (const c of s.entries) if (c.opts.some((o) => o.ref instanceof Entity && allDrops.has(o.ref))) refuse(`${at}: a canonical option refers to a resource.drop function`);
  }
  for (const s of sectionsOf(level, "core-instance")) {
    for (const inst of s.entries) {
      if (inst.k === "exports" && inst.exports.some((x) => x.ref instanceof Entity && allDrops.has(x.ref))) importInstances.add(inst);
    }
  }
  const slots = Math.max(...lifts.map((l) => l.borrows.length));
  return { target: node, runtime, lifts, resources, importInstances: [...importInstances], slots, postTypes };
}

// ------------------------------------------------------------------ the inserted core modules

const DROP: CoreFuncType = { params: ["i32"], results: [] };
const ARM: CoreFuncType = { params: ["i32", "i32"], results: [] };
const VOID: CoreFuncType = { params: [], results: [] };

/** The STATE module: drop shims, arm/release/reset over `slots` slots. */
export function stateModule(resourceNames: readonly string[], slots: number): Uint8Array {
  const m = new CoreModuleBuilder();
  const real = resourceNames.map((n) => m.importFunc(ARG_DROPS, n, DROP));
  const g = Array.from({ length: slots }, () => ({ st: m.global(), ty: m.global(), h: m.global() }));
  real.forEach((realFn, r) => {
    const c = new Code();
    for (const s of g) {
      c.globalGet(s.st).i32(ST.empty).op(OP.i32Ne);
      c.globalGet(s.ty).i32(r).op(OP.i32Eq).op(OP.i32And);
      c.globalGet(s.h).localGet(0).op(OP.i32Eq).op(OP.i32And);
      c.if((t) => {
        t.globalGet(s.st).i32(ST.pending).op(OP.i32Eq);
        t.if((p) => p.i32(ST.guestDropped).globalSet(s.st).localGet(0).call(realFn).op(OP.return));
        t.globalGet(s.st).i32(ST.early).op(OP.i32Eq);
        t.if((p) => p.i32(ST.empty).globalSet(s.st).op(OP.return));
      });
    }
    c.localGet(0).call(realFn);
    m.func(DROP, c, `[resource-drop]${resourceNames[r]}`);
  });
  g.forEach((s, k) => {
    m.func(ARM, new Code().i32(ST.pending).globalSet(s.st).localGet(0).globalSet(s.ty).localGet(1).globalSet(s.h), `arm${k}`);
  });
  const release = new Code();
  for (const s of g) {
    release.globalGet(s.st).i32(ST.pending).op(OP.i32Eq);
    release.if(
      (t) => {
        // Dispatch on the slot's resource: if ty == 0 drop0 else if ty == 1 drop1 … else unreachable.
        const chain = (c: Code, r: number): void => {
          if (r >= real.length) {
            c.op(OP.unreachable);
            return;
          }
          c.globalGet(s.ty).i32(r).op(OP.i32Eq);
          c.if(
            (x) => x.globalGet(s.h).call(real[r] as number),
            (x) => chain(x, r + 1),
          );
        };
        chain(t, 0);
        t.i32(ST.early).globalSet(s.st);
      },
      (e) => {
        e.globalGet(s.st).i32(ST.guestDropped).op(OP.i32Eq);
        e.if((x) => x.i32(ST.empty).globalSet(s.st));
      },
    );
  }
  m.func(VOID, release, "release");
  const reset = new Code();
  for (const s of g) reset.i32(ST.empty).globalSet(s.st);
  m.func(VOID, reset, "reset");
  return m.encode();
}

export interface WrappedExport {
  name: string;
  core: CoreFuncType;
  post: CoreFuncType;
  /** Flat parameter index and resource number (index into the state module's resources) per borrow. */
  borrows: { flatIndex: number; resource: number }[];
}

/** The EXPORTS module: one wrapper and one post-return wrapper per export. */
export function exportsModule(exports: readonly WrappedExport[], slots: number): Uint8Array {
  const m = new CoreModuleBuilder();
  const reset = m.importFunc(ARG_STATE, "reset", VOID);
  const release = m.importFunc(ARG_STATE, "release", VOID);
  const arm = Array.from({ length: slots }, (_, k) => m.importFunc(ARG_STATE, `arm${k}`, ARM));
  const orig = exports.map((e) => ({ f: m.importFunc(ARG_ORIG, e.name, e.core), post: m.importFunc(ARG_ORIG, `cabi_post_${e.name}`, e.post) }));
  exports.forEach((e, i) => {
    const o = orig[i] as { f: number; post: number };
    const c = new Code().call(reset);
    e.borrows.forEach((b, k) => c.i32(b.resource).localGet(b.flatIndex).call(arm[k] as number));
    e.core.params.forEach((_, p) => c.localGet(p));
    c.call(o.f).call(release);
    m.func(e.core, c, e.name);
    const pc = new Code();
    e.post.params.forEach((_, p) => pc.localGet(p));
    pc.call(o.post).call(reset);
    m.func(e.post, pc, `cabi_post_${e.name}`);
  });
  return m.encode();
}

// ------------------------------------------------------------------ rewriting

function apply(p: Plan): string[] {
  const level = p.target.level;
  const resIndex = new Map(p.resources.map((r, i) => [r.id, i]));
  const wrapped: WrappedExport[] = p.lifts.map((l) => ({
    name: l.name,
    core: l.core,
    post: p.postTypes.get(l.name) as CoreFuncType,
    borrows: l.borrows.map((b) => ({ flatIndex: b.flatIndex, resource: resIndex.get(b.resource) as number })),
  }));

  // New definitions.
  const stateMod = new Entity("core-module");
  stateMod.moduleBytes = stateModule(
    p.resources.map((r) => r.name),
    p.slots,
  );
  const exportsMod = new Entity("core-module");
  exportsMod.moduleBytes = exportsModule(wrapped, p.slots);
  const dropsInst: CoreInstanceDef = { k: "exports", exports: p.resources.map((r) => ({ name: r.name, sort: SORT.coreFunc, ref: r.realDrop })), self: new Entity("core-instance") };
  const stateInst: CoreInstanceDef = { k: "instantiate", module: stateMod, args: [{ name: ARG_DROPS, instance: dropsInst.self }], self: new Entity("core-instance") };
  const shimAliases: AliasDef[] = p.resources.map((r) => ({ sort: SORT.coreFunc, target: { k: "core-export", instance: stateInst.self, name: `[resource-drop]${r.name}` }, self: new Entity("core-func") }));
  const exportsInst: CoreInstanceDef = {
    k: "instantiate",
    module: exportsMod,
    args: [
      { name: ARG_ORIG, instance: p.runtime },
      { name: ARG_STATE, instance: stateInst.self },
    ],
    self: new Entity("core-instance"),
  };
  const wrapperAliases = wrapped.flatMap((w): AliasDef[] => [
    { sort: SORT.coreFunc, target: { k: "core-export", instance: exportsInst.self, name: w.name }, self: new Entity("core-func") },
    { sort: SORT.coreFunc, target: { k: "core-export", instance: exportsInst.self, name: `cabi_post_${w.name}` }, self: new Entity("core-func") },
  ]);

  // 1. Before the first instance handing drops to the runtime: the state module and its shims.
  const importSet = new Set<CoreInstanceDef>(p.importInstances);
  const at1 = locate(level, (s, e) => s.kind === "core-instance" && importSet.has(e as CoreInstanceDef));
  if (at1 === undefined) refuse("internal error: runtime import instance not found");
  insertBefore(level, at1, [
    { kind: "raw", id: 1, payload: stateMod.moduleBytes, defines: [stateMod] },
    { kind: "raw", id: 1, payload: exportsMod.moduleBytes, defines: [exportsMod] },
    { kind: "core-instance", entries: [dropsInst, stateInst] },
    { kind: "alias", entries: shimAliases },
  ]);
  // 2. The runtime's [resource-drop] imports → the shims.
  const shimOf = new Map<Entity, Entity>();
  p.resources.forEach((r, i) => r.drops.forEach((d) => shimOf.set(d, shimAliases[i]?.self as Entity)));
  for (const inst of p.importInstances) {
    for (const x of inst.exports) if (x.ref instanceof Entity && shimOf.has(x.ref)) x.ref = shimOf.get(x.ref) as Entity;
  }
  // 3. Before the first wrapped lift: the exports module and its functions.
  const liftSet = new Set<CanonDef>(p.lifts.map((l) => l.canon));
  const at2 = locate(level, (s, e) => s.kind === "canon" && liftSet.has(e as CanonDef));
  if (at2 === undefined) refuse("internal error: lift not found");
  insertBefore(level, at2, [
    { kind: "core-instance", entries: [exportsInst] },
    { kind: "alias", entries: wrapperAliases },
  ]);
  // 4. The lifts → the wrappers.
  p.lifts.forEach((l, i) => {
    l.canon.coreFunc = wrapperAliases[2 * i]?.self as Entity;
    const opt = l.canon.opts.find((o) => o.code === POST_RETURN);
    if (opt === undefined) refuse("internal error: post-return option vanished");
    opt.ref = wrapperAliases[2 * i + 1]?.self as Entity;
  });
  // 5. Names (debugging aid in engine backtraces); a name section this model could not parse is dropped.
  level.sections = level.sections.filter((s) => !(s.kind === "raw" && s.customName === "component-name"));
  for (const s of sectionsOf(level, "names")) {
    for (const sub of s.subsections) {
      if (sub.k !== "sort") continue;
      if (sub.sort === SORT.coreModule) sub.names.push({ ref: stateMod, name: "tsfdw-borrow-fix-state" }, { ref: exportsMod, name: "tsfdw-borrow-fix-exports" });
      if (sub.sort === SORT.coreInstance) {
        sub.names.push({ ref: dropsInst.self, name: "tsfdw-borrow-fix-drops" }, { ref: stateInst.self, name: "tsfdw-borrow-fix-state" }, { ref: exportsInst.self, name: "tsfdw-borrow-fix-exports" });
      }
      if (sub.sort === SORT.coreFunc) {
        p.resources.forEach((r, i) => sub.names.push({ ref: shimAliases[i]?.self as Entity, name: `tsfdw-borrow-fix [resource-drop]${r.name}` }));
        wrapped.forEach((w, i) => {
          sub.names.push({ ref: wrapperAliases[2 * i]?.self as Entity, name: `tsfdw-borrow-fix ${w.name}` }, { ref: wrapperAliases[2 * i + 1]?.self as Entity, name: `tsfdw-borrow-fix cabi_post_${w.name}` });
        });
      }
    }
  }
  return wrapped.map((w) => w.name);
}

/** Re-encodes the target level and splices it into its ancestors (their other bytes unchanged). */
function rebuild(target: Node): Uint8Array {
  let bytes = encodeLevel(target.level);
  let node = target;
  while (node.parent !== undefined) {
    const { node: parent, section } = node.parent;
    const payloadStart = (parent.level.sections[section] as Extract<Section, { kind: "raw" }>).payload.byteOffset - parent.bytes.byteOffset;
    // Replace the whole nested component section (header and payload) in the parent's bytes.
    let headerStart = parent.start + 8;
    let payloadEnd = -1;
    for (const s of splitSections(parent.bytes, parent.start, parent.end)) {
      if (s.start === payloadStart) {
        payloadEnd = s.end;
        break;
      }
      headerStart = s.end;
    }
    if (payloadEnd < 0) refuse("internal error: nested component section not found");
    bytes = new Writer()
      .bytes(parent.bytes.subarray(parent.start, headerStart))
      .section(4, bytes)
      .bytes(parent.bytes.subarray(payloadEnd, parent.end))
      .finish();
    node = parent;
  }
  return bytes;
}

// ------------------------------------------------------------------ inspection (tests, diagnostics)

export interface GlueExport {
  /** Core export name, e.g. `supabase:wrappers/routines@0.2.0#update`. */
  name: string;
  /** The lifted core signature. */
  core: CoreFuncType;
  /** Top-level borrow parameters: flat core parameter index and resource identity. */
  borrows: { flatIndex: number; resource: string }[];
  /** Whether the lift goes through the inserted wrappers. */
  wrapped: boolean;
}

export interface GlueDescription {
  /** Where the glue component sits, e.g. `component[0]/component[0]`. */
  path: string;
  fixed: boolean;
  /** Every export lifted from `<name>` with post-return `cabi_post_<name>` (with or without borrows). */
  exports: GlueExport[];
  /** The runtime's `[resource-drop]<name>` imports and whether they go through the inserted shims. */
  dropImports: { name: string; shimmed: boolean }[];
  /** The inserted core modules, when fixed. */
  stateModule?: Uint8Array;
  exportsModule?: Uint8Array;
}

/** Describes the componentize-qjs glue of a component (fixed or not); throws like fixBorrowDrops. */
export function describeGlue(component: Uint8Array): GlueDescription {
  const kind = binaryKind(component);
  if (kind !== "component") refuse(`expected a WebAssembly component, found ${kind}`);
  let nodes: Node[];
  try {
    nodes = readTree(component);
  } catch (e) {
    if (e instanceof WasmFormatError) refuse(`cannot read the component: ${e.message}`);
    throw e;
  }
  const c = findGlue(nodes);
  const level = c.node.level;
  const exports: GlueExport[] = glueLifts(level).map((l) => {
    const sig = liftSignature(level.scope, l.canon.type as number);
    return { name: l.name, core: sig.core, borrows: sig.borrows.map((b) => ({ flatIndex: b.flatIndex, resource: b.resource })), wrapped: isMarked(l.instance.instance) };
  });
  const wrapper = c.fixed[0]?.instance.instance;
  const runtime = wrapper?.k === "instantiate" ? wrapper.args.find((a) => a.name === ARG_ORIG)?.instance : c.lifts[0]?.instance;
  const state = wrapper?.k === "instantiate" ? wrapper.args.find((a) => a.name === ARG_STATE)?.instance.instance : undefined;
  const dropImports: GlueDescription["dropImports"] = [];
  const rdef = runtime?.instance;
  if (rdef?.k === "instantiate") {
    for (const arg of rdef.args) {
      const inst = arg.instance.instance;
      if (inst?.k !== "exports") continue;
      for (const x of inst.exports) {
        const m = /^\[resource-drop\](.+)$/.exec(x.name);
        if (m === null || !(x.ref instanceof Entity)) continue;
        const src = coreExportAlias(x.ref)?.instance.instance;
        dropImports.push({ name: m[1] as string, shimmed: src !== undefined && src === state });
      }
    }
  }
  const out: GlueDescription = { path: c.node.path, fixed: c.fixed.length > 0, exports, dropImports };
  if (state?.k === "instantiate" && state.module.moduleBytes !== undefined) out.stateModule = state.module.moduleBytes;
  if (wrapper?.k === "instantiate" && wrapper.module.moduleBytes !== undefined) out.exportsModule = wrapper.module.moduleBytes;
  return out;
}

// ------------------------------------------------------------------ entry point

/**
 * Rewrites a componentize-qjs component so that every export drops its borrowed handles before it
 * returns (and its post-return no longer does). Idempotent: a fixed component comes back unchanged
 * with `alreadyFixed: true`. Throws BorrowFixError for anything it does not recognise.
 */
export function fixBorrowDrops(component: Uint8Array): BorrowFixResult {
  const kind = binaryKind(component);
  if (kind === "not-wasm") refuse(`expected a WebAssembly component, found ${component.length < 8 ? `${component.length} bytes` : "no \\0asm magic"}`);
  if (kind === "core-module") refuse("expected a WebAssembly component, found a core WebAssembly module");
  if (kind === "unknown-layer") refuse("expected a WebAssembly component (layer 1), found an unknown WebAssembly layer/version");
  let nodes: Node[];
  try {
    nodes = readTree(component);
  } catch (e) {
    if (e instanceof BorrowFixError) throw e;
    if (e instanceof WasmFormatError) refuse(`cannot read the component: ${e.message}`);
    throw e;
  }
  const candidate = findGlue(nodes);
  if (candidate.fixed.length > 0) {
    const unfixed = candidate.lifts.filter((l) => !isMarked(l.instance.instance)).map((l) => l.name);
    if (unfixed.length > 0) refuse(`partially fixed component: ${unfixed.join(", ")} still lifted without the borrow-fix wrappers`);
    return { component, fixedExports: candidate.fixed.map((l) => l.name), alreadyFixed: true };
  }
  const p = plan(candidate);
  const fixedExports = apply(p);
  const out = rebuild(p.target);
  // Self-check: the result must read back, with every borrow-taking export now wrapped.
  const again = findGlue(readTree(out));
  if (again.fixed.length !== fixedExports.length || again.lifts.some((l) => !isMarked(l.instance.instance))) refuse("internal error: the rewritten component does not read back as fixed");
  return { component: out, fixedExports, alreadyFixed: false };
}
