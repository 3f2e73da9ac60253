// Byte-level reading and writing for the WebAssembly binary formats (core and component):
// LEB128 integers, names, vectors and size-prefixed sections. Shared by the component rewriter
// (tools/component/model.ts) and the core-module encoder (tools/component/core-module.ts).

export class WasmFormatError extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

export class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    /** Added to positions in error messages (the reader's slice may start inside a larger file). */
    readonly base = 0,
  ) {
    this.pos = start;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  fail(msg: string): never {
    throw new WasmFormatError(`${msg} at byte offset ${this.base + this.pos}`);
  }
  byte(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos++] as number;
  }
  peek(): number {
    if (this.pos >= this.end) this.fail("unexpected end of data");
    return this.bytes[this.pos] as number;
  }
  /** Unsigned LEB128, up to 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 0x0f) this.fail("u32 LEB128 too large");
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  /** Signed LEB128 of up to 33 bits (component `valtype`s, core block types), as a JS number. */
  s33(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      if (shift >= 35) this.fail("s33 LEB128 too large");
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while ((b & 0x80) !== 0);
    if ((b & 0x40) !== 0) result -= 2 ** shift;
    return result;
  }
  /** Any LEB128 integer, skipped (e.g. the i64 of an `i64.const`). */
  skipLeb(): void {
    while ((this.byte() & 0x80) !== 0) {
      // continuation bytes
    }
  }
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`length ${n} runs past the end`);
    this.pos += n;
  }
  take(n: number): Uint8Array {
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, start + n);
  }
  name(): string {
    const len = this.u32();
    const start = this.pos;
    this.skip(len);
    try {
      return utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      return this.fail("name is not valid UTF-8");
    }
  }
  /** A sub-reader over the next `n` bytes; this reader moves past them. */
  sub(n: number): Reader {
    const start = this.pos;
    this.skip(n);
    return new Reader(this.bytes, start, start + n, this.base);
  }
  /** Fails unless the reader consumed exactly its range. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) this.fail(`${what} has ${this.end - this.pos} unparsed bytes`);
  }
}

/** A growable byte buffer with the encoders the binary formats need. */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }
  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }
  bytes(bs: ArrayLike<number>): this {
    this.reserve(bs.length);
    this.buf.set(bs, this.len);
    this.len += bs.length;
    return this;
  }
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`u32 out of range: ${v}`);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }
  /** Signed LEB128 (i32/i64 constants, s33 types) for values within ±2^53. */
  s64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`signed LEB128 out of range: ${v}`);
    for (;;) {
      const b = ((v % 128) + 128) % 128;
      v = Math.floor(v / 128);
      const signBit = (b & 0x40) !== 0;
      if ((v === 0 && !signBit) || (v === -1 && signBit)) {
        this.byte(b);
        return this;
      }
      this.byte(b | 0x80);
    }
  }
  name(s: string): this {
    const b = utf8Encoder.encode(s);
    return this.u32(b.length).bytes(b);
  }
  /** A length-prefixed vector, items written by `f`. */
  vec<T>(items: readonly T[], f: (item: T, w: this) => void): this {
    this.u32(items.length);
    for (const item of items) f(item, this);
    return this;
  }
  /** `id size payload`, as every section (and name subsection) is framed. */
  section(id: number, payload: Uint8Array): this {
    return this.byte(id).u32(payload.length).bytes(payload);
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d] as const;
/** Preamble of a component (`\0asm`, version 0x0d, layer 1). */
export const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00] as const;
/** Preamble of a core module (`\0asm`, version 1, layer 0). */
export const CORE_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;

export type BinaryKind = "component" | "core-module" | "not-wasm" | "unknown-layer";

export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || WASM_MAGIC.some((b, i) => bytes[i] !== b)) return "not-wasm";
  if (bytes[6] === 0x01 && bytes[7] === 0x00) return "component";
  if (bytes[6] === 0x00 && bytes[7] === 0x00) return "core-module";
  return "unknown-layer";
}

export interface RawSection {
  id: number;
  /** Payload start and end, absolute in `bytes`. */
  start: number;
  end: number;
}

/** Splits a module or component into its sections (payload ranges), checking every size. */
export function splitSections(bytes: Uint8Array, start = 0, end = bytes.length): RawSection[] {
  const r = new Reader(bytes, start + 8, end);
  const out: RawSection[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    if (r.pos + size > end) r.fail(`section ${id} of ${size} bytes runs past the end`);
    out.push({ id, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  return out;
}
