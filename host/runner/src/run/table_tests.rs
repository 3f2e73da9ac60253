//! The runner's `--where` against the qual parity table (test/fixtures/quals/cases.json, recorded
//! from Postgres): for every case, the quals the guest would receive (tags and values, in order),
//! or that nothing is pushed down, or the error. The rows are checked end to end by
//! test/quals-parity.test.ts.

use super::filter::{guest_quals, parse_condition};
use super::host::{Cell, Column, PgType, Value};
use serde_json::Value as J;

const TABLE: &str = include_str!("../../../../test/fixtures/quals/cases.json");

/// `tag:value` as the fixture prints a cell (JavaScript's String() of the value).
fn matches_cell(want: &str, cell: &Cell) -> bool {
    let Some((tag, text)) = want.split_once(':') else { return false };
    let num = |v: f64| text.parse::<f64>().is_ok_and(|w| w == v || (w.is_nan() && v.is_nan()));
    match cell {
        Cell::Bool(b) => tag == "bool" && text == b.to_string(),
        Cell::I8(v) => tag == "i8" && num(f64::from(*v)),
        Cell::I16(v) => tag == "i16" && num(f64::from(*v)),
        Cell::I32(v) => tag == "i32" && num(f64::from(*v)),
        // s64 reaches JS as a number: compare as the guest sees it
        Cell::I64(v) => tag == "i64" && num(*v as f64),
        Cell::F32(v) => tag == "f32" && num(f64::from(*v)),
        Cell::F64(v) => tag == "f64" && num(*v),
        Cell::Numeric(v) => tag == "numeric" && num(*v),
        Cell::Date(v) => tag == "date" && num(*v as f64),
        Cell::Timestamp(v) => tag == "timestamp" && num(*v as f64),
        Cell::Timestamptz(v) => tag == "timestamptz" && num(*v as f64),
        Cell::String(s) => tag == "string" && text == s,
        Cell::Json(s) => tag == "json" && text == s,
        Cell::Uuid(s) => tag == "uuid" && text == s,
        Cell::Other(_) => false,
    }
}

fn strs(v: &J) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

#[test]
fn every_case_of_the_parity_table() {
    let table: J = serde_json::from_str(TABLE).unwrap_or(J::Null);
    let cases = table["cases"].as_array().cloned().unwrap_or_default();
    assert!(cases.len() > 200, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let ty = case["type"].as_str().unwrap_or("");
        let where_ = case["where"].as_str().unwrap_or("");
        let columns = vec![Column::new("k", 1, PgType::Int4), Column::new("c", 2, PgType::parse(if ty == "char" { "\"char\"" } else { ty }))];
        let label = format!("{ty}: where {where_}");
        let parsed = parse_condition(where_, &columns);
        let want_error = case["runner"]["error"].as_str().or(case["error"].as_str());
        match (want_error, parsed) {
            (Some(want), Err(e)) if e.contains(want) => {}
            (Some(want), Err(e)) => failures.push(format!("{label}: error {e:?} does not contain {want:?}")),
            // a qual whose value the host cannot pass: listed, and value() fails with that error
            (Some(want), Ok(conditions))
                if guest_quals(&conditions).iter().any(|q| matches!(&q.value, Value::Unsupported { reason, .. } if reason.contains(want))) => {}
            (Some(want), Ok(_)) => failures.push(format!("{label}: parsed, but Postgres says {want:?}")),
            (None, Err(e)) => failures.push(format!("{label}: {e}")),
            (None, Ok(conditions)) => {
                let quals = guest_quals(&conditions);
                let want = case["quals"].as_array().cloned().unwrap_or_default();
                if quals.len() != want.len() {
                    failures.push(format!("{label}: {} quals, the table has {}: {quals:?}", quals.len(), want.len()));
                    continue;
                }
                for (q, w) in quals.iter().zip(&want) {
                    let ok_head = q.field == w["field"].as_str().unwrap_or("") && q.operator == w["op"].as_str().unwrap_or("");
                    let ok_value = match (&q.value, w["value"].as_str()) {
                        (Value::Cell(c), Some(v)) => matches_cell(v, c),
                        (Value::Array(items), None) => {
                            let (list, use_or) = if w["any"].is_array() { (strs(&w["any"]), true) } else { (strs(&w["all"]), false) };
                            q.use_or == use_or && items.len() == list.len() && items.iter().zip(&list).all(|(c, v)| matches_cell(v, c))
                        }
                        _ => false,
                    };
                    if !(ok_head && ok_value) {
                        failures.push(format!("{label}: got {q:?}, the table has {w}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
