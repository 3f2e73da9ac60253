//! Row output: psql-like aligned tables and JSON lines.

use super::host::format::{
    date_from_secs, datetime_from_micros, iso_datetime, pg_date, pg_float4, pg_float8, pg_jsonb, pg_numeric,
    pg_timestamp, pg_timestamptz,
};
use super::host::{Cell, Column};

/// Postgres text output of `"char"`: the byte itself, or `\ooo` for non-printable bytes.
fn pg_char(v: i8) -> String {
    let b = v as u8;
    match b {
        0 => String::new(),
        32..=126 => (b as char).to_string(),
        _ => format!("\\{b:03o}"),
    }
}

/// The text Postgres (DateStyle ISO, TimeZone UTC) would print for a cell.
pub fn pg_text(cell: &Cell) -> String {
    match cell {
        Cell::Bool(b) => if *b { "t" } else { "f" }.to_string(),
        Cell::I8(v) => pg_char(*v),
        Cell::I16(v) => v.to_string(),
        Cell::I32(v) => v.to_string(),
        Cell::I64(v) => v.to_string(),
        Cell::F32(v) => pg_float4(*v),
        Cell::F64(v) => pg_float8(*v),
        Cell::Numeric(v) => pg_numeric(*v),
        Cell::String(s) | Cell::Other(s) => s.clone(),
        Cell::Date(secs) => date_from_secs(*secs).map(pg_date).unwrap_or_else(|| format!("<date {secs}>")),
        Cell::Timestamp(us) => datetime_from_micros(*us).map(pg_timestamp).unwrap_or_else(|| format!("<timestamp {us}>")),
        Cell::Timestamptz(us) => {
            datetime_from_micros(*us).map(pg_timestamptz).unwrap_or_else(|| format!("<timestamptz {us}>"))
        }
        Cell::Json(t) => pg_jsonb(t).unwrap_or_else(|_| t.clone()),
        Cell::Uuid(t) => uuid::Uuid::parse_str(t).map(|u| u.hyphenated().to_string()).unwrap_or_else(|_| t.clone()),
    }
}

fn is_numeric(cell: &Cell) -> bool {
    matches!(
        cell,
        Cell::I16(_) | Cell::I32(_) | Cell::I64(_) | Cell::F32(_) | Cell::F64(_) | Cell::Numeric(_)
    )
}

/// psql-style aligned table with a `(N rows)` footer.
pub fn table(columns: &[Column], rows: &[Vec<Option<Cell>>]) -> String {
    let texts: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| c.as_ref().map(pg_text).unwrap_or_default()).collect()).collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.name.chars().count()).collect();
    for r in &texts {
        for (i, t) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(t.chars().count());
            }
        }
    }
    let right: Vec<bool> = (0..columns.len())
        .map(|i| rows.iter().find_map(|r| r.get(i).and_then(|c| c.as_ref())).is_some_and(is_numeric))
        .collect();
    let mut out = String::new();
    let header: Vec<String> = columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| {
            let len = c.name.chars().count();
            let left = (w - len) / 2;
            format!("{}{}{}", " ".repeat(left), c.name, " ".repeat(w - len - left))
        })
        .collect();
    out.push_str(format!(" {} ", header.join(" | ")).trim_end());
    out.push('\n');
    let sep: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
    out.push_str(&sep.join("+"));
    out.push('\n');
    for r in &texts {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let w = widths.get(i).copied().unwrap_or(0);
                let pad = " ".repeat(w.saturating_sub(t.chars().count()));
                if right.get(i).copied().unwrap_or(false) {
                    format!("{pad}{t}")
                } else {
                    format!("{t}{pad}")
                }
            })
            .collect();
        out.push_str(format!(" {} ", cells.join(" | ")).trim_end());
        out.push('\n');
    }
    out.push_str(&if rows.len() == 1 { "(1 row)".to_string() } else { format!("({} rows)", rows.len()) });
    out.push('\n');
    out
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

fn json_number_or_string(text: String, finite: bool) -> String {
    if finite {
        text
    } else {
        json_string(&text)
    }
}

/// The JSON value of a cell for `--format json`.
pub fn json_value(cell: Option<&Cell>) -> String {
    let Some(cell) = cell else { return "null".into() };
    match cell {
        Cell::Bool(b) => b.to_string(),
        Cell::I8(v) => json_string(&pg_char(*v)),
        Cell::I16(v) => v.to_string(),
        Cell::I32(v) => v.to_string(),
        Cell::I64(v) => v.to_string(),
        Cell::F32(v) => json_number_or_string(pg_float4(*v), v.is_finite()),
        Cell::F64(v) => json_number_or_string(pg_float8(*v), v.is_finite()),
        Cell::Numeric(v) => json_number_or_string(pg_numeric(*v), v.is_finite()),
        Cell::String(s) | Cell::Other(s) => json_string(s),
        Cell::Date(secs) => match date_from_secs(*secs) {
            Some(d) => json_string(&d.format("%Y-%m-%d").to_string()),
            None => "null".into(),
        },
        Cell::Timestamp(us) => match datetime_from_micros(*us) {
            Some(dt) => json_string(&iso_datetime(dt)),
            None => "null".into(),
        },
        Cell::Timestamptz(us) => match datetime_from_micros(*us) {
            Some(dt) => json_string(&format!("{}Z", iso_datetime(dt))),
            None => "null".into(),
        },
        Cell::Json(t) => serde_json::from_str::<serde_json::Value>(t).map(|v| v.to_string()).unwrap_or_else(|_| json_string(t)),
        Cell::Uuid(t) => json_string(&uuid::Uuid::parse_str(t).map(|u| u.hyphenated().to_string()).unwrap_or_else(|_| t.clone())),
    }
}

/// One JSON object (keys in column order) for a row.
pub fn json_line(columns: &[Column], row: &[Option<Cell>]) -> String {
    let mut s = String::from("{");
    for (i, col) in columns.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&json_string(&col.name));
        s.push(':');
        s.push_str(&json_value(row.get(i).and_then(|c| c.as_ref())));
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::host::PgType;

    #[test]
    fn json_lines() {
        let cols = vec![
            Column::new("id", 1, PgType::Int8),
            Column::new("at", 2, PgType::Timestamptz),
            Column::new("ts", 3, PgType::Timestamp),
            Column::new("attrs", 4, PgType::Jsonb),
            Column::new("d", 5, PgType::Date),
            Column::new("n", 6, PgType::Numeric),
            Column::new("x", 7, PgType::Text),
        ];
        let row = vec![
            Some(Cell::I64(7)),
            Some(Cell::Timestamptz(1_705_314_600_000_000)),
            Some(Cell::Timestamp(1_705_314_600_000_123)),
            Some(Cell::Json(r#"{"a": [1, "x"]}"#.into())),
            Some(Cell::Date(1_705_276_800)),
            Some(Cell::Numeric(2.5)),
            None,
        ];
        assert_eq!(
            json_line(&cols, &row),
            r#"{"id":7,"at":"2024-01-15T10:30:00Z","ts":"2024-01-15T10:30:00.000123","attrs":{"a":[1,"x"]},"d":"2024-01-15","n":2.5,"x":null}"#
        );
        assert_eq!(json_value(Some(&Cell::F64(f64::NAN))), "\"NaN\"");
        assert_eq!(json_value(Some(&Cell::F32(0.1))), "0.1");
    }

    #[test]
    fn aligned_table() {
        let cols = vec![Column::new("id", 1, PgType::Int4), Column::new("name", 2, PgType::Text)];
        let rows = vec![vec![Some(Cell::I32(1)), Some(Cell::String("alice".into()))], vec![Some(Cell::I32(22)), None]];
        assert_eq!(table(&cols, &rows), " id | name\n----+-------\n  1 | alice\n 22 |\n(2 rows)\n");
        assert_eq!(table(&cols, &[]), " id | name\n----+------\n(0 rows)\n");
        assert_eq!(pg_text(&Cell::Timestamp(1_705_314_600_000_000)), "2024-01-15 10:30:00");
        assert_eq!(pg_text(&Cell::Bool(true)), "t");
    }
}
