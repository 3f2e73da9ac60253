//! SQL constants as Postgres types and converts them: the type of a literal as written
//! (`7` is integer, `7000000000` bigint, `1.5` and `1e3` numeric, `'…'` unknown, `true` boolean),
//! the input functions that turn quoted text into a value of a type, explicit and implicit casts,
//! and the cell a guest receives for a value (contract §3.5). Also the coercion of `--values` /
//! `--rowid` JSON to a column's type.

use super::decimal::Dec;
use super::host::{Cell, Column, PgType, Value};
use super::sqltype::SqlType;
use chrono::{DateTime, NaiveDate};

/// A value of a Postgres type.
#[derive(Debug, Clone, PartialEq)]
pub enum Datum {
    Bool(bool),
    /// `"char"`: one byte.
    Char(u8),
    /// int2, int4, int8 (range-checked for the type).
    Int(i64),
    /// float4 (already rounded to f32) and float8.
    Float(f64),
    Numeric(Dec),
    /// text, and the text of an unknown literal.
    Text(String),
    /// Days since 1970-01-01.
    Date(i64),
    /// Microseconds since the Unix epoch: timestamp (wall clock read as UTC) and timestamptz.
    Micros(i64),
    /// jsonb, numbers normalised as jsonb stores them.
    Json(serde_json::Value),
    /// Hyphenated lower-case text.
    Uuid(String),
}

/// A constant with its Postgres type.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub ty: SqlType,
    pub datum: Datum,
}

impl Typed {
    pub fn new(ty: SqlType, datum: Datum) -> Typed {
        Typed { ty, datum }
    }

    /// An untyped quoted literal.
    pub fn unknown(s: &str) -> Typed {
        Typed::new(SqlType::Unknown, Datum::Text(s.to_string()))
    }

    /// A numeric token as Postgres' scanner and `make_const` type it: an integer that fits
    /// int4 is integer, else one that fits int8 is bigint, anything else (a point, an exponent,
    /// more digits) numeric. `token` may carry a leading `-` (a negated constant).
    pub fn number(token: &str) -> Result<Typed, String> {
        let digits = token.strip_prefix('-').unwrap_or(token);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(v) = token.parse::<i64>() {
                return Ok(match i32::try_from(v) {
                    Ok(_) => Typed::new(SqlType::Int4, Datum::Int(v)),
                    Err(_) => Typed::new(SqlType::Int8, Datum::Int(v)),
                });
            }
        }
        Dec::parse(token).map(|d| Typed::new(SqlType::Numeric, Datum::Numeric(d))).ok_or_else(|| format!("invalid number {token}"))
    }
}

fn syntax(ty: SqlType, s: &str) -> String {
    // the input functions name their type as Postgres' messages do
    let name = match ty {
        SqlType::Jsonb => "json",
        SqlType::Timestamp => "timestamp",
        _ => ty.pg_name(),
    };
    format!("invalid input syntax for type {name}: \"{s}\"")
}

/// What the runner does not emulate of Postgres' date/time input.
fn datetime_unsupported(ty: SqlType, s: &str) -> String {
    format!(
        "the runner reads {} input only as ISO 8601 (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|±HH[:MM]]; 'epoch'), \
         not \"{s}\" (Postgres may accept it; the runner does not guess)",
        ty.pg_name()
    )
}

/// `boolin`: unique prefixes of true/false/yes/no, on/off, 1/0, any case, surrounding whitespace.
fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace()).to_ascii_lowercase();
    let prefix = |word: &str, min: usize| t.len() >= min && word.starts_with(t.as_str());
    match t.as_bytes().first()? {
        b't' if prefix("true", 1) => Some(true),
        b'f' if prefix("false", 1) => Some(false),
        b'y' if prefix("yes", 1) => Some(true),
        b'n' if prefix("no", 1) => Some(false),
        // 'o' alone is ambiguous
        b'o' if prefix("on", 2) => Some(true),
        b'o' if prefix("off", 2) => Some(false),
        b'1' if t.len() == 1 => Some(true),
        b'0' if t.len() == 1 => Some(false),
        _ => None,
    }
}

/// `int2in`/`int4in`/`int8in`: whitespace, sign, decimal digits.
fn parse_int(ty: SqlType, s: &str) -> Result<i64, String> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(syntax(ty, s));
    }
    let out_of_range = || format!("value \"{s}\" is out of range for type {}", ty.pg_name());
    let v: i128 = t.parse().map_err(|_| out_of_range())?;
    int_in_range(ty, v).ok_or_else(out_of_range)
}

fn int_in_range(ty: SqlType, v: i128) -> Option<i64> {
    let ok = match ty {
        SqlType::Int2 => i16::try_from(v).is_ok(),
        SqlType::Int4 => i32::try_from(v).is_ok(),
        _ => i64::try_from(v).is_ok(),
    };
    if ok {
        i64::try_from(v).ok()
    } else {
        None
    }
}

/// `float4in`/`float8in`: whitespace, decimal syntax, NaN / Infinity / inf; out of range
/// (overflow, or underflow to zero) is an error, as in Postgres.
fn parse_float(ty: SqlType, s: &str) -> Result<f64, String> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    match t.to_ascii_lowercase().as_str() {
        "nan" => return Ok(f64::NAN),
        "infinity" | "+infinity" | "inf" | "+inf" => return Ok(f64::INFINITY),
        "-infinity" | "-inf" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    // Rust's parser accepts "inf"/"nan" spellings Postgres does not: require decimal syntax
    if !t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) || t.is_empty() {
        return Err(syntax(ty, s));
    }
    let v: f64 = t.parse().map_err(|_| syntax(ty, s))?;
    let nonzero_digits = t.split(['e', 'E']).next().unwrap_or("").bytes().any(|b| (b'1'..=b'9').contains(&b));
    let out = || format!("\"{s}\" is out of range for type {}", ty.pg_name());
    if ty == SqlType::Float4 {
        let f = v as f32;
        if f.is_infinite() || (f == 0.0 && nonzero_digits) {
            return Err(out());
        }
        return Ok(f64::from(f));
    }
    if v.is_infinite() || (v == 0.0 && nonzero_digits) {
        return Err(out());
    }
    Ok(v)
}

/// `charin`: the first byte, or `\ooo` (octal; how Postgres 15 prints non-ASCII bytes).
fn parse_char(s: &str) -> u8 {
    let b = s.as_bytes();
    let oct = |c: u8| (b'0'..=b'7').contains(&c);
    if b.len() >= 4 && b[0] == b'\\' && oct(b[1]) && oct(b[2]) && oct(b[3]) {
        return ((b[1] - b'0') << 6).wrapping_add((b[2] - b'0') << 3).wrapping_add(b[3] - b'0');
    }
    b.first().copied().unwrap_or(0)
}

/// `uuid_in`: 32 hex digits, a hyphen allowed after any group of four, optional braces; no
/// surrounding whitespace.
fn parse_uuid(s: &str) -> Option<String> {
    let (braced, mut rest) = match s.strip_prefix('{') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let mut bytes = [0u8; 16];
    for (i, byte) in bytes.iter_mut().enumerate() {
        let pair = rest.get(..2)?;
        if !pair.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        *byte = u8::from_str_radix(pair, 16).ok()?;
        rest = &rest[2..];
        if i % 2 == 1 && i < 15 {
            rest = rest.strip_prefix('-').unwrap_or(rest);
        }
    }
    if braced {
        rest = rest.strip_prefix('}')?;
    }
    rest.is_empty().then(|| uuid::Uuid::from_bytes(bytes).hyphenated().to_string())
}

/// JSON text → jsonb: numbers become what jsonb stores (numeric, e.g. `1e3` → `1000`, `1.50`
/// stays `1.50`), then the value as the host's JSON library reads jsonb's output.
fn parse_jsonb(s: &str) -> Result<serde_json::Value, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' {
            // copy a string literal verbatim (escapes included)
            out.push(c);
            while let Some((_, d)) = chars.next() {
                out.push(d);
                if d == '\\' {
                    if let Some((_, e)) = chars.next() {
                        out.push(e);
                    }
                } else if d == '"' {
                    break;
                }
            }
        } else if c == '-' || c.is_ascii_digit() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    end = j + 1;
                    chars.next();
                } else {
                    break;
                }
            }
            let token = &s[i..end];
            // JSON's number grammar is stricter than numeric's: let serde_json judge the token
            serde_json::from_str::<serde_json::Number>(token).map_err(|_| syntax(SqlType::Jsonb, s))?;
            match Dec::parse(token) {
                Some(d) => out.push_str(&d.text()),
                None => return Err(syntax(SqlType::Jsonb, s)),
            }
        } else {
            out.push(c);
        }
    }
    serde_json::from_str(&out).map_err(|_| syntax(SqlType::Jsonb, s))
}

/// Offset of a zone suffix in seconds: `Z`, `UTC`, `GMT`, `±HH`, `±HHMM`, `±HH:MM[:SS]`.
/// `None` for anything else (named zones need a time zone database the runner does not have).
fn parse_zone(z: &str) -> Option<i64> {
    let z = z.trim();
    if ["z", "utc", "gmt"].iter().any(|n| z.eq_ignore_ascii_case(n)) {
        return Some(0);
    }
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let num = |p: &str| (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<i64>().ok()).flatten();
    let (h, m, s) = match parts.as_slice() {
        [hm] if hm.len() == 4 && hm.bytes().all(|b| b.is_ascii_digit()) => (hm[..2].parse().ok()?, hm[2..].parse().ok()?, 0),
        [h] => (num(h)?, 0, 0),
        [h, m] => (num(h)?, num(m)?, 0),
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    (h <= 15 && m < 60 && s < 60).then_some(sign * (h * 3600 + m * 60 + s))
}

/// `HH:MM[:SS[.fraction]]` → microseconds since midnight (fraction rounded to µs, half to
/// even as Postgres' `rint`); 24:00:00 is allowed, as in Postgres.
fn parse_time(t: &str, whole: &str, ty: SqlType) -> Result<i64, String> {
    let bad = || datetime_unsupported(ty, whole);
    let range = || format!("date/time field value out of range: \"{whole}\"");
    let parts: Vec<&str> = t.split(':').collect();
    let int = |p: &str| (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<i64>().ok()).flatten();
    let (h, m, sec) = match parts.as_slice() {
        [h, m] => (int(h).ok_or_else(bad)?, int(m).ok_or_else(bad)?, "0"),
        [h, m, s] => (int(h).ok_or_else(bad)?, int(m).ok_or_else(bad)?, *s),
        _ => return Err(bad()),
    };
    let (s_whole, s_frac) = sec.split_once('.').unwrap_or((sec, ""));
    let s = int(s_whole).ok_or_else(bad)?;
    if !s_frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let frac_us = if s_frac.is_empty() { 0 } else { (format!("0.{s_frac}").parse::<f64>().map_err(|_| bad())? * 1e6).round_ties_even() as i64 };
    if m > 59 || s > 60 || h > 24 || (h == 24 && (m > 0 || s > 0 || frac_us > 0)) {
        return Err(range());
    }
    Ok(((h * 60 + m) * 60 + s) * 1_000_000 + frac_us)
}

/// Date/time input (date, timestamp, timestamptz) in ISO 8601 form. Returns the local
/// date-time in µs since the epoch (read as UTC) and the zone offset if one was written.
fn parse_datetime(ty: SqlType, s: &str) -> Result<(i64, Option<i64>), String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "epoch" => return Ok((0, Some(0))),
        "now" | "today" | "tomorrow" | "yesterday" => {
            return Err(format!("'{t}' depends on the current time: the runner does not evaluate it, write the value"))
        }
        "infinity" | "-infinity" | "+infinity" => {
            return Err(format!("'{t}' is not supported by the runner (the host cannot pass infinite dates to a guest either)"))
        }
        _ => {}
    }
    // no digit at all and not a special word: not a date in any style Postgres reads either
    if !t.bytes().any(|b| b.is_ascii_digit()) && lower != "allballs" {
        return Err(syntax(ty, s));
    }
    let date_part = t.get(..10).ok_or_else(|| datetime_unsupported(ty, s))?;
    let shape_ok = date_part.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shape_ok {
        return Err(datetime_unsupported(ty, s));
    }
    let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d").map_err(|_| format!("date/time field value out of range: \"{s}\""))?;
    let rest = &t[10..];
    let rest = rest.strip_prefix(['T', 't', ' ']).unwrap_or(rest).trim_start();
    let days = date.signed_duration_since(NaiveDate::default()).num_days();
    if rest.is_empty() {
        return Ok((days * 86_400_000_000, None));
    }
    // the time runs up to a zone: a sign, `Z`, or a space before a zone name
    let zpos = rest.find(['+', '-', 'Z', 'z', ' ']).unwrap_or(rest.len());
    let (time_part, zone_part) = rest.split_at(zpos);
    let micros = if time_part.is_empty() { 0 } else { parse_time(time_part, s, ty)? };
    let zone = zone_part.trim();
    let offset = if zone.is_empty() { None } else { Some(parse_zone(zone).ok_or_else(|| datetime_unsupported(ty, s))?) };
    Ok((days * 86_400_000_000 + micros, offset))
}

/// The input function of `ty` applied to `s` (what `'s'::ty` does), with Postgres' messages.
pub fn input(ty: SqlType, s: &str) -> Result<Datum, String> {
    Ok(match ty {
        SqlType::Bool => Datum::Bool(parse_bool(s).ok_or_else(|| syntax(ty, s))?),
        SqlType::Char => Datum::Char(parse_char(s)),
        SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => Datum::Int(parse_int(ty, s)?),
        SqlType::Float4 | SqlType::Float8 => Datum::Float(parse_float(ty, s)?),
        SqlType::Numeric => Datum::Numeric(Dec::parse(s).ok_or_else(|| syntax(ty, s))?),
        SqlType::Text | SqlType::Unknown => Datum::Text(s.to_string()),
        SqlType::Date => {
            let (micros, _) = parse_datetime(ty, s)?;
            Datum::Date(micros.div_euclid(86_400_000_000))
        }
        // a zone in a timestamp (without time zone) literal is ignored, as in Postgres
        SqlType::Timestamp => Datum::Micros(parse_datetime(ty, s)?.0),
        // no zone: the session time zone, which is UTC in the runner
        SqlType::Timestamptz => {
            let (micros, offset) = parse_datetime(ty, s)?;
            Datum::Micros(micros - offset.unwrap_or(0) * 1_000_000)
        }
        SqlType::Jsonb => Datum::Json(parse_jsonb(s)?),
        SqlType::Uuid => Datum::Uuid(parse_uuid(s).ok_or_else(|| syntax(ty, s))?),
    })
}

fn fmt_micros(us: i64, tz: bool) -> Result<String, String> {
    let dt = DateTime::from_timestamp_micros(us).ok_or("timestamp out of range")?.naive_utc();
    let mut s = dt.format("%Y-%m-%d %H:%M:%S").to_string();
    let frac = dt.and_utc().timestamp_subsec_micros();
    if frac > 0 {
        s.push_str(format!(".{frac:06}").trim_end_matches('0'));
    }
    if tz {
        s.push_str("+00");
    }
    Ok(s)
}

/// The text output of a value (`::text`), where the runner produces it exactly.
fn to_text(v: &Typed) -> Result<String, String> {
    Ok(match &v.datum {
        Datum::Bool(b) => b.to_string(),
        Datum::Char(c) => char::from(*c).to_string(),
        Datum::Int(i) => i.to_string(),
        Datum::Numeric(d) => d.text(),
        Datum::Text(s) => s.clone(),
        Datum::Date(days) => NaiveDate::default()
            .checked_add_signed(chrono::TimeDelta::try_days(*days).ok_or("date out of range")?)
            .ok_or("date out of range")?
            .format("%Y-%m-%d")
            .to_string(),
        Datum::Micros(us) => fmt_micros(*us, v.ty == SqlType::Timestamptz)?,
        Datum::Uuid(u) => u.clone(),
        Datum::Float(_) | Datum::Json(_) => {
            return Err(format!("the runner does not evaluate {}::text", v.ty.pg_name()));
        }
    })
}

/// Cast `v` to `to` as Postgres' casts do (explicit casts; implicit ones are a subset).
pub fn cast(v: &Typed, to: SqlType) -> Result<Typed, String> {
    use SqlType::*;
    if v.ty == to {
        return Ok(v.clone());
    }
    let unsupported = || format!("the runner cannot evaluate a cast from {} to {}", v.ty.pg_name(), to.pg_name());
    let out_of_range = || format!("{} out of range", to.pg_name());
    let datum = match (&v.datum, to) {
        (Datum::Text(s), _) if matches!(v.ty, Unknown | Text) => input(to, s)?,
        (_, Text) => Datum::Text(to_text(v)?),
        (Datum::Int(i), Int2 | Int4 | Int8) => Datum::Int(int_in_range(to, i128::from(*i)).ok_or_else(out_of_range)?),
        (Datum::Int(i), Float4) => Datum::Float(f64::from(*i as f32)),
        (Datum::Int(i), Float8) => Datum::Float(*i as f64),
        (Datum::Int(i), Numeric) => Datum::Numeric(Dec::from_i128(i128::from(*i))),
        (Datum::Int(i), Bool) if v.ty == Int4 => Datum::Bool(*i != 0),
        (Datum::Float(f), Int2 | Int4 | Int8) => {
            if !f.is_finite() {
                return Err(out_of_range());
            }
            // Postgres rounds half to even here (rint)
            let r = f.round_ties_even();
            if r.abs() >= 9.3e18 {
                return Err(out_of_range());
            }
            Datum::Int(int_in_range(to, r as i128).ok_or_else(out_of_range)?)
        }
        (Datum::Float(f), Float4) => {
            let g = *f as f32;
            if g.is_infinite() && f.is_finite() {
                return Err("value out of range: overflow".into());
            }
            if g == 0.0 && *f != 0.0 {
                return Err("value out of range: underflow".into());
            }
            Datum::Float(f64::from(g))
        }
        (Datum::Float(f), Float8) => Datum::Float(*f),
        (Datum::Float(f), Numeric) => Datum::Numeric(Dec::from_float(*f, if v.ty == Float4 { 6 } else { 15 })),
        (Datum::Numeric(d), Int2 | Int4 | Int8) => {
            let r = match d {
                Dec::NaN => return Err(format!("cannot convert NaN to {}", to.pg_name())),
                Dec::Inf { .. } => return Err(format!("cannot convert infinity to {}", to.pg_name())),
                Dec::Fin { .. } => d.round().ok_or_else(out_of_range)?,
            };
            Datum::Int(int_in_range(to, r).ok_or_else(out_of_range)?)
        }
        // numeric_float8 / numeric_float4 go through the float input function, with its message
        (Datum::Numeric(d), Float4 | Float8) => Datum::Float(parse_float(to, &d.text())?),
        (Datum::Date(days), Timestamp | Timestamptz) => Datum::Micros(days.checked_mul(86_400_000_000).ok_or_else(out_of_range)?),
        (Datum::Micros(us), Date) => Datum::Date(us.div_euclid(86_400_000_000)),
        // the session time zone is UTC: timestamp and timestamptz have the same µs
        (Datum::Micros(us), Timestamp | Timestamptz) => Datum::Micros(*us),
        _ => return Err(unsupported()),
    };
    Ok(Typed::new(to, datum))
}

/// The qual value a guest receives for a constant (contract §3.5). A numeric beyond f64 is
/// listed but cannot be read, as on the Postgres host.
pub fn to_value(v: &Typed) -> Result<Value, String> {
    Ok(Value::Cell(match (&v.datum, v.ty) {
        (Datum::Numeric(d), _) => {
            // the host converts with numeric_float8: beyond f64 the value cannot be read
            match parse_float(SqlType::Float8, &d.text()) {
                Ok(f) => Cell::Numeric(f),
                Err(e) => return Ok(Value::Unsupported { reason: format!("convert cell failed: numeric {}: {e}", d.text()), text: d.text() }),
            }
        }
        _ => to_cell(v)?,
    }))
}

/// The cell of a value (for array elements and rechecks; numerics as f64).
pub fn to_cell(v: &Typed) -> Result<Cell, String> {
    use SqlType::*;
    let bad = || format!("no cell for {} {:?}", v.ty.pg_name(), v.datum);
    Ok(match (&v.datum, v.ty) {
        (Datum::Bool(b), _) => Cell::Bool(*b),
        (Datum::Char(c), _) => Cell::I8(*c as i8),
        (Datum::Int(i), Int2) => Cell::I16(i16::try_from(*i).map_err(|_| bad())?),
        (Datum::Int(i), Int4) => Cell::I32(i32::try_from(*i).map_err(|_| bad())?),
        (Datum::Int(i), _) => Cell::I64(*i),
        (Datum::Float(f), Float4) => Cell::F32(*f as f32),
        (Datum::Float(f), _) => Cell::F64(*f),
        (Datum::Numeric(d), _) => Cell::Numeric(d.to_f64()),
        (Datum::Text(s), _) => Cell::String(s.clone()),
        (Datum::Date(days), _) => Cell::Date(days.checked_mul(86_400).ok_or_else(bad)?),
        (Datum::Micros(us), Timestamptz) => Cell::Timestamptz(*us),
        (Datum::Micros(us), _) => Cell::Timestamp(*us),
        (Datum::Json(j), _) => Cell::Json(j.to_string()),
        (Datum::Uuid(u), _) => Cell::Uuid(u.clone()),
    })
}

/// A row's cell as a value of the column's type (for the local re-check).
pub fn from_cell(cell: &Cell, ty: SqlType) -> Result<Typed, String> {
    let datum = match cell {
        Cell::Bool(b) => Datum::Bool(*b),
        Cell::I8(v) => Datum::Char(*v as u8),
        Cell::I16(v) => Datum::Int(i64::from(*v)),
        Cell::I32(v) => Datum::Int(i64::from(*v)),
        Cell::I64(v) => Datum::Int(*v),
        Cell::F32(v) => Datum::Float(f64::from(*v)),
        Cell::F64(v) => Datum::Float(*v),
        // the Postgres host stores an f64 numeric cell with float8_numeric (15 significant digits)
        Cell::Numeric(v) => Datum::Numeric(Dec::from_float(*v, 15)),
        Cell::String(s) => Datum::Text(s.clone()),
        Cell::Date(secs) => Datum::Date(secs.div_euclid(86_400)),
        Cell::Timestamp(us) | Cell::Timestamptz(us) => Datum::Micros(*us),
        Cell::Json(s) => Datum::Json(serde_json::from_str(s).map_err(|e| format!("invalid json cell: {e}"))?),
        Cell::Uuid(u) => Datum::Uuid(parse_uuid(u).ok_or_else(|| format!("invalid uuid cell {u}"))?),
        Cell::Other(_) => return Err("a cell of type `other` cannot be compared".into()),
    };
    Ok(Typed::new(ty, datum))
}

/// A JSON scalar from `--values` / `--rowid`.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Num(String),
    Bool(bool),
}

impl Lit {
    fn describe(&self) -> String {
        match self {
            Lit::Str(s) => format!("'{s}'"),
            Lit::Num(n) => n.clone(),
            Lit::Bool(b) => b.to_string(),
        }
    }
}

/// Coerce a `--values` / `--rowid` scalar to a cell of the column's type, with the column
/// type's input function (JSON numbers are fine for text columns, strings for numbers).
pub fn coerce(lit: &Lit, col: &Column) -> Result<Cell, String> {
    let bad = |why: String| format!("cannot use {} for column `{}` ({}): {why}", lit.describe(), col.name, col.pg_type);
    let Some(ty) = SqlType::of_column(&col.pg_type) else {
        return Err(bad("the column type is not supported by the host".into()));
    };
    let datum = match (lit, ty) {
        (Lit::Bool(b), SqlType::Bool) => Datum::Bool(*b),
        (Lit::Bool(_), _) => return Err(bad(format!("a boolean is not {}", ty.pg_name()))),
        (Lit::Num(_), SqlType::Bool) => return Err(bad("a number is not a boolean".into())),
        (Lit::Str(s) | Lit::Num(s), _) => input(ty, s).map_err(bad)?,
    };
    to_cell(&Typed::new(ty, datum)).map_err(bad)
}

/// Convert a JSON value (from `--values` / `--rowid`) to a cell of the column's type.
/// `Ok(None)` for JSON null.
pub fn json_to_cell(v: &serde_json::Value, col: &Column) -> Result<Option<Cell>, String> {
    use serde_json::Value as J;
    if v.is_null() {
        return Ok(None);
    }
    if col.pg_type == PgType::Jsonb {
        return Ok(Some(Cell::Json(v.to_string())));
    }
    let lit = match v {
        J::Bool(b) => Lit::Bool(*b),
        J::Number(n) => Lit::Num(n.to_string()),
        J::String(s) => Lit::Str(s.clone()),
        other => {
            return Err(format!(
                "cannot use {other} for column `{}` ({}): only scalars are accepted",
                col.name, col.pg_type
            ))
        }
    };
    coerce(&lit, col).map(Some)
}

/// Days since 1970-01-01 of a date, for tests and messages.
#[cfg(test)]
fn days(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).map(|x| x.signed_duration_since(NaiveDate::default()).num_days()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SqlType::*;

    fn col(t: &str) -> Column {
        Column::new("c", 1, PgType::parse(t))
    }

    #[test]
    fn literal_types() {
        assert_eq!(Typed::number("7"), Ok(Typed::new(Int4, Datum::Int(7))));
        assert_eq!(Typed::number("-2147483648"), Ok(Typed::new(Int4, Datum::Int(-2_147_483_648))));
        assert_eq!(Typed::number("2147483648"), Ok(Typed::new(Int8, Datum::Int(2_147_483_648))));
        assert_eq!(Typed::number("7000000000"), Ok(Typed::new(Int8, Datum::Int(7_000_000_000))));
        assert_eq!(Typed::number("-9223372036854775808"), Ok(Typed::new(Int8, Datum::Int(i64::MIN))));
        let big = Typed::number("99999999999999999999").map(|t| t.ty);
        assert_eq!(big, Ok(Numeric));
        assert_eq!(Typed::number("1.5").map(|t| t.ty), Ok(Numeric));
        assert_eq!(Typed::number("1e3").map(|t| t.datum), Ok(Datum::Numeric(Dec::parse("1000").unwrap_or(Dec::NaN))));
    }

    #[test]
    fn input_functions() {
        assert_eq!(input(Int8, " 7 "), Ok(Datum::Int(7)));
        assert_eq!(input(Int4, "1.5"), Err("invalid input syntax for type integer: \"1.5\"".into()));
        assert_eq!(input(Int2, "70000"), Err("value \"70000\" is out of range for type smallint".into()));
        assert_eq!(input(Bool, "ye"), Ok(Datum::Bool(true)));
        assert_eq!(input(Bool, "of"), Ok(Datum::Bool(false)));
        assert!(input(Bool, "o").is_err());
        assert_eq!(input(Float4, "1.1"), Ok(Datum::Float(f64::from(1.1f32))));
        assert_eq!(input(Float8, "1e400"), Err("\"1e400\" is out of range for type double precision".into()));
        assert_eq!(input(Float4, "1e40"), Err("\"1e40\" is out of range for type real".into()));
        assert!(input(Float8, "infinity").is_ok_and(|d| d == Datum::Float(f64::INFINITY)));
        assert_eq!(input(Char, "ab"), Ok(Datum::Char(b'a')));
        assert_eq!(input(Char, "\\310"), Ok(Datum::Char(200)));
        assert_eq!(input(Date, "2024-01-15"), Ok(Datum::Date(days(2024, 1, 15))));
        assert_eq!(input(Date, "2024-01-15 23:00-05"), Ok(Datum::Date(days(2024, 1, 15))));
        assert!(input(Date, "2024-02-30").is_err_and(|e| e.contains("out of range")));
        assert!(input(Date, "Jan 15 2024").is_err_and(|e| e.contains("ISO 8601")));
        assert!(input(Date, "today").is_err_and(|e| e.contains("current time")));
        let jan15 = days(2024, 1, 15) * 86_400_000_000;
        assert_eq!(input(Timestamp, "2024-01-15T10:30:00.25+02"), Ok(Datum::Micros(jan15 + 37_800_250_000)));
        assert_eq!(input(Timestamptz, "2024-01-15 10:30+02:00"), Ok(Datum::Micros(jan15 + 30_600_000_000)));
        assert_eq!(input(Timestamptz, "2024-01-15 10:30"), Ok(Datum::Micros(jan15 + 37_800_000_000)));
        assert!(input(Timestamptz, "2024-01-15 10:30 Europe/Paris").is_err_and(|e| e.contains("ISO 8601")));
        assert_eq!(input(Uuid, "{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}"), Ok(Datum::Uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into())));
        assert!(input(Uuid, " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11").is_err());
        let j = |s: &str| input(Jsonb, s).map(|d| match d {
            Datum::Json(v) => v.to_string(),
            _ => String::new(),
        });
        assert_eq!(j(r#"{"b": 1e3, "a": [1.50, -0]}"#), Ok(r#"{"a":[1.5,0],"b":1000}"#.into()));
        assert!(j("{").is_err());
        assert!(j("01").is_err());
    }

    #[test]
    fn casts() {
        let n = |s: &str| Typed::number(s).unwrap_or_else(|_| Typed::unknown(""));
        assert_eq!(cast(&n("7"), Int2), Ok(Typed::new(Int2, Datum::Int(7))));
        assert_eq!(cast(&n("70000"), Int2), Err("smallint out of range".into()));
        assert_eq!(cast(&n("2.5"), Int4), Ok(Typed::new(Int4, Datum::Int(3))));
        assert_eq!(cast(&Typed::new(Float8, Datum::Float(2.5)), Int4), Ok(Typed::new(Int4, Datum::Int(2))));
        assert_eq!(cast(&n("1.5"), Float4), Ok(Typed::new(Float4, Datum::Float(1.5))));
        assert_eq!(cast(&n("7"), Text), Ok(Typed::new(Text, Datum::Text("7".into()))));
        assert_eq!(cast(&Typed::unknown("7"), Int8), Ok(Typed::new(Int8, Datum::Int(7))));
        assert_eq!(cast(&Typed::new(Date, Datum::Date(1)), Timestamptz), Ok(Typed::new(Timestamptz, Datum::Micros(86_400_000_000))));
        assert!(cast(&n("7"), Date).is_err());
    }

    #[test]
    fn cells() {
        assert_eq!(to_cell(&n7()), Ok(Cell::I32(7)));
        let big = Typed::number("1e400").unwrap_or_else(|_| Typed::unknown(""));
        assert!(matches!(to_value(&big), Ok(Value::Unsupported { .. })));
        assert_eq!(to_cell(&Typed::new(Char, Datum::Char(200))), Ok(Cell::I8(-56)));
    }

    fn n7() -> Typed {
        Typed::new(Int4, Datum::Int(7))
    }

    #[test]
    fn coercions() {
        assert_eq!(coerce(&Lit::Num("5".into()), &col("int8")), Ok(Cell::I64(5)));
        assert_eq!(coerce(&Lit::Str("5".into()), &col("int2")), Ok(Cell::I16(5)));
        assert!(coerce(&Lit::Num("70000".into()), &col("int2")).is_err());
        assert!(coerce(&Lit::Num("4.5".into()), &col("int4")).is_err());
        assert_eq!(coerce(&Lit::Num("4.5".into()), &col("numeric")), Ok(Cell::Numeric(4.5)));
        assert_eq!(coerce(&Lit::Str("yes".into()), &col("bool")), Ok(Cell::Bool(true)));
        assert_eq!(coerce(&Lit::Bool(false), &col("boolean")), Ok(Cell::Bool(false)));
        assert_eq!(
            coerce(&Lit::Str("2024-01-01T00:00:00Z".into()), &col("timestamptz")),
            Ok(Cell::Timestamptz(1_704_067_200_000_000))
        );
        assert_eq!(
            coerce(&Lit::Str("2024-01-01 02:00:00+02".into()), &col("timestamptz")),
            Ok(Cell::Timestamptz(1_704_067_200_000_000))
        );
        assert_eq!(
            coerce(&Lit::Str("2024-01-01 02:00:00+02".into()), &col("timestamp")),
            Ok(Cell::Timestamp(1_704_074_400_000_000))
        );
        assert_eq!(coerce(&Lit::Str("2024-01-15".into()), &col("date")), Ok(Cell::Date(1_705_276_800)));
        assert_eq!(
            coerce(&Lit::Str("2024-01-15 10:30:00.25".into()), &col("timestamp")),
            Ok(Cell::Timestamp(1_705_314_600_250_000))
        );
        assert!(coerce(&Lit::Str("yesterday".into()), &col("date")).is_err());
        assert_eq!(coerce(&Lit::Str(r#"{"a": 1}"#.into()), &col("jsonb")), Ok(Cell::Json(r#"{"a":1}"#.into())));
        assert!(coerce(&Lit::Str("{".into()), &col("jsonb")).is_err());
        assert_eq!(
            coerce(&Lit::Str("A0EEBC999C0B4EF8BB6D6BB9BD380A11".into()), &col("uuid")),
            Ok(Cell::Uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into()))
        );
        assert_eq!(coerce(&Lit::Str("x".into()), &col("varchar")), Ok(Cell::String("x".into())));
        assert!(coerce(&Lit::Str("x".into()), &col("interval")).is_err());
        assert_eq!(coerce(&Lit::Str("A".into()), &col("\"char\"")), Ok(Cell::I8(65)));
    }

    #[test]
    fn json_values() {
        let j: serde_json::Value = serde_json::from_str(r#"{"a":[1,2]}"#).unwrap_or_default();
        assert_eq!(json_to_cell(&j, &col("jsonb")), Ok(Some(Cell::Json(r#"{"a":[1,2]}"#.into()))));
        assert_eq!(json_to_cell(&serde_json::json!(3), &col("int4")), Ok(Some(Cell::I32(3))));
        assert_eq!(json_to_cell(&serde_json::json!(null), &col("int4")), Ok(None));
        assert_eq!(json_to_cell(&serde_json::json!("2024-01-15"), &col("date")), Ok(Some(Cell::Date(1_705_276_800))));
        assert!(json_to_cell(&serde_json::json!([1]), &col("int4")).is_err());
    }
}
