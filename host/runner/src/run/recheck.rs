//! The local re-check of `--where` on the guest's rows, as Postgres evaluates the condition:
//! with the operator Postgres resolved (so `bigint_col = 7` compares as int8 = int4, and
//! `int_col = 1.5` casts the column to numeric), SQL NULL semantics (a condition that is NULL
//! drops the row), and the `const op col` order as written (the qual the guest sees keeps the
//! operator name but not the order). Text compares bytewise (collation "C").

use super::decimal::Dec;
use super::host::eval::float_cmp;
use super::host::Cell;
use super::literal::{cast, from_cell, Datum, Typed};
use super::sqltype::SqlType;
use std::cmp::Ordering;

/// A condition on one column, evaluated per row.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `col op value` (or `value op col` when `swapped`); the column is cast to `col_ty` first.
    Binary { op: String, col_ty: SqlType, value: Typed, swapped: bool },
    /// `col op ANY (values)` / `col op ALL (values)`; `None` elements are SQL NULLs.
    Array { op: String, col_ty: SqlType, values: Vec<Option<Typed>>, any: bool },
    /// `col IS [NOT] NULL`.
    IsNull { negated: bool },
    /// `col IS [NOT] TRUE|FALSE`.
    IsBool { value: bool, negated: bool },
    /// A boolean column as a condition (`flag`, `NOT flag`).
    BoolColumn { value: bool },
    /// A constant condition (`col = NULL` is NULL).
    Const(Option<bool>),
    And(Vec<Check>),
    Or(Vec<Check>),
    Not(Box<Check>),
}

impl Check {
    /// SQL three-valued result for a row whose column holds `cell` (`None` = NULL) of type `ty`.
    pub fn eval(&self, cell: Option<&Cell>, ty: SqlType) -> Result<Option<bool>, String> {
        let value = |c: &Cell| from_cell(c, ty);
        Ok(match self {
            Check::IsNull { negated } => Some(cell.is_none() != *negated),
            Check::IsBool { value: want, negated } => {
                let is = matches!(cell, Some(Cell::Bool(b)) if b == want);
                Some(is != *negated)
            }
            Check::BoolColumn { value: want } => match cell {
                None => None,
                Some(Cell::Bool(b)) => Some(b == want),
                Some(other) => return Err(format!("a `{}` cell in a boolean column", other.variant_name())),
            },
            Check::Binary { op, col_ty, value: v, swapped } => match cell {
                None => None,
                Some(c) => {
                    let col = cast(&value(c)?, *col_ty)?;
                    Some(if *swapped { apply(op, v, &col)? } else { apply(op, &col, v)? })
                }
            },
            Check::Array { op, col_ty, values, any } => match cell {
                None => None,
                Some(c) => {
                    let col = cast(&value(c)?, *col_ty)?;
                    // ANY: true if one is true, else NULL if one is NULL; ALL: the converse
                    let mut saw_null = false;
                    for v in values {
                        match v {
                            None => saw_null = true,
                            Some(v) => {
                                if apply(op, &col, v)? == *any {
                                    return Ok(Some(*any));
                                }
                            }
                        }
                    }
                    if saw_null {
                        None
                    } else {
                        Some(!*any)
                    }
                }
            },
            Check::And(parts) => {
                let mut result = Some(true);
                for p in parts {
                    match p.eval(cell, ty)? {
                        Some(false) => return Ok(Some(false)),
                        None => result = None,
                        Some(true) => {}
                    }
                }
                result
            }
            Check::Or(parts) => {
                let mut result = Some(false);
                for p in parts {
                    match p.eval(cell, ty)? {
                        Some(true) => return Ok(Some(true)),
                        None => result = None,
                        Some(false) => {}
                    }
                }
                result
            }
            Check::Not(inner) => inner.eval(cell, ty)?.map(|b| !b),
            Check::Const(v) => *v,
        })
    }
}

/// Apply a binary operator to two non-NULL values of the operator's operand types.
pub fn apply(op: &str, l: &Typed, r: &Typed) -> Result<bool, String> {
    let text = |t: &Typed| match &t.datum {
        Datum::Text(s) => Ok(s.clone()),
        other => Err(format!("operator {op} needs text operands, not {other:?}")),
    };
    let json = |t: &Typed| match &t.datum {
        Datum::Json(j) => Ok(j.clone()),
        other => Err(format!("operator {op} needs jsonb operands, not {other:?}")),
    };
    Ok(match op {
        "=" => compare(l, r)? == Ordering::Equal,
        "<>" => compare(l, r)? != Ordering::Equal,
        "<" => compare(l, r)? == Ordering::Less,
        "<=" => compare(l, r)? != Ordering::Greater,
        ">" => compare(l, r)? == Ordering::Greater,
        ">=" => compare(l, r)? != Ordering::Less,
        "~~" => super::host::eval::like_match(&text(l)?, &text(r)?, false),
        "!~~" => !super::host::eval::like_match(&text(l)?, &text(r)?, false),
        "~~*" => super::host::eval::like_match(&text(l)?, &text(r)?, true),
        "!~~*" => !super::host::eval::like_match(&text(l)?, &text(r)?, true),
        "@>" => json_contains(&json(l)?, &json(r)?, true),
        "<@" => json_contains(&json(r)?, &json(l)?, true),
        "?" => json_exists(&json(l)?, &text(r)?),
        other => return Err(format!("operator {other} is not supported by the local re-check")),
    })
}

fn micros(d: &Datum) -> Option<i64> {
    match d {
        Datum::Date(days) => days.checked_mul(86_400_000_000),
        Datum::Micros(us) => Some(*us),
        _ => None,
    }
}

/// Ordering of two values of one operator family (both sides already of the operator's types).
pub fn compare(l: &Typed, r: &Typed) -> Result<Ordering, String> {
    Ok(match (&l.datum, &r.datum) {
        (Datum::Int(a), Datum::Int(b)) => a.cmp(b),
        (Datum::Float(a), Datum::Float(b)) => float_cmp(*a, *b),
        (Datum::Numeric(a), Datum::Numeric(b)) => a.cmp(b),
        (Datum::Text(a), Datum::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
        (Datum::Bool(a), Datum::Bool(b)) => a.cmp(b),
        // "char" compares as an unsigned byte
        (Datum::Char(a), Datum::Char(b)) => a.cmp(b),
        (Datum::Uuid(a), Datum::Uuid(b)) => a.cmp(b),
        (Datum::Json(a), Datum::Json(b)) => jsonb_cmp(a, b),
        (a, b) => match (micros(a), micros(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => return Err(format!("cannot compare {} with {}", l.ty.pg_name(), r.ty.pg_name())),
        },
    })
}

use serde_json::Value as J;

fn json_num(n: &serde_json::Number) -> Dec {
    Dec::parse(&n.to_string()).unwrap_or(Dec::NaN)
}

/// jsonb's type order inside containers: null < string < number < boolean < array < object.
fn jsonb_rank(v: &J) -> u8 {
    match v {
        J::Null => 0,
        J::String(_) => 1,
        J::Number(_) => 2,
        J::Bool(_) => 3,
        J::Array(_) => 4,
        J::Object(_) => 5,
    }
}

/// Object keys in jsonb's storage order: shorter first, then bytewise.
fn jsonb_keys(m: &serde_json::Map<String, J>) -> Vec<&String> {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes())));
    keys
}

/// Comparison of values inside containers (and of two top-level scalars).
fn jsonb_cmp_inner(a: &J, b: &J) -> Ordering {
    let (ra, rb) = (jsonb_rank(a), jsonb_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (J::String(x), J::String(y)) => x.as_bytes().cmp(y.as_bytes()),
        (J::Number(x), J::Number(y)) => json_num(x).cmp(&json_num(y)),
        (J::Bool(x), J::Bool(y)) => x.cmp(y),
        (J::Array(x), J::Array(y)) => x.len().cmp(&y.len()).then_with(|| {
            x.iter().zip(y).map(|(p, q)| jsonb_cmp_inner(p, q)).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
        }),
        (J::Object(x), J::Object(y)) => x.len().cmp(&y.len()).then_with(|| {
            for (kx, ky) in jsonb_keys(x).into_iter().zip(jsonb_keys(y)) {
                let o = kx.as_bytes().cmp(ky.as_bytes());
                if o.is_ne() {
                    return o;
                }
                let o = match (x.get(kx), y.get(ky)) {
                    (Some(p), Some(q)) => jsonb_cmp_inner(p, q),
                    _ => Ordering::Equal,
                };
                if o.is_ne() {
                    return o;
                }
            }
            Ordering::Equal
        }),
        _ => Ordering::Equal,
    }
}

/// jsonb's btree ordering (`compareJsonbContainers`): objects above arrays above scalars, a
/// top-level scalar counting as an array of one element, so an empty array sorts below every
/// scalar (a documented Postgres anomaly).
pub fn jsonb_cmp(a: &J, b: &J) -> Ordering {
    match (a, b) {
        (J::Object(_), J::Object(_)) => jsonb_cmp_inner(a, b),
        (J::Object(_), _) => Ordering::Greater,
        (_, J::Object(_)) => Ordering::Less,
        _ => {
            let shape = |v: &J| match v {
                J::Array(items) => (false, items.len()),
                _ => (true, 1),
            };
            let ((sa, na), (sb, nb)) = (shape(a), shape(b));
            let mut res = Ordering::Equal;
            if sa != sb {
                res = if sa { Ordering::Less } else { Ordering::Greater };
            }
            if na != nb {
                res = na.cmp(&nb);
            }
            if res.is_ne() {
                return res;
            }
            match (a, b) {
                (J::Array(x), J::Array(y)) => {
                    x.iter().zip(y).map(|(p, q)| jsonb_cmp_inner(p, q)).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
                }
                _ => jsonb_cmp_inner(a, b),
            }
        }
    }
}

fn json_scalar_eq(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Array(_) | J::Object(_), _) | (_, J::Array(_) | J::Object(_)) => false,
        _ => jsonb_cmp_inner(a, b).is_eq(),
    }
}

/// jsonb `@>`: does `a` contain `b`? At the top level an array contains a scalar it holds.
pub fn json_contains(a: &J, b: &J, top: bool) -> bool {
    match (a, b) {
        (J::Object(x), J::Object(y)) => {
            y.len() <= x.len()
                && y.iter().all(|(k, vb)| match x.get(k) {
                    None => false,
                    Some(va) => match vb {
                        J::Array(_) | J::Object(_) => json_contains(va, vb, false),
                        _ => json_scalar_eq(va, vb),
                    },
                })
        }
        (J::Array(x), J::Array(y)) => y.iter().all(|e| match e {
            J::Array(_) | J::Object(_) => x.iter().any(|c| std::mem::discriminant(c) == std::mem::discriminant(e) && json_contains(c, e, false)),
            _ => x.iter().any(|c| json_scalar_eq(c, e)),
        }),
        (J::Array(x), scalar) if top && !matches!(scalar, J::Object(_)) => x.iter().any(|c| json_scalar_eq(c, scalar)),
        (J::Array(_) | J::Object(_), _) | (_, J::Array(_) | J::Object(_)) => false,
        _ => top && json_scalar_eq(a, b),
    }
}

/// jsonb `?`: a top-level key, or a string among the top-level array elements (or the scalar).
pub fn json_exists(a: &J, key: &str) -> bool {
    match a {
        J::Object(m) => m.contains_key(key),
        J::Array(items) => items.iter().any(|e| matches!(e, J::String(s) if s == key)),
        J::String(s) => s == key,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> J {
        serde_json::from_str(s).unwrap_or(J::Null)
    }

    #[test]
    fn jsonb_ordering() {
        assert_eq!(jsonb_cmp(&j("[]"), &j("null")), Ordering::Less);
        assert_eq!(jsonb_cmp(&j("1"), &j("[5]")), Ordering::Less);
        assert_eq!(jsonb_cmp(&j("true"), &j("1")), Ordering::Greater);
        assert_eq!(jsonb_cmp(&j("\"x\""), &j("1")), Ordering::Less);
        assert_eq!(jsonb_cmp(&j("{\"a\":1}"), &j("[1,2]")), Ordering::Greater);
        assert_eq!(jsonb_cmp(&j("{\"a\":1,\"b\":2}"), &j("{\"a\":1}")), Ordering::Greater);
        assert_eq!(jsonb_cmp(&j("1.0"), &j("1")), Ordering::Equal);
    }

    #[test]
    fn jsonb_containment() {
        assert!(json_contains(&j(r#"{"a":1,"b":[1,2]}"#), &j(r#"{"b":[2]}"#), true));
        assert!(!json_contains(&j(r#"{"a":1}"#), &j(r#"{"a":1,"b":2}"#), true));
        assert!(json_contains(&j("[1,2]"), &j("1"), true));
        assert!(!json_contains(&j(r#"{"a":[1,2]}"#), &j(r#"{"a":1}"#), true));
        assert!(!json_contains(&j("1"), &j("[1]"), true));
        assert!(json_exists(&j(r#"{"a":1}"#), "a"));
        assert!(json_exists(&j(r#"["a"]"#), "a"));
        assert!(!json_exists(&j("[1]"), "1"));
    }

    #[test]
    fn three_valued_logic() {
        let seven = Typed::new(SqlType::Int4, Datum::Int(7));
        let eq = Check::Binary { op: "=".into(), col_ty: SqlType::Int8, value: seven.clone(), swapped: false };
        assert_eq!(eq.eval(Some(&Cell::I64(7)), SqlType::Int8), Ok(Some(true)));
        assert_eq!(eq.eval(None, SqlType::Int8), Ok(None));
        let lt = Check::Binary { op: "<".into(), col_ty: SqlType::Int8, value: seven.clone(), swapped: true };
        assert_eq!(lt.eval(Some(&Cell::I64(8)), SqlType::Int8), Ok(Some(true)));
        let not_in = Check::Array { op: "<>".into(), col_ty: SqlType::Int8, values: vec![Some(seven), None], any: false };
        assert_eq!(not_in.eval(Some(&Cell::I64(8)), SqlType::Int8), Ok(None));
        assert_eq!(not_in.eval(Some(&Cell::I64(7)), SqlType::Int8), Ok(Some(false)));
        let ch = Check::Binary { op: ">".into(), col_ty: SqlType::Char, value: Typed::new(SqlType::Char, Datum::Char(b'x')), swapped: false };
        assert_eq!(ch.eval(Some(&Cell::I8(-56)), SqlType::Char), Ok(Some(true)));
    }
}
