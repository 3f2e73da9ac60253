// Seeded pseudo-random numbers so that a given seed always yields the same dataset
// (tests and benchmarks compare runs; Math.random would make them flaky).

/** mulberry32: tiny, fast, and good enough for fixture data (not for cryptography). */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Prng.pick: empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by relative weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error("Prng.weighted: empty list");
    return last[0];
  }

  /** Lowercase hex string of `length` characters (e.g. 40 for a git SHA). */
  hex(length: number): string {
    let out = "";
    while (out.length < length) {
      out += (Math.floor(this.next() * 0x100000000) >>> 0).toString(16).padStart(8, "0");
    }
    return out.slice(0, length);
  }
}
