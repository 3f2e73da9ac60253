//! Coercion of literals (from `--where`, `--values`, `--rowid`) to cells of a column's type,
//! as Postgres coerces an untyped literal to the column type.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use super::host::{Cell, Column, PgType};

/// A literal as written on the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// A single-quoted SQL string.
    Str(String),
    /// A numeric token, kept as text.
    Num(String),
    Bool(bool),
}

impl Lit {
    pub fn describe(&self) -> String {
        match self {
            Lit::Str(s) => format!("'{s}'"),
            Lit::Num(n) => n.clone(),
            Lit::Bool(b) => b.to_string(),
        }
    }
}

fn parse_pg_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

fn parse_int(s: &str, ty: &str) -> Result<i64, String> {
    s.trim().parse::<i64>().map_err(|_| format!("invalid input syntax for type {ty}: \"{s}\""))
}

fn parse_float(s: &str, ty: &str) -> Result<f64, String> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "nan" => return Ok(f64::NAN),
        "infinity" | "inf" | "+infinity" | "+inf" => return Ok(f64::INFINITY),
        "-infinity" | "-inf" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    t.parse::<f64>().map_err(|_| format!("invalid input syntax for type {ty}: \"{s}\""))
}

/// Parse a zone suffix: `Z`, `+HH`, `+HH:MM`, `+HHMM` (also `-`). Returns the offset in seconds.
fn parse_zone(z: &str) -> Option<i32> {
    let z = z.trim();
    if z.eq_ignore_ascii_case("z") || z.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m, s) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0, 0),
        4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?, 0),
        6 => (digits[..2].parse::<i32>().ok()?, digits[2..4].parse::<i32>().ok()?, digits[4..].parse::<i32>().ok()?),
        _ => return None,
    };
    Some(sign * (h * 3600 + m * 60 + s))
}

/// Parse a date/time literal: `YYYY-MM-DD`, optionally followed by ` ` or `T` and
/// `HH:MM[:SS[.ffffff]]`, optionally followed by a zone. Returns the wall-clock value and the
/// zone offset if one was given.
pub fn parse_datetime(s: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let s = s.trim();
    if s.len() < 10 {
        return None;
    }
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = s.get(10..)?.trim_start_matches([' ', 'T', 't']);
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    // split time from zone at the first +, - or Z after the time
    let zpos = rest.find(['+', '-', 'Z', 'z']).or_else(|| rest.find(' '));
    let (time_part, zone_part) = match zpos {
        Some(p) => (rest[..p].trim(), Some(rest[p..].trim())),
        None => (rest.trim(), None),
    };
    let time = if time_part.is_empty() {
        NaiveTime::MIN
    } else {
        NaiveTime::parse_from_str(time_part, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(time_part, "%H:%M"))
            .ok()?
    };
    let zone = match zone_part {
        Some(z) if !z.is_empty() => Some(parse_zone(z)?),
        _ => None,
    };
    Some((date.and_time(time), zone))
}

fn to_micros(dt: NaiveDateTime, zone: Option<i32>) -> Option<i64> {
    match zone {
        None => Some(Utc.from_utc_datetime(&dt).timestamp_micros()),
        Some(off) => {
            let fo = FixedOffset::east_opt(off)?;
            let local: DateTime<FixedOffset> = fo.from_local_datetime(&dt).single()?;
            Some(local.timestamp_micros())
        }
    }
}

/// Coerce a literal to a cell of the column's type.
pub fn coerce(lit: &Lit, col: &Column) -> Result<Cell, String> {
    let bad = |why: String| format!("cannot use {} for column `{}` ({}): {why}", lit.describe(), col.name, col.pg_type);
    let text = match lit {
        Lit::Str(s) | Lit::Num(s) => Some(s.as_str()),
        Lit::Bool(_) => None,
    };
    match &col.pg_type {
        PgType::Bool => match lit {
            Lit::Bool(b) => Ok(Cell::Bool(*b)),
            Lit::Str(s) => parse_pg_bool(s)
                .map(Cell::Bool)
                .ok_or_else(|| bad(format!("invalid input syntax for type boolean: \"{s}\""))),
            Lit::Num(_) => Err(bad("a number is not a boolean".into())),
        },
        PgType::Char => match lit {
            Lit::Str(s) => Ok(Cell::I8(s.as_bytes().first().map(|b| *b as i8).unwrap_or(0))),
            _ => Err(bad("\"char\" needs a quoted string".into())),
        },
        PgType::Int2 | PgType::Int4 | PgType::Int8 => {
            let t = text.ok_or_else(|| bad("not an integer".into()))?;
            let ty = col.pg_type.to_string();
            let v = parse_int(t, &ty).map_err(bad)?;
            match col.pg_type {
                PgType::Int2 => i16::try_from(v).map(Cell::I16).map_err(|_| bad("smallint out of range".into())),
                PgType::Int4 => i32::try_from(v).map(Cell::I32).map_err(|_| bad("integer out of range".into())),
                _ => Ok(Cell::I64(v)),
            }
        }
        PgType::Float4 | PgType::Float8 | PgType::Numeric => {
            let t = text.ok_or_else(|| bad("not a number".into()))?;
            let ty = col.pg_type.to_string();
            let v = parse_float(t, &ty).map_err(bad)?;
            Ok(match col.pg_type {
                PgType::Float4 => Cell::F32(v as f32),
                PgType::Float8 => Cell::F64(v),
                _ => Cell::Numeric(v),
            })
        }
        PgType::Text => match lit {
            Lit::Str(s) | Lit::Num(s) => Ok(Cell::String(s.clone())),
            Lit::Bool(_) => Err(bad("a boolean is not text".into())),
        },
        PgType::Date => {
            let t = match lit {
                Lit::Str(s) => s,
                _ => return Err(bad("a date needs a quoted string".into())),
            };
            let (dt, _) = parse_datetime(t).ok_or_else(|| bad(format!("invalid input syntax for type date: \"{t}\"")))?;
            let secs = Utc.from_utc_datetime(&dt.date().and_time(NaiveTime::MIN)).timestamp();
            Ok(Cell::Date(secs))
        }
        PgType::Timestamp | PgType::Timestamptz => {
            let t = match lit {
                Lit::Str(s) => s,
                _ => return Err(bad("a timestamp needs a quoted string".into())),
            };
            let (dt, zone) =
                parse_datetime(t).ok_or_else(|| bad(format!("invalid input syntax for type {}: \"{t}\"", col.pg_type)))?;
            if col.pg_type == PgType::Timestamp {
                // like Postgres, a zone in a timestamp (without time zone) literal is ignored
                to_micros(dt, None).map(Cell::Timestamp).ok_or_else(|| bad("out of range".into()))
            } else {
                to_micros(dt, zone).map(Cell::Timestamptz).ok_or_else(|| bad("out of range".into()))
            }
        }
        PgType::Jsonb => match lit {
            Lit::Str(s) => {
                let v: serde_json::Value =
                    serde_json::from_str(s).map_err(|e| bad(format!("invalid input syntax for type json: {e}")))?;
                Ok(Cell::Json(v.to_string()))
            }
            Lit::Num(n) => {
                let v: serde_json::Value = serde_json::from_str(n).map_err(|e| bad(format!("invalid json number: {e}")))?;
                Ok(Cell::Json(v.to_string()))
            }
            Lit::Bool(b) => Ok(Cell::Json(b.to_string())),
        },
        PgType::Uuid => match lit {
            Lit::Str(s) => uuid::Uuid::parse_str(s.trim())
                .map(|u| Cell::Uuid(u.hyphenated().to_string()))
                .map_err(|_| bad(format!("invalid input syntax for type uuid: \"{s}\""))),
            _ => Err(bad("a uuid needs a quoted string".into())),
        },
        t @ PgType::Unsupported(_) if t.is_text_like() => match lit {
            Lit::Str(s) | Lit::Num(s) => Ok(Cell::String(s.clone())),
            Lit::Bool(_) => Err(bad("a boolean is not text".into())),
        },
        PgType::Unsupported(_) => Err(bad("the column type is not supported by the host".into())),
    }
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
    // JSON numbers are fine for text columns; JSON strings are fine for numeric columns.
    coerce(&lit, col).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(t: &str) -> Column {
        Column::new("c", 1, PgType::parse(t))
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
        let j: serde_json::Value = serde_json::from_str(r#"{"a":[1,2]}"#).unwrap();
        assert_eq!(json_to_cell(&j, &col("jsonb")), Ok(Some(Cell::Json(r#"{"a":[1,2]}"#.into()))));
        assert_eq!(json_to_cell(&serde_json::json!(3), &col("int4")), Ok(Some(Cell::I32(3))));
        assert_eq!(json_to_cell(&serde_json::json!(null), &col("int4")), Ok(None));
        assert_eq!(json_to_cell(&serde_json::json!("2024-01-15"), &col("date")), Ok(Some(Cell::Date(1_705_276_800))));
        assert!(json_to_cell(&serde_json::json!([1]), &col("int4")).is_err());
    }
}
