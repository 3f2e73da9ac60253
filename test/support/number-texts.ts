// JSON number texts for the exact-values tests (issue 8 "Exact values"): ≥ 10,000 of them, from a
// fixed seed — random-bit doubles (shortest form), subnormals, 17-significant-digit forms (not the
// shortest), integers beyond 2^53 and 2^64, and non-canonical texts an API may send (1.10, 1E+2,
// -0.0, …). Each comes with its category, so that failures say which kind of number changed.

export interface NumberText {
  text: string;
  kind: "double" | "subnormal" | "digits17" | "big-integer" | "huge-integer" | "non-canonical";
}

/** xorshift64*, deterministic. */
function rng(seed: bigint): () => bigint {
  let x = seed;
  return () => {
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffffffffffffffffn;
    x ^= x >> 27n;
    return (x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
}

const NON_CANONICAL = [
  "1.10", "1E+2", "1e2", "-0.0", "-0", "1.0", "0.50", "100.000", "1E-7", "1e-07", "2.5E+10", "0.0", "-1.50", "10E0",
  "1.000000000000000000001", "0.1000000000000000055511151231257827", "3.14159265358979323846264338327950288",
  "90.28571428571429", "1.7976931348623157e308", "5e-324", "2.2250738585072014E-308", "123456789.000", "1e+16", "1E16",
];

export function numberTexts(count = 10_000, seed = 0x9e3779b97f4a7c15n): NumberText[] {
  const next = rng(seed);
  const buf = new DataView(new ArrayBuffer(8));
  const out: NumberText[] = NON_CANONICAL.map((text) => ({ text, kind: "non-canonical" as const }));
  while (out.length < count) {
    const r = next();
    const k = out.length % 5;
    if (k === 0 || k === 1) {
      buf.setBigUint64(0, r);
      const d = buf.getFloat64(0);
      if (Number.isFinite(d)) out.push({ text: String(d), kind: "double" });
    } else if (k === 2) {
      buf.setBigUint64(0, r & 0x800fffffffffffffn); // exponent 0: subnormal (or ±0)
      const d = buf.getFloat64(0);
      if (d !== 0) out.push({ text: String(d), kind: "subnormal" });
    } else if (k === 3) {
      buf.setBigUint64(0, r);
      const d = buf.getFloat64(0);
      if (Number.isFinite(d) && d !== 0) out.push({ text: d.toPrecision(17).replace(/e\+/, "e"), kind: "digits17" });
    } else {
      const neg = (r & 1n) === 1n ? "-" : "";
      // beyond 2^53, mostly within 64 bits, every 4th beyond 2^64
      const big = (r >> 1n) % 2n === 0n ? (r % (2n ** 63n - 2n ** 53n)) + 2n ** 53n + 1n : r * 1_000_003n + 2n ** 64n;
      out.push({ text: `${neg}${big}`, kind: big < 2n ** 63n ? "big-integer" : "huge-integer" });
    }
  }
  return out;
}
