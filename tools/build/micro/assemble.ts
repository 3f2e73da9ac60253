// Per-FDW assembly for the micro engine: put the guest's bytecode into the prebuilt engine
// component, without recompiling or relinking anything (so a build takes milliseconds here and
// the output is a pure function of the engine and the bytecode: byte-reproducible).
//
// The engine's core module (the component's core module section that holds the slot magic)
// gets one more ACTIVE data segment at the old end of its initial memory, the memory's initial
// size grows to cover it, and the glue's slot (a struct in .data that starts with SLOT_MAGIC,
// see engines/micro/c/glue.c) is patched with the segment's address and length and the arena
// size. Memory above the old end is only ever handed out by sbrk (memory.grow from the CURRENT
// size), so nothing else overlaps the bytecode. Then the component's section is replaced.
import { CORE_PREAMBLE, Reader, Writer, splitSections } from "../../component/binary.js";

/** 16 bytes the glue's slot starts with (engines/micro/c/glue.c, `tsfdw_slot`). */
export const SLOT_MAGIC = new TextEncoder().encode("tsfdw:bytecode:1");
const PAGE = 65536;

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0, to = hay.length): number {
  outer: for (let i = from; i + needle.length <= to; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function putU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}

export interface SlotValues {
  /** Bytes of the JS heap (arena) the glue allocates at start. */
  arenaBytes: number;
}

/** Returns the core module with the bytecode placed and the slot filled in. */
export function placeBytecode(core: Uint8Array, bytecode: Uint8Array, slot: SlotValues): Uint8Array {
  if (CORE_PREAMBLE.some((b, i) => core[i] !== b)) throw new Error("micro engine: not a core module");
  const sections = splitSections(core);
  const memory = sections.filter((s) => s.id === 5);
  const data = sections.filter((s) => s.id === 11);
  if (memory.length !== 1 || data.length !== 1) throw new Error("micro engine: the core module must define one memory and one data section");
  const mem = memory[0]!;
  const dat = data[0]!;

  // memory section: exactly one memory, flags 0 (min only) or 1 (min, max)
  const mr = new Reader(core, mem.start, mem.end);
  if (mr.u32() !== 1) throw new Error("micro engine: expected one memory");
  const flags = mr.byte();
  if (flags !== 0 && flags !== 1) throw new Error(`micro engine: unsupported memory limits flags 0x${flags.toString(16)}`);
  const minPages = mr.u32();
  const maxPages = flags === 1 ? mr.u32() : undefined;
  mr.expectEnd("memory section");

  const addr = minPages * PAGE;
  const newMin = minPages + Math.ceil(bytecode.length / PAGE);
  if (maxPages !== undefined && newMin > maxPages) throw new Error("micro engine: the bytecode does not fit under the memory's maximum");

  // data section: copy the segments, patch the slot, append the bytecode segment
  const dr = new Reader(core, dat.start, dat.end);
  const count = dr.u32();
  const segStart = dr.pos;
  const payload = core.slice(segStart, dat.end); // the segments, mutable copy
  const at = indexOf(payload, SLOT_MAGIC);
  if (at < 0 || indexOf(payload, SLOT_MAGIC, at + 1) >= 0) throw new Error("micro engine: the glue's bytecode slot was not found exactly once in the data section");
  if (indexOf(core, SLOT_MAGIC, 0, segStart) >= 0 || indexOf(core, SLOT_MAGIC, dat.end) >= 0) throw new Error("micro engine: slot magic found outside the data section");
  putU32(payload, at + 16, addr);
  putU32(payload, at + 20, bytecode.length);
  putU32(payload, at + 24, slot.arenaBytes);

  const seg = new Writer().byte(0x00).byte(0x41).s64(addr > 0x7fffffff ? addr - 0x100000000 : addr).byte(0x0b).u32(bytecode.length).bytes(bytecode).finish();
  const dataPayload = new Writer().u32(count + 1).bytes(payload).bytes(seg).finish();
  const memPayload = new Writer().u32(1).byte(flags).u32(newMin);
  if (maxPages !== undefined) memPayload.u32(maxPages);

  const out = new Writer().bytes(CORE_PREAMBLE);
  for (const s of sections) {
    if (s === mem) out.section(5, memPayload.finish());
    else if (s === dat) out.section(11, dataPayload);
    else if (s.id === 12) out.section(12, new Writer().u32(count + 1).finish()); // data count
    else out.section(s.id, core.subarray(s.start, s.end));
  }
  return out.finish();
}

/** Replaces the engine's core module inside the component (top-level core module sections only). */
export function withBytecode(component: Uint8Array, bytecode: Uint8Array, slot: SlotValues): Uint8Array {
  const sections = splitSections(component);
  const engines = sections.filter((s) => s.id === 1 && indexOf(component, SLOT_MAGIC, s.start, s.end) >= 0);
  if (engines.length !== 1) throw new Error(`micro engine: expected one core module with the bytecode slot in the component, found ${engines.length}`);
  const engine = engines[0]!;
  const out = new Writer().bytes(component.subarray(0, 8));
  for (const s of sections) {
    if (s === engine) out.section(1, placeBytecode(component.subarray(s.start, s.end), bytecode, slot));
    else out.section(s.id, component.subarray(s.start, s.end));
  }
  return out.finish();
}
