//! `--where` parsing into quals (contract §3.6) plus the local re-check.
//!
//! Grammar: `col op value` (op ∈ `=`, `<>`, `!=`, `<`, `<=`, `>`, `>=`, `like`, `not like`,
//! `ilike`, `not ilike`), `col [not] in (v1, v2, …)`, `col is [not] null`, `col is [not] true|false`.
//! Values: a single-quoted SQL string (`''` escapes a quote), a number, `true`/`false`.

use super::literal::{coerce, Lit};
use super::host::{Cell, Column, PgType, Qual, Value};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    QuotedIdent(String),
    Str(String),
    Num(String),
    Op(String),
    LParen,
    RParen,
    Comma,
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut v = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("unterminated string literal".into()),
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        v.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        v.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(v));
        } else if c == '"' {
            let mut v = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("unterminated quoted identifier".into()),
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        v.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        v.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Tok::QuotedIdent(v));
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else if c == ',' {
            out.push(Tok::Comma);
            i += 1;
        } else if "=<>!".contains(c) {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["<=", ">=", "<>", "!="].contains(&two.as_str()) {
                out.push(Tok::Op(two));
                i += 2;
            } else if c == '!' {
                return Err("unexpected '!'".into());
            } else {
                out.push(Tok::Op(c.to_string()));
                i += 1;
            }
        } else if c.is_ascii_digit() || ((c == '-' || c == '+' || c == '.') && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == '.')) {
            let start = i;
            i += 1;
            while i < chars.len() {
                let ch = chars[i];
                let prev = chars[i - 1];
                if ch.is_ascii_digit() || ch == '.' || ch == 'e' || ch == 'E' || ((ch == '-' || ch == '+') && (prev == 'e' || prev == 'E')) {
                    i += 1;
                } else {
                    break;
                }
            }
            let n: String = chars[start..i].iter().collect();
            if n.parse::<f64>().is_err() {
                return Err(format!("invalid number {n}"));
            }
            out.push(Tok::Num(n.trim_start_matches('+').to_string()));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$' || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            return Err(format!("unexpected character '{c}'"));
        }
    }
    Ok(out)
}

/// One parsed `--where` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The original text (for messages).
    pub text: String,
    /// Index of the column in the `--column` list.
    pub column: usize,
    /// The qual as the guest sees it (and as the re-check evaluates it).
    pub qual: Qual,
    /// False when Supabase would not push this condition down (array of an element type
    /// it does not accept); it is still re-checked locally.
    pub pushed: bool,
}

fn is_kw(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Ident(s)) if s.eq_ignore_ascii_case(kw))
}

fn find_column(columns: &[Column], tok: &Tok) -> Result<usize, String> {
    let (name, quoted) = match tok {
        Tok::Ident(s) => (s.as_str(), false),
        Tok::QuotedIdent(s) => (s.as_str(), true),
        _ => return Err("expected a column name".into()),
    };
    if let Some(i) = columns.iter().position(|c| c.name == name) {
        return Ok(i);
    }
    if !quoted {
        // Postgres folds unquoted identifiers to lower case
        let folded = name.to_lowercase();
        if let Some(i) = columns.iter().position(|c| c.name == folded) {
            return Ok(i);
        }
    }
    Err(format!("column `{name}` is not among the --column list"))
}

fn parse_value(tok: Option<&Tok>) -> Result<Lit, String> {
    match tok {
        Some(Tok::Str(s)) => Ok(Lit::Str(s.clone())),
        Some(Tok::Num(n)) => Ok(Lit::Num(n.clone())),
        Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("true") => Ok(Lit::Bool(true)),
        Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("false") => Ok(Lit::Bool(false)),
        Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("null") => {
            Err("comparison with NULL is never true: use `is null` / `is not null`".into())
        }
        Some(t) => Err(format!("expected a value (quoted string, number, true/false), found {t:?}")),
        None => Err("expected a value".into()),
    }
}

fn check_like_column(col: &Column) -> Result<(), String> {
    if col.pg_type.is_text_like() {
        Ok(())
    } else {
        Err(format!("LIKE/ILIKE needs a text column; `{}` is {}", col.name, col.pg_type))
    }
}

fn check_operator(col: &Column, op: &str) -> Result<(), String> {
    if col.pg_type == PgType::Jsonb && !matches!(op, "=" | "<>") {
        return Err(format!("operator {op} on jsonb column `{}` is not supported (only = and <>)", col.name));
    }
    Ok(())
}

/// Array element types Supabase accepts for IN / NOT IN pushdown.
fn array_pushable(t: &PgType) -> bool {
    matches!(
        t,
        PgType::Bool
            | PgType::Char
            | PgType::Int2
            | PgType::Float4
            | PgType::Int4
            | PgType::Float8
            | PgType::Int8
            | PgType::Text
            | PgType::Date
            | PgType::Timestamp
            | PgType::Jsonb
    ) || t.is_text_like()
}

/// Parse one `--where` condition against the `--column` list.
pub fn parse_condition(text: &str, columns: &[Column]) -> Result<Condition, String> {
    let err = |m: String| format!("invalid --where \"{text}\": {m}");
    let toks = tokenize(text).map_err(err)?;
    let first = toks.first().ok_or_else(|| err("empty condition".into()))?;
    let ci = find_column(columns, first).map_err(err)?;
    let col = &columns[ci];
    let field = col.name.clone();
    let mut pos = 1;
    let mut negate = false;
    if is_kw(toks.get(pos), "not") {
        negate = true;
        pos += 1;
    }
    let mk = |operator: &str, value: Value, use_or: bool| Qual {
        field: field.clone(),
        operator: operator.to_string(),
        value,
        use_or,
        param: None,
    };
    let (qual, end, pushed) = match toks.get(pos) {
        Some(Tok::Ident(kw)) if kw.eq_ignore_ascii_case("like") || kw.eq_ignore_ascii_case("ilike") => {
            check_like_column(col).map_err(err)?;
            let ci_like = kw.eq_ignore_ascii_case("ilike");
            let lit = parse_value(toks.get(pos + 1)).map_err(err)?;
            let cell = match lit {
                Lit::Str(s) => Cell::String(s),
                other => return Err(err(format!("LIKE needs a quoted pattern, got {}", other.describe()))),
            };
            let op = match (negate, ci_like) {
                (false, false) => "~~",
                (true, false) => "!~~",
                (false, true) => "~~*",
                (true, true) => "!~~*",
            };
            (mk(op, Value::Cell(cell), false), pos + 2, true)
        }
        Some(Tok::Ident(kw)) if kw.eq_ignore_ascii_case("in") => {
            if toks.get(pos + 1) != Some(&Tok::LParen) {
                return Err(err("expected '(' after IN".into()));
            }
            let mut cells = Vec::new();
            let mut p = pos + 2;
            loop {
                let lit = parse_value(toks.get(p)).map_err(err)?;
                cells.push(coerce(&lit, col).map_err(err)?);
                p += 1;
                match toks.get(p) {
                    Some(Tok::Comma) => p += 1,
                    Some(Tok::RParen) => {
                        p += 1;
                        break;
                    }
                    _ => return Err(err("expected ',' or ')' in the IN list".into())),
                }
            }
            check_operator(col, "=").map_err(err)?;
            let q = if negate { mk("<>", Value::Array(cells), false) } else { mk("=", Value::Array(cells), true) };
            (q, p, array_pushable(&col.pg_type))
        }
        Some(Tok::Ident(kw)) if kw.eq_ignore_ascii_case("is") && !negate => {
            let mut p = pos + 1;
            let mut not = false;
            if is_kw(toks.get(p), "not") {
                not = true;
                p += 1;
            }
            let op = if not { "is not" } else { "is" };
            let value = match toks.get(p) {
                Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("null") => Cell::String("null".into()),
                Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                    if col.pg_type != PgType::Bool {
                        return Err(err(format!("IS TRUE/FALSE needs a bool column; `{}` is {}", col.name, col.pg_type)));
                    }
                    Cell::Bool(s.eq_ignore_ascii_case("true"))
                }
                _ => return Err(err("expected NULL, TRUE or FALSE after IS [NOT]".into())),
            };
            (mk(op, Value::Cell(value), false), p + 1, true)
        }
        Some(Tok::Op(op)) if !negate => {
            let op = if op == "!=" { "<>".to_string() } else { op.clone() };
            check_operator(col, &op).map_err(err)?;
            let lit = parse_value(toks.get(pos + 1)).map_err(err)?;
            let cell = coerce(&lit, col).map_err(err)?;
            (mk(&op, Value::Cell(cell), false), pos + 2, true)
        }
        _ => return Err(err("expected an operator (=, <>, !=, <, <=, >, >=, [not] like, [not] ilike, [not] in, is [not] null)".into())),
    };
    if end != toks.len() {
        return Err(err("unexpected text after the condition".into()));
    }
    Ok(Condition { text: text.to_string(), column: ci, qual, pushed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::new("id", 1, PgType::Int8),
            Column::new("name", 2, PgType::Text),
            Column::new("created_at", 3, PgType::Timestamptz),
            Column::new("flag", 4, PgType::Bool),
            Column::new("price", 5, PgType::Numeric),
            Column::new("attrs", 6, PgType::Jsonb),
        ]
    }

    #[test]
    fn simple_ops() {
        let c = parse_condition("id = 5", &cols()).unwrap();
        assert_eq!(c.qual.operator, "=");
        assert_eq!(c.qual.value, Value::Cell(Cell::I64(5)));
        assert!(!c.qual.use_or);
        let c = parse_condition("id != 5", &cols()).unwrap();
        assert_eq!(c.qual.operator, "<>");
        let c = parse_condition("name = 'it''s'", &cols()).unwrap();
        assert_eq!(c.qual.value, Value::Cell(Cell::String("it's".into())));
        let c = parse_condition("created_at > '2024-01-01T00:00:00Z'", &cols()).unwrap();
        assert_eq!(c.qual.value, Value::Cell(Cell::Timestamptz(1_704_067_200_000_000)));
        let c = parse_condition("ID >= -3", &cols()).unwrap();
        assert_eq!(c.qual.value, Value::Cell(Cell::I64(-3)));
        assert_eq!(c.qual.field, "id");
        let c = parse_condition("price < 1.5e2", &cols()).unwrap();
        assert_eq!(c.qual.value, Value::Cell(Cell::Numeric(150.0)));
        let c = parse_condition("attrs = '{\"a\": 1}'", &cols()).unwrap();
        assert_eq!(c.qual.value, Value::Cell(Cell::Json("{\"a\":1}".into())));
    }

    #[test]
    fn like_in_is() {
        let c = parse_condition("name NOT LIKE 'a%'", &cols()).unwrap();
        assert_eq!(c.qual.operator, "!~~");
        let c = parse_condition("name ilike 'A%'", &cols()).unwrap();
        assert_eq!(c.qual.operator, "~~*");
        let c = parse_condition("id in (1, 2,3)", &cols()).unwrap();
        assert_eq!(c.qual.operator, "=");
        assert!(c.qual.use_or);
        assert_eq!(c.qual.value, Value::Array(vec![Cell::I64(1), Cell::I64(2), Cell::I64(3)]));
        let c = parse_condition("id not in (1)", &cols()).unwrap();
        assert_eq!(c.qual.operator, "<>");
        assert!(!c.qual.use_or);
        let c = parse_condition("name is null", &cols()).unwrap();
        assert_eq!((c.qual.operator.as_str(), c.qual.value), ("is", Value::Cell(Cell::String("null".into()))));
        let c = parse_condition("name IS NOT NULL", &cols()).unwrap();
        assert_eq!(c.qual.operator, "is not");
        let c = parse_condition("flag is true", &cols()).unwrap();
        assert_eq!(c.qual.value, Value::Cell(Cell::Bool(true)));
        let c = parse_condition("price in (1, 2)", &cols()).unwrap();
        assert!(!c.pushed);
    }

    #[test]
    fn errors() {
        assert!(parse_condition("nope = 1", &cols()).unwrap_err().contains("not among the --column list"));
        assert!(parse_condition("id = 'x'", &cols()).is_err());
        assert!(parse_condition("id like 'x'", &cols()).is_err());
        assert!(parse_condition("id = 1 and", &cols()).is_err());
        assert!(parse_condition("id = null", &cols()).is_err());
        assert!(parse_condition("name = 'abc", &cols()).is_err());
        assert!(parse_condition("attrs < '1'", &cols()).is_err());
        assert!(parse_condition("id", &cols()).is_err());
    }
}
