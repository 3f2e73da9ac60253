// What Supabase's host makes of a number inside a json cell, computed independently of our hosts.
// The host parses json cells with serde_json::from_str (default features: no float_roundtrip, no
// arbitrary_precision — checked with `cargo tree -e features` on supabase/wrappers for both the
// wasm_fdw and the all_fdws builds) and hands the re-serialised text to jsonb. So integers that fit
// u64 (or i64 when negative) stay exact, and every other number becomes the f64 that serde_json's
// best-effort parser computes: the first 19-20 significant digits as a u64 (later digits dropped),
// converted to f64, then multiplied or divided by a power of ten — two roundings, so the last digit
// of a 17-digit double can change. This mirrors serde_json 1.0.x `parse_integer`/`parse_decimal`/
// `parse_exponent`/`f64_from_parts` step by step; tests compare our hosts' jsonb output with it.

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN_ABS = 2n ** 63n;
const MAX_EXPONENT = 2 ** 31 - 1;

/** 1e0 … 1e308 as doubles (serde_json's POW10 table). */
const POW10: number[] = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

export type SerdeNumber = { ok: true; value: string } | { ok: false; error: "number out of range" };

function fromParts(negative: boolean, significand: bigint, exponent: number): SerdeNumber {
  let f = Number(significand); // u64 → f64, round to nearest even, as Rust's `as f64`
  let e = exponent;
  for (;;) {
    const pow = POW10[Math.abs(e)];
    if (pow !== undefined) {
      if (e >= 0) {
        f *= pow;
        if (!Number.isFinite(f)) return { ok: false, error: "number out of range" };
      } else {
        f /= pow;
      }
      break;
    }
    if (f === 0) break;
    if (e >= 0) return { ok: false, error: "number out of range" };
    f /= 1e308;
    e += 308;
  }
  const signed = negative ? -f : f;
  return { ok: true, value: Object.is(signed, -0) ? "-0.0" : String(signed) };
}

/**
 * The value serde_json (default features) gives a JSON number text, printed as decimal text
 * (integers exactly; doubles in JS's shortest form, the same digits ryu prints).
 */
export function serdeJsonNumber(text: string): SerdeNumber {
  const m = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?)(\d+))?$/.exec(text);
  if (m === null) throw new Error(`not a JSON number: ${text}`);
  const negative = m[1] === "-";
  const [intDigits, fracDigits, expSign, expDigits] = [m[2] ?? "", m[3], m[4], m[5]];
  let significand = 0n;
  let exponent = 0;
  let overflowed = false;
  for (const d of intDigits) {
    const next = significand * 10n + BigInt(d);
    if (overflowed || next > U64_MAX) {
      overflowed = true; // parse_long_integer: further integer digits only scale
      exponent += 1;
    } else significand = next;
  }
  const isFloat = fracDigits !== undefined || expDigits !== undefined;
  if (!isFloat) {
    if (!overflowed) {
      if (!negative) return { ok: true, value: significand.toString() };
      if (significand !== 0n && significand <= I64_MIN_ABS) return { ok: true, value: `-${significand}` };
      // -0 and integers below i64::MIN become f64
    }
    return fromParts(negative, significand, exponent);
  }
  for (const d of fracDigits ?? "") {
    // parse_decimal: each digit joins the u64 while it fits; the first that does not (and all
    // after it: parse_decimal_overflow) is dropped — also after integer digits were dropped.
    const next = significand * 10n + BigInt(d);
    if (next > U64_MAX) break;
    significand = next;
    exponent -= 1;
  }
  if (expDigits !== undefined) {
    let exp = 0;
    for (const d of expDigits) {
      exp = exp * 10 + Number(d);
      if (exp > MAX_EXPONENT) {
        // parse_exponent_overflow: 0 for a negative exponent (or a zero significand), else an error
        if (significand !== 0n && expSign !== "-") return { ok: false, error: "number out of range" };
        return { ok: true, value: negative ? "-0.0" : "0" };
      }
    }
    exponent = expSign === "-" ? Math.max(exponent - exp, -MAX_EXPONENT - 1) : Math.min(exponent + exp, MAX_EXPONENT);
  }
  return fromParts(negative, significand, exponent);
}
