//! Postgres `numeric` values as the runner needs them: exact decimal text (what `numeric_in` /
//! `numeric_out` make of a literal, also the form jsonb prints numbers in), exact comparison with
//! integers and with each other, rounding to integers, and conversion to f64 (the guest's
//! `numeric` cell).

use std::cmp::Ordering;

/// A numeric value. `Fin` holds the digits without sign: `int` has no leading zeros (`"0"` when
/// the integer part is zero) and `frac` exactly the display scale's digits (trailing zeros kept,
/// as Postgres keeps them: `1.50` stays `1.50`).
#[derive(Debug, Clone, PartialEq)]
pub enum Dec {
    NaN,
    Inf { neg: bool },
    Fin { neg: bool, int: String, frac: String },
}

/// Largest decimal exponent `numeric_in` accepts (NUMERIC_MAX_PRECISION).
const MAX_EXPONENT: i64 = 1000;

impl Dec {
    /// `numeric_in`: surrounding whitespace, sign, digits with an optional point, an optional
    /// exponent; `NaN`, `Infinity`/`inf` (any case). `None` = invalid input syntax.
    pub fn parse(s: &str) -> Option<Dec> {
        let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
        match t.to_ascii_lowercase().as_str() {
            "nan" => return Some(Dec::NaN),
            "infinity" | "+infinity" | "inf" | "+inf" => return Some(Dec::Inf { neg: false }),
            "-infinity" | "-inf" => return Some(Dec::Inf { neg: true }),
            _ => {}
        }
        let (neg, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exp) = match body.find(['e', 'E']) {
            Some(p) => {
                let e = &body[p + 1..];
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 9 {
                    return None;
                }
                (&body[..p], e.parse::<i64>().ok()?)
            }
            None => (body, 0),
        };
        if !(-MAX_EXPONENT..=MAX_EXPONENT).contains(&exp) {
            return None;
        }
        let (a, b) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if a.is_empty() && b.is_empty() || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some(Dec::from_parts(neg, a, b, exp))
    }

    /// The value `±(a.b × 10^exp)` with Postgres' display scale `max(0, len(b) − exp)`.
    fn from_parts(neg: bool, a: &str, b: &str, exp: i64) -> Dec {
        let digits = format!("{a}{b}");
        // position of the decimal point in `digits` after applying the exponent
        let point = a.len() as i64 + exp;
        let (int, frac) = if point <= 0 {
            ("0".to_string(), format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)))
        } else if point as usize >= digits.len() {
            (format!("{digits}{}", "0".repeat(point as usize - digits.len())), String::new())
        } else {
            (digits[..point as usize].to_string(), digits[point as usize..].to_string())
        };
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0".to_string() } else { int.to_string() };
        // numeric has no negative zero
        let zero = int == "0" && frac.bytes().all(|c| c == b'0');
        Dec::Fin { neg: neg && !zero, int, frac }
    }

    pub fn from_i128(v: i128) -> Dec {
        Dec::Fin { neg: v < 0, int: v.unsigned_abs().to_string(), frac: String::new() }
    }

    /// `float8_numeric` / `float4_numeric`: the float printed with `digits` significant digits
    /// (`%.*g`, so trailing zeros dropped), then read as numeric.
    pub fn from_float(v: f64, digits: usize) -> Dec {
        if v.is_nan() {
            return Dec::NaN;
        }
        if v.is_infinite() {
            return Dec::Inf { neg: v < 0.0 };
        }
        let sci = format!("{:.*e}", digits.saturating_sub(1), v);
        let (m, e) = sci.split_once('e').unwrap_or((&sci, "0"));
        let m = if m.contains('.') { m.trim_end_matches('0').trim_end_matches('.') } else { m };
        Dec::parse(&format!("{m}e{e}")).unwrap_or(Dec::NaN)
    }

    /// `numeric_out`.
    pub fn text(&self) -> String {
        match self {
            Dec::NaN => "NaN".into(),
            Dec::Inf { neg: false } => "Infinity".into(),
            Dec::Inf { neg: true } => "-Infinity".into(),
            Dec::Fin { neg, int, frac } => {
                let sign = if *neg { "-" } else { "" };
                if frac.is_empty() {
                    format!("{sign}{int}")
                } else {
                    format!("{sign}{int}.{frac}")
                }
            }
        }
    }

    /// The nearest f64 (correctly rounded, as `numeric_float8`; ±inf beyond f64's range).
    pub fn to_f64(&self) -> f64 {
        match self {
            Dec::NaN => f64::NAN,
            Dec::Inf { neg } => {
                if *neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            }
            Dec::Fin { .. } => self.text().parse::<f64>().unwrap_or(f64::NAN),
        }
    }

    /// Rounded half away from zero to an integer (`numeric_int8` and friends); `None` for NaN,
    /// infinity or beyond i128.
    pub fn round(&self) -> Option<i128> {
        let Dec::Fin { neg, int, frac } = self else { return None };
        let mut v: i128 = int.parse().ok()?;
        if frac.as_bytes().first().is_some_and(|d| *d >= b'5') {
            v = v.checked_add(1)?;
        }
        Some(if *neg { -v } else { v })
    }

    /// Exact numeric ordering (`numeric_cmp`): NaN above +Infinity, NaN equal to NaN.
    pub fn cmp(&self, other: &Dec) -> Ordering {
        fn rank(d: &Dec) -> i8 {
            match d {
                Dec::Inf { neg: true } => 0,
                Dec::Fin { .. } => 1,
                Dec::Inf { neg: false } => 2,
                Dec::NaN => 3,
            }
        }
        match (self, other) {
            (Dec::Fin { neg: an, int: ai, frac: af }, Dec::Fin { neg: bn, int: bi, frac: bf }) => {
                let a_zero = is_zero(ai, af);
                let b_zero = is_zero(bi, bf);
                let a_sign = if a_zero { 0 } else if *an { -1 } else { 1 };
                let b_sign = if b_zero { 0 } else if *bn { -1 } else { 1 };
                if a_sign != b_sign {
                    return a_sign.cmp(&b_sign);
                }
                let mag = ai.len().cmp(&bi.len()).then_with(|| ai.cmp(bi)).then_with(|| cmp_frac(af, bf));
                if a_sign < 0 {
                    mag.reverse()
                } else {
                    mag
                }
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

fn is_zero(int: &str, frac: &str) -> bool {
    int == "0" && frac.bytes().all(|c| c == b'0')
}

/// Compare fractional digit strings as values (`"5"` = `"50"`).
fn cmp_frac(a: &str, b: &str) -> Ordering {
    let n = a.len().max(b.len());
    let pad = |s: &str| format!("{s:0<n$}");
    pad(a).cmp(&pad(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        Dec::parse(s).map(|d| d.text()).unwrap_or_else(|| "invalid".into())
    }

    #[test]
    fn numeric_in_out() {
        assert_eq!(t("1.5"), "1.5");
        assert_eq!(t(" 1.50 "), "1.50");
        assert_eq!(t("1e3"), "1000");
        assert_eq!(t("1.5e3"), "1500");
        assert_eq!(t("1.50e1"), "15.0");
        assert_eq!(t("100e-2"), "1.00");
        assert_eq!(t("1E-2"), "0.01");
        assert_eq!(t(".5"), "0.5");
        assert_eq!(t("5."), "5");
        assert_eq!(t("007"), "7");
        assert_eq!(t("-0"), "0");
        assert_eq!(t("-0.0"), "0.0");
        assert_eq!(t("99999999999999999999"), "99999999999999999999");
        assert_eq!(t("nan"), "NaN");
        assert_eq!(t("-Infinity"), "-Infinity");
        assert_eq!(t("1e"), "invalid");
        assert_eq!(t("."), "invalid");
        assert_eq!(t("1.2.3"), "invalid");
        assert_eq!(t("1e1001"), "invalid");
    }

    #[test]
    fn from_float_uses_15_significant_digits() {
        assert_eq!(Dec::from_float(1.5, 15).text(), "1.5");
        assert_eq!(Dec::from_float(0.1 + 0.2, 15).text(), "0.3");
        assert_eq!(Dec::from_float(1e20, 15).text(), "100000000000000000000");
        assert_eq!(Dec::from_float(-7.0, 15).text(), "-7");
        assert_eq!(Dec::from_float(f64::from(1.1f32), 6).text(), "1.1");
    }

    #[test]
    fn exact_comparisons_and_rounding() {
        let d = |s: &str| Dec::parse(s).unwrap_or(Dec::NaN);
        let i = |v: i128| Dec::from_i128(v);
        assert_eq!(d("1.5").cmp(&i(1)), Ordering::Greater);
        assert_eq!(d("1.5").cmp(&i(2)), Ordering::Less);
        assert_eq!(d("-1.5").cmp(&i(-1)), Ordering::Less);
        assert_eq!(d("-1.5").cmp(&i(-2)), Ordering::Greater);
        assert_eq!(d("7.000").cmp(&i(7)), Ordering::Equal);
        assert_eq!(d("99999999999999999999").cmp(&i(i128::from(i64::MAX))), Ordering::Greater);
        assert_eq!(d("1.5").cmp(&d("1.50")), Ordering::Equal);
        assert_eq!(d("NaN").cmp(&d("Infinity")), Ordering::Greater);
        assert_eq!(d("0.0").cmp(&d("-0")), Ordering::Equal);
        assert_eq!(d("2.5").round(), Some(3));
        assert_eq!(d("-2.5").round(), Some(-3));
        assert_eq!(d("2.49").round(), Some(2));
        assert_eq!(d("NaN").round(), None);
    }
}
