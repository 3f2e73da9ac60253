//! Local evaluation of quals on returned rows, as Postgres re-checks WHERE clauses
//! (contract §3.6, §10 item 8). SQL NULL semantics: a comparison with NULL is not true.

use crate::types::{Cell, Qual, Value};
use std::cmp::Ordering;

fn as_int(c: &Cell) -> Option<i128> {
    Some(match c {
        Cell::I8(v) => i128::from(*v),
        Cell::I16(v) => i128::from(*v),
        Cell::I32(v) => i128::from(*v),
        Cell::I64(v) => i128::from(*v),
        _ => return None,
    })
}

fn as_float(c: &Cell) -> Option<f64> {
    Some(match c {
        Cell::F32(v) => f64::from(*v),
        Cell::F64(v) | Cell::Numeric(v) => *v,
        other => as_int(other)? as f64,
    })
}

/// Postgres float ordering: NaN equals NaN and sorts above every other value.
pub fn float_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

fn as_micros(c: &Cell) -> Option<i64> {
    match c {
        Cell::Date(secs) => secs.checked_mul(1_000_000),
        Cell::Timestamp(us) | Cell::Timestamptz(us) => Some(*us),
        _ => None,
    }
}

fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid json: {e}"))
}

fn parse_uuid(text: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(text).map_err(|e| format!("invalid uuid: {e}"))
}

/// Typed equality of two cells (numbers compare numerically across widths; json by value).
pub fn cells_equal(a: &Cell, b: &Cell) -> Result<bool, String> {
    match (a, b) {
        (Cell::Json(x), Cell::Json(y)) => Ok(parse_json(x)? == parse_json(y)?),
        _ => Ok(cells_cmp(a, b)? == Ordering::Equal),
    }
}

/// Typed ordering of two cells. Strings compare bytewise (collation "C"); json has no ordering here.
pub fn cells_cmp(a: &Cell, b: &Cell) -> Result<Ordering, String> {
    if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
        return Ok(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (as_float(a), as_float(b)) {
        return Ok(float_cmp(x, y));
    }
    if let (Some(x), Some(y)) = (as_micros(a), as_micros(b)) {
        return Ok(x.cmp(&y));
    }
    match (a, b) {
        (Cell::Bool(x), Cell::Bool(y)) => Ok(x.cmp(y)),
        (Cell::String(x), Cell::String(y)) => Ok(x.as_bytes().cmp(y.as_bytes())),
        (Cell::Uuid(x), Cell::Uuid(y)) => Ok(parse_uuid(x)?.as_bytes().cmp(parse_uuid(y)?.as_bytes())),
        (Cell::Json(_), Cell::Json(_)) => Err("ordering comparisons of jsonb values are not supported".into()),
        _ => Err(format!("cannot compare a `{}` cell with a `{}` cell", a.variant_name(), b.variant_name())),
    }
}

/// SQL LIKE: `%` matches any sequence, `_` one character, `\` escapes the next character.
/// With `case_insensitive` (ILIKE) both sides are lower-cased first.
pub fn like_match(text: &str, pattern: &str, case_insensitive: bool) -> bool {
    let (text, pattern) = if case_insensitive {
        (text.to_lowercase(), pattern.to_lowercase())
    } else {
        (text.to_string(), pattern.to_string())
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Any,
        One,
        Lit(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => toks.push(Tok::Any),
            '_' => toks.push(Tok::One),
            '\\' => match chars.next() {
                Some(n) => toks.push(Tok::Lit(n)),
                None => toks.push(Tok::Lit('\\')),
            },
            c => toks.push(Tok::Lit(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // iterative wildcard matching with backtracking to the last `%`
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < toks.len() && (toks[p] == Tok::One || toks[p] == Tok::Lit(text[t])) {
            t += 1;
            p += 1;
        } else if p < toks.len() && toks[p] == Tok::Any {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < toks.len() && toks[p] == Tok::Any {
        p += 1;
    }
    p == toks.len()
}

/// Apply a binary operator to a non-NULL cell and a constant.
pub fn apply_operator(op: &str, cell: &Cell, value: &Cell) -> Result<bool, String> {
    let like = |ci: bool| -> Result<bool, String> {
        match (cell, value) {
            (Cell::String(t), Cell::String(p)) => Ok(like_match(t, p, ci)),
            _ => Err(format!("operator {op} needs string operands")),
        }
    };
    Ok(match op {
        "=" => cells_equal(cell, value)?,
        "<>" | "!=" => !cells_equal(cell, value)?,
        "<" => cells_cmp(cell, value)? == Ordering::Less,
        "<=" => cells_cmp(cell, value)? != Ordering::Greater,
        ">" => cells_cmp(cell, value)? == Ordering::Greater,
        ">=" => cells_cmp(cell, value)? != Ordering::Less,
        "~~" => like(false)?,
        "!~~" => !like(false)?,
        "~~*" => like(true)?,
        "!~~*" => !like(true)?,
        other => return Err(format!("operator {other} is not supported by the local re-check")),
    })
}

/// Does a row's value satisfy a qual (with the column's value `cell`, `None` = SQL NULL)?
pub fn qual_matches(q: &Qual, cell: Option<&Cell>) -> Result<bool, String> {
    match (q.operator.as_str(), &q.value) {
        (op @ ("is" | "is not"), Value::Cell(v)) => {
            let is = match v {
                Cell::String(s) if s == "null" => cell.is_none(),
                Cell::Bool(b) => matches!(cell, Some(Cell::Bool(x)) if x == b),
                other => return Err(format!("unsupported IS operand `{}`", other.variant_name())),
            };
            Ok(if op == "is" { is } else { !is })
        }
        (op, Value::Cell(v)) => match cell {
            None => Ok(false),
            Some(c) => apply_operator(op, c, v),
        },
        (_, Value::Unsupported { reason, .. }) => Err(reason.clone()),
        (op, Value::Array(items)) => {
            let Some(c) = cell else { return Ok(false) };
            if q.use_or {
                for item in items {
                    if apply_operator(op, c, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            } else {
                for item in items {
                    if !apply_operator(op, c, item)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(op: &str, value: Value, use_or: bool) -> Qual {
        Qual { field: "c".into(), operator: op.into(), value, use_or, param: None }
    }

    #[test]
    fn like() {
        assert!(like_match("hello", "h%o", false));
        assert!(like_match("hello", "h_llo", false));
        assert!(!like_match("hello", "H%", false));
        assert!(like_match("hello", "H%", true));
        assert!(like_match("a_b", "a\\_b", false));
        assert!(!like_match("axb", "a\\_b", false));
        assert!(like_match("", "%", false));
        assert!(like_match("abcabc", "%abc", false));
        assert!(!like_match("abc", "abcd%", false));
        assert!(like_match("100%", "100\\%", false));
    }

    #[test]
    fn comparisons() {
        assert!(apply_operator("=", &Cell::I64(5), &Cell::I32(5)).unwrap());
        assert!(apply_operator("<", &Cell::I32(4), &Cell::Numeric(4.5)).unwrap());
        assert!(apply_operator(">", &Cell::F64(f64::NAN), &Cell::F64(1e300)).unwrap());
        assert!(apply_operator(">=", &Cell::Timestamptz(10), &Cell::Timestamptz(10)).unwrap());
        assert!(apply_operator("<", &Cell::Date(0), &Cell::Timestamp(1)).unwrap());
        assert!(apply_operator("=", &Cell::Json(r#"{"a":1,"b":2}"#.into()), &Cell::Json(r#"{"b":2, "a":1}"#.into())).unwrap());
        assert!(apply_operator("<", &Cell::Json("1".into()), &Cell::Json("2".into())).is_err());
        assert!(apply_operator(
            "=",
            &Cell::Uuid("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11".into()),
            &Cell::Uuid("a0eebc999c0b4ef8bb6d6bb9bd380a11".into())
        )
        .unwrap());
        assert!(apply_operator("=", &Cell::String("a".into()), &Cell::I32(1)).is_err());
    }

    #[test]
    fn null_semantics() {
        let eq = q("=", Value::Cell(Cell::I32(1)), false);
        assert!(!qual_matches(&eq, None).unwrap());
        let ne = q("<>", Value::Cell(Cell::I32(1)), false);
        assert!(!qual_matches(&ne, None).unwrap());
        let isnull = q("is", Value::Cell(Cell::String("null".into())), false);
        assert!(qual_matches(&isnull, None).unwrap());
        assert!(!qual_matches(&isnull, Some(&Cell::I32(1))).unwrap());
        let notnull = q("is not", Value::Cell(Cell::String("null".into())), false);
        assert!(qual_matches(&notnull, Some(&Cell::I32(1))).unwrap());
        let inlist = q("=", Value::Array(vec![Cell::I32(1), Cell::I32(2)]), true);
        assert!(qual_matches(&inlist, Some(&Cell::I32(2))).unwrap());
        assert!(!qual_matches(&inlist, Some(&Cell::I32(3))).unwrap());
        assert!(!qual_matches(&inlist, None).unwrap());
        let notin = q("<>", Value::Array(vec![Cell::I32(1), Cell::I32(2)]), false);
        assert!(qual_matches(&notin, Some(&Cell::I32(3))).unwrap());
        assert!(!qual_matches(&notin, Some(&Cell::I32(1))).unwrap());
        assert!(!qual_matches(&notin, None).unwrap());
    }
}
