//! Postgres-compatible text formatting (DateStyle ISO, TimeZone UTC) and the
//! `cell-to-string` / `deparse` formats of the Supabase host (contract §2.4, §3.6–3.8).

use crate::types::{Cell, Limit, Qual, Sort, Value};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Microseconds between 1970-01-01 and 2000-01-01 (the Postgres epoch).
pub const PG_EPOCH_US: i64 = 946_684_800_000_000;
/// Smallest valid Postgres timestamp (4714-11-24 00:00:00 BC), in µs since the Unix epoch.
pub const MIN_TIMESTAMP_US: i64 = -211_813_488_000_000_000 + PG_EPOCH_US;
/// Postgres' END_TIMESTAMP (294277-01-01) lies beyond `i64::MAX` µs since the Unix epoch, so
/// every larger cell value is in Postgres' range (chrono, used for formatting, stops at year 262143).
pub const MAX_TIMESTAMP_US: i64 = i64::MAX;

/// Convert a `date` cell (seconds since the Unix epoch) to a calendar date, as Postgres
/// does with TimeZone UTC (`to_timestamp(secs)::date`).
pub fn date_from_secs(secs: i64) -> Option<NaiveDate> {
    let days = secs.div_euclid(86_400);
    let days = i32::try_from(days).ok()?;
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(i64::from(days)))
}

/// Convert µs since the Unix epoch to a UTC wall-clock date-time, checking the Postgres range.
pub fn datetime_from_micros(us: i64) -> Option<NaiveDateTime> {
    if !(MIN_TIMESTAMP_US..=MAX_TIMESTAMP_US).contains(&us) {
        return None;
    }
    DateTime::from_timestamp_micros(us).map(|d| d.naive_utc())
}

fn year_parts(year: i32) -> (i32, bool) {
    if year <= 0 {
        (1 - year, true)
    } else {
        (year, false)
    }
}

/// Postgres `date_out` (DateStyle ISO): `2024-01-15`, `0044-03-15 BC`.
pub fn pg_date(date: NaiveDate) -> String {
    let (y, bc) = year_parts(date.year());
    let mut s = format!("{:04}-{:02}-{:02}", y, date.month(), date.day());
    if bc {
        s.push_str(" BC");
    }
    s
}

fn fraction(us: u32, out: &mut String) {
    if us != 0 {
        let f = format!("{us:06}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
}

fn pg_datetime_inner(dt: NaiveDateTime, zone: &str) -> String {
    let (y, bc) = year_parts(dt.year());
    let mut s = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        y,
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    fraction(dt.nanosecond() / 1000, &mut s);
    s.push_str(zone);
    if bc {
        s.push_str(" BC");
    }
    s
}

/// Postgres `timestamp_out` (DateStyle ISO): `2024-01-15 10:30:00`, fractional digits only when non-zero.
pub fn pg_timestamp(dt: NaiveDateTime) -> String {
    pg_datetime_inner(dt, "")
}

/// Postgres `timestamptz_out` with TimeZone UTC: `2024-01-15 10:30:00+00`.
pub fn pg_timestamptz(dt: NaiveDateTime) -> String {
    pg_datetime_inner(dt, "+00")
}

/// ISO-8601 form used by the runner's JSON output: `2024-01-15T10:30:00[.ffffff]`
/// (6 fractional digits, only when the fraction is non-zero).
pub fn iso_datetime(dt: NaiveDateTime) -> String {
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    let us = dt.nanosecond() / 1000;
    if us != 0 {
        s.push_str(&format!(".{us:06}"));
    }
    s
}

/// Split the shortest round-trip representation of a float (`{:e}` output) into
/// (negative, digits, decimal exponent of the first digit).
fn sci_parts(sci: &str) -> (bool, String, i32) {
    let (neg, body) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci),
    };
    let (mant, exp) = body.split_once('e').unwrap_or((body, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0').to_string();
    let digits = if digits.is_empty() { "0".to_string() } else { digits };
    (neg, digits, exp)
}

/// Plain decimal notation from digits and the exponent of the first digit.
fn plain_decimal(neg: bool, digits: &str, exp: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            s.push_str(digits);
            s.push_str(&"0".repeat(int_len - digits.len()));
        } else {
            s.push_str(&digits[..int_len]);
            s.push('.');
            s.push_str(&digits[int_len..]);
        }
    } else {
        s.push_str("0.");
        s.push_str(&"0".repeat((-exp - 1) as usize));
        s.push_str(digits);
    }
    s
}

fn pg_float_common(sci: String, is_nan: bool, is_inf: bool, negative: bool, upper_exp: i32) -> String {
    if is_nan {
        return "NaN".into();
    }
    if is_inf {
        return if negative { "-Infinity".into() } else { "Infinity".into() };
    }
    let (neg, digits, exp) = sci_parts(&sci);
    if digits == "0" {
        return if neg { "-0".into() } else { "0".into() };
    }
    if (-4..upper_exp).contains(&exp) {
        plain_decimal(neg, &digits, exp)
    } else {
        let mut s = String::new();
        if neg {
            s.push('-');
        }
        s.push_str(&digits[..1]);
        if digits.len() > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        s.push_str(&format!("e{sign}{:02}", exp.abs()));
        s
    }
}

/// Postgres `float8out` (shortest round-trip, exponent form outside 1e-4 ..< 1e15).
pub fn pg_float8(v: f64) -> String {
    pg_float_common(format!("{v:e}"), v.is_nan(), v.is_infinite(), v < 0.0, 15)
}

/// Postgres `float4out` (shortest round-trip, exponent form outside 1e-4 ..< 1e6).
pub fn pg_float4(v: f32) -> String {
    pg_float_common(format!("{v:e}"), v.is_nan(), v.is_infinite(), v < 0.0, 6)
}

/// Postgres `numeric_out` of `float8_numeric(v)`: the double is rounded to 15 significant
/// digits (`%.15g`) and printed in plain notation (no exponent, no trailing zeros).
pub fn pg_numeric(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-Infinity".into() } else { "Infinity".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let (neg, digits, exp) = sci_parts(&format!("{v:.14e}"));
    plain_decimal(neg, &digits, exp)
}

/// The Rust-`Debug`-like form pgrx prints for a `JsonB` value, e.g. `JsonB(Object {"a": Number(1)})`.
///
/// Exact for what serde_json's `Debug` prints; objects are key-sorted (serde_json without
/// `preserve_order`), which is what Supabase's host prints unless it enables that feature.
pub fn json_debug(text: &str) -> Result<String, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("convert cell failed: invalid json: {e}"))?;
    Ok(format!("JsonB({v:?})"))
}

/// The `utils.cell-to-string` format (contract §2.4). Errors where the Supabase host panics.
pub fn cell_to_string(cell: Option<&Cell>) -> Result<String, String> {
    let Some(cell) = cell else {
        return Ok("null".into());
    };
    Ok(match cell {
        Cell::Bool(b) => b.to_string(),
        Cell::I8(v) => v.to_string(),
        Cell::I16(v) => v.to_string(),
        Cell::I32(v) => v.to_string(),
        Cell::I64(v) => v.to_string(),
        Cell::F32(v) => v.to_string(),
        Cell::F64(v) => v.to_string(),
        Cell::Numeric(v) => pg_numeric(*v),
        Cell::String(s) => format!("'{s}'"),
        Cell::Date(secs) => {
            let d = date_from_secs(*secs).ok_or_else(|| format!("convert cell failed: date {secs} out of range"))?;
            format!("'{}'", pg_date(d))
        }
        Cell::Timestamp(us) => {
            let dt = datetime_from_micros(*us).ok_or_else(|| format!("convert cell failed: timestamp {us} out of range"))?;
            format!("'{}'", pg_timestamp(dt))
        }
        Cell::Timestamptz(us) => {
            let dt =
                datetime_from_micros(*us).ok_or_else(|| format!("convert cell failed: timestamptz {us} out of range"))?;
            format!("'{}'", pg_timestamptz(dt))
        }
        Cell::Json(text) => json_debug(text)?,
        Cell::Uuid(text) => {
            let u = uuid::Uuid::parse_str(text).map_err(|e| format!("convert cell failed: invalid uuid: {e}"))?;
            format!("'{}'", u.hyphenated())
        }
        Cell::Other(_) => return Err("not yet implemented: cell type `other` is not supported".into()),
    })
}

/// `qual.deparse()` (contract §3.6): SQL-ish text, no quoting/escaping, OR lists unparenthesised.
/// An array qual with `use-or = false` (NOT IN / `<> ALL`) is an error, as on Supabase.
pub fn deparse_qual(q: &Qual) -> Result<String, String> {
    if q.use_or {
        return match &q.value {
            Value::Array(cells) => {
                let mut parts = Vec::with_capacity(cells.len());
                for c in cells {
                    parts.push(format!("{} {} {}", q.field, q.operator, cell_to_string(Some(c))?));
                }
                Ok(parts.join(" or "))
            }
            Value::Cell(_) | Value::Unsupported { .. } => {
                Err("internal error: entered unreachable code: qual with use_or on a single value".into())
            }
        };
    }
    match &q.value {
        Value::Cell(cell) => Ok(match q.operator.as_str() {
            "is" | "is not" => match cell {
                Cell::String(s) if s == "null" => format!("{} {} null", q.field, q.operator),
                _ => format!("{} {} {}", q.field, q.operator, cell_to_string(Some(cell))?),
            },
            "~~" => format!("{} like {}", q.field, cell_to_string(Some(cell))?),
            "!~~" => format!("{} not like {}", q.field, cell_to_string(Some(cell))?),
            op => format!("{} {} {}", q.field, op, cell_to_string(Some(cell))?),
        }),
        // rendered by the front end that could not convert it (Supabase deparses the Postgres value)
        Value::Unsupported { text, .. } => Ok(match q.operator.as_str() {
            "~~" => format!("{} like {text}", q.field),
            "!~~" => format!("{} not like {text}", q.field),
            op => format!("{} {op} {text}", q.field),
        }),
        Value::Array(_) => Err(format!(
            "internal error: entered unreachable code: cannot deparse array qual on `{}` with use_or = false (NOT IN / <> ALL)",
            q.field
        )),
    }
}

/// `sort.deparse()`: `<field> asc|desc nulls first|last`.
pub fn deparse_sort(s: &Sort) -> String {
    format!(
        "{} {} {}",
        s.field,
        if s.reversed { "desc" } else { "asc" },
        if s.nulls_first { "nulls first" } else { "nulls last" }
    )
}

/// `sort.deparse-with-collate()`: `deparse()` plus ` collate <name>` when a collation is set.
pub fn deparse_sort_with_collate(s: &Sort) -> String {
    match &s.collate {
        Some(c) => format!("{} collate {}", deparse_sort(s), c),
        None => deparse_sort(s),
    }
}

/// `limit.deparse()`: `limit <count> offset <offset>`.
pub fn deparse_limit(l: &Limit) -> String {
    format!("limit {} offset {}", l.count, l.offset)
}

/// Escape a string the way Postgres' `escape_json` does.
fn pg_json_string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn pg_jsonb_value(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Null => out.push_str("null"),
        serde_json::Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        serde_json::Value::Number(n) => out.push_str(&n.to_string()),
        serde_json::Value::String(s) => pg_json_string(s, out),
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                pg_jsonb_value(item, out);
            }
            out.push(']');
        }
        serde_json::Value::Object(map) => {
            // jsonb orders keys by length, then bytewise
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes())));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                pg_json_string(k, out);
                out.push_str(": ");
                if let Some(val) = map.get(*k) {
                    pg_jsonb_value(val, out);
                }
            }
            out.push('}');
        }
    }
}

/// Postgres `jsonb_out`-like text of a JSON document (`{"a": 1, "b": [1, 2]}`; keys ordered
/// as jsonb orders them). Numbers are printed as serde_json prints them (an approximation of
/// numeric_out: `1.0` stays `1.0`, exponents are kept).
pub fn pg_jsonb(text: &str) -> Result<String, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("invalid json: {e}"))?;
    let mut out = String::new();
    pg_jsonb_value(&v, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_out() {
        assert_eq!(pg_numeric(3.5), "3.5");
        assert_eq!(pg_numeric(1.0), "1");
        assert_eq!(pg_numeric(-0.0), "0");
        assert_eq!(pg_numeric(0.1), "0.1");
        assert_eq!(pg_numeric(1.0 / 3.0), "0.333333333333333");
        assert_eq!(pg_numeric(1e20), "100000000000000000000");
        assert_eq!(pg_numeric(1.5e-7), "0.00000015");
        assert_eq!(pg_numeric(123456789.125), "123456789.125");
        assert_eq!(pg_numeric(-42.0), "-42");
        assert_eq!(pg_numeric(9007199254740993.0), "9007199254740990");
        assert_eq!(pg_numeric(f64::NAN), "NaN");
        assert_eq!(pg_numeric(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn float_out() {
        assert_eq!(pg_float8(0.1), "0.1");
        assert_eq!(pg_float8(100.0), "100");
        assert_eq!(pg_float8(1e14), "100000000000000");
        assert_eq!(pg_float8(1e15), "1e+15");
        assert_eq!(pg_float8(1.5e-5), "1.5e-05");
        assert_eq!(pg_float8(0.0001), "0.0001");
        assert_eq!(pg_float8(-2.5), "-2.5");
        assert_eq!(pg_float8(f64::INFINITY), "Infinity");
        assert_eq!(pg_float4(0.1), "0.1");
        assert_eq!(pg_float4(123456.0), "123456");
        assert_eq!(pg_float4(1234567.0), "1.234567e+06");
    }

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(cell_to_string(Some(&Cell::Date(1705276800))).unwrap(), "'2024-01-15'");
        assert_eq!(cell_to_string(Some(&Cell::Date(-1))).unwrap(), "'1969-12-31'");
        assert_eq!(cell_to_string(Some(&Cell::Timestamp(1705314600000000))).unwrap(), "'2024-01-15 10:30:00'");
        assert_eq!(cell_to_string(Some(&Cell::Timestamp(1705314600123400))).unwrap(), "'2024-01-15 10:30:00.1234'");
        assert_eq!(cell_to_string(Some(&Cell::Timestamptz(1705314600000000))).unwrap(), "'2024-01-15 10:30:00+00'");
        let bc = NaiveDate::from_ymd_opt(-43, 3, 15).unwrap();
        assert_eq!(pg_date(bc), "0044-03-15 BC");
        assert!(cell_to_string(Some(&Cell::Timestamp(i64::MAX))).is_err());
        let dt = datetime_from_micros(1705314600000001).unwrap();
        assert_eq!(iso_datetime(dt), "2024-01-15T10:30:00.000001");
        let dt = datetime_from_micros(1705314600000000).unwrap();
        assert_eq!(iso_datetime(dt), "2024-01-15T10:30:00");
    }

    #[test]
    fn cell_to_string_table() {
        assert_eq!(cell_to_string(None).unwrap(), "null");
        assert_eq!(cell_to_string(Some(&Cell::Bool(true))).unwrap(), "true");
        assert_eq!(cell_to_string(Some(&Cell::I8(-3))).unwrap(), "-3");
        assert_eq!(cell_to_string(Some(&Cell::I64(1 << 40))).unwrap(), "1099511627776");
        assert_eq!(cell_to_string(Some(&Cell::F64(1.0))).unwrap(), "1");
        assert_eq!(cell_to_string(Some(&Cell::F64(3.5))).unwrap(), "3.5");
        assert_eq!(cell_to_string(Some(&Cell::F64(f64::INFINITY))).unwrap(), "inf");
        assert_eq!(cell_to_string(Some(&Cell::F32(0.1))).unwrap(), "0.1");
        assert_eq!(cell_to_string(Some(&Cell::Numeric(2.50))).unwrap(), "2.5");
        assert_eq!(cell_to_string(Some(&Cell::String("it's".into()))).unwrap(), "'it's'");
        assert_eq!(
            cell_to_string(Some(&Cell::Json(r#"{"b": [1, true, null], "a": "x"}"#.into()))).unwrap(),
            r#"JsonB(Object {"a": String("x"), "b": Array [Number(1), Bool(true), Null]})"#
        );
        assert!(cell_to_string(Some(&Cell::Json("{".into()))).is_err());
        assert_eq!(
            cell_to_string(Some(&Cell::Uuid("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11".into()))).unwrap(),
            "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"
        );
        assert!(cell_to_string(Some(&Cell::Uuid("nope".into()))).is_err());
        assert!(cell_to_string(Some(&Cell::Other("x".into()))).is_err());
    }

    #[test]
    fn deparse() {
        let q = |op: &str, v: Value, use_or: bool| Qual {
            field: "id".into(),
            operator: op.into(),
            value: v,
            use_or,
            param: None,
        };
        assert_eq!(deparse_qual(&q("=", Value::Cell(Cell::I32(5)), false)).unwrap(), "id = 5");
        assert_eq!(deparse_qual(&q("~~", Value::Cell(Cell::String("a%".into())), false)).unwrap(), "id like 'a%'");
        assert_eq!(deparse_qual(&q("!~~", Value::Cell(Cell::String("a%".into())), false)).unwrap(), "id not like 'a%'");
        assert_eq!(deparse_qual(&q("is", Value::Cell(Cell::String("null".into())), false)).unwrap(), "id is null");
        assert_eq!(
            deparse_qual(&q("is not", Value::Cell(Cell::String("null".into())), false)).unwrap(),
            "id is not null"
        );
        assert_eq!(
            deparse_qual(&q("=", Value::Array(vec![Cell::I32(1), Cell::I32(2)]), true)).unwrap(),
            "id = 1 or id = 2"
        );
        assert!(deparse_qual(&q("<>", Value::Array(vec![Cell::I32(1)]), false)).is_err());
        let tm = || Value::Unsupported { reason: "convert cell failed: time".into(), text: "'12:00:00'".into() };
        assert_eq!(deparse_qual(&q("<", tm(), false)).unwrap(), "id < '12:00:00'");
        assert_eq!(deparse_qual(&q("~~", tm(), false)).unwrap(), "id like '12:00:00'");
        assert!(deparse_qual(&q("=", tm(), true)).is_err());
        let s = Sort { field: "name".into(), field_no: 2, reversed: true, nulls_first: true, collate: Some("C".into()) };
        assert_eq!(deparse_sort(&s), "name desc nulls first");
        assert_eq!(deparse_sort_with_collate(&s), "name desc nulls first collate C");
        assert_eq!(deparse_limit(&Limit { count: 10, offset: 5 }), "limit 10 offset 5");
    }

    #[test]
    fn jsonb_text() {
        assert_eq!(pg_jsonb(r#"{"bb":1,"a":[1,"x\n"],"c":null}"#).unwrap(), r#"{"a": [1, "x\n"], "c": null, "bb": 1}"#);
    }
}
