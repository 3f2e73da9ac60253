//! `--where` parsing into the quals Postgres would pass to the guest (contract §3.6), plus the
//! condition the runner re-checks on the rows.
//!
//! Grammar (SQL, case-insensitive keywords), conditions joined with AND:
//! `x op y` where one side is a column and the other a constant (`=`, `<>`/`!=`, `<`, `<=`, `>`,
//! `>=`, `~~`…, jsonb `@>`, `<@`, `?`), `col [NOT] LIKE|ILIKE const`, `col [NOT] IN (c1, …)`,
//! `col op ANY|SOME|ALL (ARRAY[…] | '{…}')`, `col [NOT] BETWEEN a AND b`,
//! `col IS [NOT] NULL|TRUE|FALSE`, a boolean column alone, `NOT …`, parentheses.
//! Constants: `'text'` (`''` escapes a quote), numbers with an optional sign, `true`/`false`,
//! `NULL`, casts `x::type`, `CAST(x AS type)` and typed literals `type 'text'`.
//!
//! Typing follows Postgres (see sqltype.rs and literal.rs): the constant keeps its own type
//! when an operator for (column type, constant type) exists, so `bigint_col = 7` reaches the
//! guest as `i32(7)`; a quoted literal takes the column's type; an IN list takes the common
//! type of the column and its elements. What Postgres does not push down (a cast column, an
//! array type the host cannot pass, `NOT` of an operator without a negator, …) is only
//! re-checked. Anything else the runner cannot read is an error, never a guess.

use super::host::{Column, Qual, Value};
use super::lexer::{tokenize, Tok};
use super::literal::{cast, input, to_cell, to_value, Datum, Typed};
use super::parser::{ArrayLit, Operand, Parser, Pred};
use super::recheck::Check;
use super::sqltype::{common_type, op_kind, resolve_operator, OpKind, SqlType};

/// One condition as Postgres sees it after planning: the qual the guest receives (if pushed)
/// and what the runner re-checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The `--where` text it came from (for messages).
    pub text: String,
    /// Index of the column in the `--column` list.
    pub column: usize,
    /// The column's type (for the re-check).
    pub ty: SqlType,
    /// The qual the guest sees, or `None` with the reason Postgres does not push it down.
    pub qual: Result<Qual, String>,
    /// A `col = const` equality: Postgres lists these (equivalence classes) after the others.
    pub equality: bool,
    pub check: Check,
}

fn negator(op: &str) -> Option<&'static str> {
    Some(match op {
        "=" => "<>",
        "<>" => "=",
        "<" => ">=",
        ">=" => "<",
        ">" => "<=",
        "<=" => ">",
        "~~" => "!~~",
        "!~~" => "~~",
        "~~*" => "!~~*",
        "!~~*" => "~~*",
        _ => return None,
    })
}

/// Operators Postgres can commute (so `const op col` is pushed with operands swapped).
fn has_commutator(op: &str) -> bool {
    matches!(op_kind(op), Some(OpKind::Compare | OpKind::Contains))
}

struct Typer<'a> {
    text: &'a str,
    columns: &'a [Column],
}

impl Typer<'_> {
    fn col_type(&self, i: usize) -> Result<SqlType, String> {
        let c = &self.columns[i];
        SqlType::of_column(&c.pg_type).ok_or_else(|| format!("column `{}` is of type {}, which the runner's --where cannot compare", c.name, c.pg_type))
    }

    fn cond(&self, column: usize, qual: Result<Qual, String>, equality: bool, check: Check) -> Result<Condition, String> {
        let ty = SqlType::of_column(&self.columns[column].pg_type).unwrap_or(SqlType::Text);
        Ok(Condition { text: self.text.to_string(), column, ty, qual, equality, check })
    }

    fn qual(&self, column: usize, op: &str, value: Value, use_or: bool) -> Qual {
        Qual { field: self.columns[column].name.clone(), operator: op.to_string(), value, use_or, param: None }
    }

    /// Flatten a predicate (with NOT pushed down as Postgres' `negate_clause` does) into
    /// top-level conditions.
    fn lower(&self, p: &Pred, negated: bool, out: &mut Vec<Condition>) -> Result<(), String> {
        match p {
            Pred::Not(inner) => self.lower(inner, !negated, out),
            Pred::And(parts) => {
                if negated {
                    return Err("NOT (… AND …) is an OR, which the runner's --where does not support".into());
                }
                for part in parts {
                    self.lower(part, false, out)?;
                }
                Ok(())
            }
            Pred::Between { x, lo, hi, negated: n } => {
                let (ge, le) = (Pred::Binary { op: ">=".into(), l: x.clone(), r: lo.clone() }, Pred::Binary { op: "<=".into(), l: x.clone(), r: hi.clone() });
                if negated == *n {
                    // BETWEEN is two conditions
                    self.lower(&ge, false, out)?;
                    self.lower(&le, false, out)
                } else {
                    // NOT BETWEEN is `x < lo OR x > hi`: not pushed down
                    let mut parts = Vec::new();
                    self.lower(&ge, true, &mut parts)?;
                    self.lower(&le, true, &mut parts)?;
                    let column = parts[0].column;
                    let check = Check::Or(parts.into_iter().map(|c| c.check).collect());
                    out.push(self.cond(column, Err("NOT BETWEEN is an OR".into()), false, check)?);
                    Ok(())
                }
            }
            Pred::IsNull { x, negated: n } => {
                let column = self.column_of(x, "IS NULL")?;
                let neg = negated != *n;
                let q = self.qual(column, if neg { "is not" } else { "is" }, Value::Cell(super::host::Cell::String("null".into())), false);
                out.push(self.cond(column, Ok(q), false, Check::IsNull { negated: neg })?);
                Ok(())
            }
            Pred::IsBool { x, value, negated: n } => {
                let column = self.column_of(x, "IS TRUE/FALSE")?;
                let ty = self.col_type(column)?;
                if ty != SqlType::Bool {
                    return Err(format!("argument of IS {} must be type boolean, not type {}", if *value { "TRUE" } else { "FALSE" }, ty.pg_name()));
                }
                let neg = negated != *n;
                let q = self.qual(column, if neg { "is not" } else { "is" }, Value::Cell(super::host::Cell::Bool(*value)), false);
                out.push(self.cond(column, Ok(q), false, Check::IsBool { value: *value, negated: neg })?);
                Ok(())
            }
            Pred::Bare(x) => {
                let column = self.column_of(x, "a condition")?;
                let ty = self.col_type(column)?;
                if ty != SqlType::Bool {
                    return Err(format!("argument of WHERE must be type boolean, not type {}", ty.pg_name()));
                }
                out.push(self.bool_column(column, !negated)?);
                Ok(())
            }
            Pred::Binary { op, l, r } => {
                let op = if negated {
                    match negator(op) {
                        Some(n) => n.to_string(),
                        None => {
                            // NOT of an operator without a negator stays a NOT: not pushed down
                            let mut inner = Vec::new();
                            self.lower(p, false, &mut inner)?;
                            let c = inner.remove(0);
                            let why = format!("NOT of operator {op}, which has no negator");
                            out.push(self.cond(c.column, Err(why), false, Check::Not(Box::new(c.check)))?);
                            return Ok(());
                        }
                    }
                } else {
                    op.clone()
                };
                out.push(self.binary(&op, l, r)?);
                Ok(())
            }
            Pred::In { x, items, negated: n } => {
                out.push(self.in_list(x, items, negated != *n)?);
                Ok(())
            }
            Pred::Quant { x, op, all, arr } => {
                let (op, all) = if negated {
                    match negator(op) {
                        Some(n) => (n.to_string(), !*all),
                        None => return Err(format!("NOT … {op} ANY/ALL is not supported by the runner's --where")),
                    }
                } else {
                    (op.clone(), *all)
                };
                out.push(self.quantified(x, &op, all, arr)?);
                Ok(())
            }
        }
    }

    fn column_of(&self, x: &Operand, what: &str) -> Result<usize, String> {
        match x {
            Operand::Column(i) => Ok(*i),
            Operand::Const(_) => Err(format!("{what} without a column: the runner's --where needs a column in every condition")),
        }
    }

    /// `flag` / `NOT flag` (also what `flag = true`, `flag <> true`, … simplify to).
    fn bool_column(&self, column: usize, value: bool) -> Result<Condition, String> {
        let q = self.qual(column, "=", Value::Cell(super::host::Cell::Bool(value)), false);
        self.cond(column, Ok(q), false, Check::BoolColumn { value })
    }

    fn binary(&self, op: &str, l: &Operand, r: &Operand) -> Result<Condition, String> {
        let (column, konst, swapped) = match (l, r) {
            (Operand::Column(c), Operand::Const(k)) => (*c, k, false),
            (Operand::Const(k), Operand::Column(c)) => (*c, k, true),
            (Operand::Column(_), Operand::Column(_)) => {
                return Err("comparing two columns is not supported by the runner's --where (Postgres does not push it down)".into())
            }
            (Operand::Const(_), Operand::Const(_)) => return Err("a condition without a column: the runner's --where needs a column in every condition".into()),
        };
        let Some(k) = konst else {
            // Postgres folds a comparison with NULL to NULL: nothing is pushed, no row matches
            let why = "a comparison with NULL is NULL, so no row matches (IS NULL tests for NULL)".to_string();
            return self.cond(column, Err(why), false, Check::Const(None));
        };
        let cty = self.col_type(column)?;
        let (lt, rt) = if swapped { (k.ty, cty) } else { (cty, k.ty) };
        let (a, b) = resolve_operator(op, lt, rt)?;
        let (col_decl, const_decl) = if swapped { (b, a) } else { (a, b) };
        let value = cast(k, const_decl)?;
        // Postgres simplifies `flag = true` to `flag`, `flag <> true` to `NOT flag`, …
        if cty == SqlType::Bool && (op == "=" || op == "<>") {
            if let Datum::Bool(v) = value.datum {
                return self.bool_column(column, v == (op == "="));
            }
        }
        let check = Check::Binary { op: op.to_string(), col_ty: col_decl, value: value.clone(), swapped };
        let equality = op == "=" && op_kind(op) == Some(OpKind::Compare);
        let qual = if col_decl != cty {
            Err(format!("Postgres casts the column to {} for this operator", col_decl.pg_name()))
        } else if swapped && !has_commutator(op) {
            Err(format!("operator {op} has no commutator, so the column must be on its left"))
        } else {
            // the operator keeps its name when the operands are swapped (contract §3.6)
            Ok(self.qual(column, op, to_value(&value)?, false))
        };
        self.cond(column, qual, equality, check)
    }

    fn in_list(&self, x: &Operand, items: &[Operand], negated: bool) -> Result<Condition, String> {
        let column = self.column_of(x, "IN")?;
        let op = if negated { "<>" } else { "=" };
        let mut consts = Vec::new();
        for item in items {
            match item {
                Operand::Const(k) => consts.push(k.clone()),
                Operand::Column(_) => return Err("IN lists of columns are not supported by the runner's --where".into()),
            }
        }
        if let [only] = items {
            // a one-element list is a plain `col = value` (`<>` for NOT IN)
            return self.binary(op, x, only);
        }
        let cty = self.col_type(column)?;
        let mut types = vec![cty];
        types.extend(consts.iter().map(|k| k.as_ref().map_or(SqlType::Unknown, |t| t.ty)));
        let Some(common) = common_type(&types) else {
            // no common type: Postgres makes `x = a OR x = b …`, never pushed down
            let mut parts = Vec::new();
            for item in items {
                parts.push(self.binary(op, x, item)?.check);
            }
            let check = if negated { Check::And(parts) } else { Check::Or(parts) };
            return self.cond(column, Err(format!("the IN list has no common type with {}, so it becomes an OR", cty.pg_name())), false, check);
        };
        let elems = consts.iter().map(|k| k.as_ref().map(|t| cast(t, common)).transpose()).collect::<Result<Vec<_>, _>>()?;
        self.array_condition(column, op, !negated, common, elems)
    }

    fn quantified(&self, x: &Operand, op: &str, all: bool, arr: &ArrayLit) -> Result<Condition, String> {
        let column = self.column_of(x, "ANY/ALL")?;
        let cty = self.col_type(column)?;
        let (elem_ty, elems) = match arr {
            ArrayLit::Elems(items) => {
                let mut consts = Vec::new();
                for item in items {
                    match item {
                        Operand::Const(k) => consts.push(k.clone()),
                        Operand::Column(_) => return Err("ARRAY[…] of columns is not supported by the runner's --where".into()),
                    }
                }
                let types: Vec<SqlType> = consts.iter().map(|k| k.as_ref().map_or(SqlType::Unknown, |t| t.ty)).collect();
                let ty = common_type(&types).ok_or_else(|| {
                    let known: Vec<&str> = types.iter().filter(|t| **t != SqlType::Unknown).map(|t| t.pg_name()).collect();
                    format!("ARRAY types {} cannot be matched", known.join(" and "))
                })?;
                let elems = consts.iter().map(|k| k.as_ref().map(|t| cast(t, ty)).transpose()).collect::<Result<Vec<_>, _>>()?;
                (ty, elems)
            }
            ArrayLit::Text(text, ty) => {
                // an untyped '{…}' is an array of the column's type (when the operator exists for it)
                let ty = ty.unwrap_or(SqlType::Unknown);
                let resolved = if ty == SqlType::Unknown { resolve_operator(op, cty, SqlType::Unknown)?.1 } else { ty };
                let elems = parse_array_literal(text)?
                    .into_iter()
                    .map(|e| e.map(|s| input(resolved, &s).map(|d| Typed::new(resolved, d))).transpose())
                    .collect::<Result<Vec<_>, _>>()?;
                (resolved, elems)
            }
        };
        self.array_condition(column, op, !all, elem_ty, elems)
    }

    /// `col op ANY/ALL (array of elem_ty)`, as built for IN lists and ANY/ALL.
    fn array_condition(&self, column: usize, op: &str, any: bool, elem_ty: SqlType, elems: Vec<Option<Typed>>) -> Result<Condition, String> {
        let cty = self.col_type(column)?;
        let (col_decl, elem_decl) = resolve_operator(op, cty, elem_ty)?;
        let elems = elems.iter().map(|e| e.as_ref().map(|t| cast(t, elem_decl)).transpose()).collect::<Result<Vec<_>, _>>()?;
        let check = Check::Array { op: op.to_string(), col_ty: col_decl, values: elems.clone(), any };
        let qual = if col_decl != cty {
            Err(format!("Postgres casts the column to {} for this operator", col_decl.pg_name()))
        } else if !elem_decl.array_pushable() {
            Err(format!("Supabase pushes no arrays of {}", elem_decl.pg_name()))
        } else {
            // NULL elements are dropped from the list the guest sees
            let cells = elems.iter().flatten().map(to_cell).collect::<Result<Vec<_>, _>>()?;
            Ok(self.qual(column, op, Value::Array(cells), any))
        };
        self.cond(column, qual, false, check)
    }
}

/// The quals the guest receives, in Postgres' order: `col = const` equalities (equivalence
/// classes, distributed after the other restrictions) come last.
pub fn guest_quals(conditions: &[Condition]) -> Vec<Qual> {
    let pushed = |equality: bool| conditions.iter().filter(move |c| c.equality == equality).filter_map(|c| c.qual.clone().ok());
    pushed(false).chain(pushed(true)).collect()
}

/// A one-dimensional array literal `{a, "b c", NULL}`: elements as text, `None` for NULL.
fn parse_array_literal(s: &str) -> Result<Vec<Option<String>>, String> {
    let bad = || format!("malformed array literal: \"{s}\"");
    let t = s.trim();
    let inner = t.strip_prefix('{').and_then(|r| r.strip_suffix('}')).ok_or_else(bad)?;
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let mut v = String::new();
        let quoted = chars.get(i) == Some(&'"');
        if quoted {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(bad()),
                    Some('\\') => {
                        v.push(*chars.get(i + 1).ok_or_else(bad)?);
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        v.push(*c);
                        i += 1;
                    }
                }
            }
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
        } else {
            while let Some(c) = chars.get(i) {
                if *c == ',' {
                    break;
                }
                if matches!(c, '{' | '}' | '"') {
                    return Err(format!("{} (nested arrays are not supported)", bad()));
                }
                if *c == '\\' {
                    v.push(*chars.get(i + 1).ok_or_else(bad)?);
                    i += 2;
                    continue;
                }
                v.push(*c);
                i += 1;
            }
            v = v.trim_end().to_string();
            if v.is_empty() {
                return Err(bad());
            }
        }
        out.push(if !quoted && v.eq_ignore_ascii_case("null") { None } else { Some(v) });
        match chars.get(i) {
            None => return Ok(out),
            Some(',') => i += 1,
            Some(_) => return Err(bad()),
        }
    }
}

/// Parse one `--where` text (conditions joined with AND) against the `--column` list.
pub fn parse_condition(text: &str, columns: &[Column]) -> Result<Vec<Condition>, String> {
    let err = |m: String| format!("invalid --where \"{text}\": {m}");
    let toks = tokenize(text).map_err(err)?;
    if toks.is_empty() {
        return Err(err("empty condition".into()));
    }
    let mut p = Parser { toks, pos: 0, columns };
    let pred = p.conj().map_err(err)?;
    if p.pos != p.toks.len() {
        let rest: Vec<String> = p.toks[p.pos..].iter().map(Tok::show).collect();
        return Err(err(format!(
            "cannot read `{}`: the runner's --where takes `column op constant` conditions (see `tsfdw-runner scan --help`)",
            rest.join(" ")
        )));
    }
    let mut out = Vec::new();
    Typer { text, columns }.lower(&pred, false, &mut out).map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::host::{Cell, PgType};
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::new("id", 1, PgType::Int8),
            Column::new("name", 2, PgType::Text),
            Column::new("created_at", 3, PgType::Timestamptz),
            Column::new("flag", 4, PgType::Bool),
            Column::new("price", 5, PgType::Numeric),
            Column::new("attrs", 6, PgType::Jsonb),
            Column::new("f4", 7, PgType::Float4),
            Column::new("i2", 8, PgType::Int2),
        ]
    }

    /// The single pushed qual of a condition: (operator, value, use_or).
    fn q(text: &str) -> (String, Value, bool) {
        let c = parse_condition(text, &cols()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.len(), 1, "{text}");
        let qual = c[0].qual.clone().unwrap_or_else(|e| panic!("{text}: not pushed: {e}"));
        (qual.operator, qual.value, qual.use_or)
    }

    fn cell(text: &str) -> Value {
        q(text).1
    }

    fn not_pushed(text: &str) -> String {
        let c = parse_condition(text, &cols()).unwrap_or_else(|e| panic!("{e}"));
        c[0].qual.clone().err().unwrap_or_else(|| panic!("{text} was pushed"))
    }

    fn error(text: &str) -> String {
        parse_condition(text, &cols()).err().unwrap_or_else(|| panic!("{text} parsed"))
    }

    #[test]
    fn integer_literals_keep_their_type() {
        assert_eq!(cell("id = 7"), Value::Cell(Cell::I32(7)));
        assert_eq!(cell("id = -7"), Value::Cell(Cell::I32(-7)));
        assert_eq!(cell("id = 7000000000"), Value::Cell(Cell::I64(7_000_000_000)));
        assert_eq!(cell("id = '7'"), Value::Cell(Cell::I64(7)));
        assert_eq!(cell("id = 7::int2"), Value::Cell(Cell::I16(7)));
        assert_eq!(cell("id = int8 '7'"), Value::Cell(Cell::I64(7)));
        assert_eq!(cell("id = CAST(7 AS smallint)"), Value::Cell(Cell::I16(7)));
        assert_eq!(cell("i2 = 70000"), Value::Cell(Cell::I32(70000)));
        assert_eq!(cell("price = 7"), Value::Cell(Cell::Numeric(7.0)));
        assert_eq!(cell("f4 = 1.5"), Value::Cell(Cell::F64(1.5)));
        assert_eq!(cell("f4 = '1.1'"), Value::Cell(Cell::F32(1.1)));
        assert!(not_pushed("id = 1.5").contains("numeric"));
        assert!(not_pushed("id = 99999999999999999999").contains("numeric"));
        assert!(error("id = '1.5'").contains("invalid input syntax for type bigint: \"1.5\""));
        assert!(error("name = 7").contains("operator does not exist: text = integer"));
    }

    #[test]
    fn operators_and_swaps() {
        assert_eq!(q("id != 5").0, "<>");
        assert_eq!(q("7 < id"), ("<".into(), Value::Cell(Cell::I32(7)), false));
        assert_eq!(q("name NOT LIKE 'a%'").0, "!~~");
        assert_eq!(q("name ilike 'A%'").0, "~~*");
        assert!(not_pushed("'abc' like name").contains("commutator"));
        assert_eq!(q("not name = 'x'").0, "<>");
        assert_eq!(q("attrs @> '{\"a\": 1}'"), ("@>".into(), Value::Cell(Cell::Json("{\"a\":1}".into())), false));
        assert_eq!(q("attrs ? 'a'"), ("?".into(), Value::Cell(Cell::String("a".into())), false));
        assert!(not_pushed("not attrs @> '{}'").contains("negator"));
        assert!(error("name ~ 'a'").contains("regular expression"));
    }

    #[test]
    fn booleans() {
        assert_eq!(q("flag"), ("=".into(), Value::Cell(Cell::Bool(true)), false));
        assert_eq!(q("not flag"), ("=".into(), Value::Cell(Cell::Bool(false)), false));
        assert_eq!(q("flag = false"), ("=".into(), Value::Cell(Cell::Bool(false)), false));
        assert_eq!(q("flag <> true"), ("=".into(), Value::Cell(Cell::Bool(false)), false));
        assert_eq!(q("flag = 'yes'"), ("=".into(), Value::Cell(Cell::Bool(true)), false));
        assert_eq!(q("flag is not true"), ("is not".into(), Value::Cell(Cell::Bool(true)), false));
        assert!(error("id").contains("must be type boolean"));
        assert!(error("flag = 1").contains("operator does not exist: boolean = integer"));
    }

    #[test]
    fn in_lists_take_the_common_type() {
        assert_eq!(q("id in (1, 2)"), ("=".into(), Value::Array(vec![Cell::I64(1), Cell::I64(2)]), true));
        assert_eq!(q("id in (7)"), ("=".into(), Value::Cell(Cell::I32(7)), false));
        assert_eq!(q("i2 in (1, 2)").1, Value::Array(vec![Cell::I32(1), Cell::I32(2)]));
        assert_eq!(q("f4 in (1.5, 2)").1, Value::Array(vec![Cell::F32(1.5), Cell::F32(2.0)]));
        assert_eq!(q("id not in (1, 2)"), ("<>".into(), Value::Array(vec![Cell::I64(1), Cell::I64(2)]), false));
        assert_eq!(q("id in (1, null)").1, Value::Array(vec![Cell::I64(1)]));
        assert!(not_pushed("price in (1, 2)").contains("numeric"));
        assert!(not_pushed("id in (1, 1.5)").contains("numeric"));
        assert_eq!(q("id = any(array[1, 2])").1, Value::Array(vec![Cell::I32(1), Cell::I32(2)]));
        assert_eq!(q("id = any('{1,2}')").1, Value::Array(vec![Cell::I64(1), Cell::I64(2)]));
        assert_eq!(q("id <> all('{1,2}'::int2[])"), ("<>".into(), Value::Array(vec![Cell::I16(1), Cell::I16(2)]), false));
        assert!(error("name in ('a', 7)").contains("operator does not exist: text = integer"));
        assert_eq!(q("id = any(array['1', 2])").1, Value::Array(vec![Cell::I32(1), Cell::I32(2)]));
        // ARRAY[] of untyped literals is text[]
        assert!(error("id = any(array['1', '2'])").contains("operator does not exist: bigint = text"));
        assert!(error("id = any(array[1, true])").contains("ARRAY types integer and boolean cannot be matched"));
    }

    #[test]
    fn between_null_tests_and_order() {
        let c = parse_condition("id between 1 and 5", &cols()).unwrap_or_default();
        let ops: Vec<String> = c.iter().filter_map(|c| c.qual.as_ref().ok().map(|q| q.operator.clone())).collect();
        assert_eq!(ops, [">=", "<="]);
        assert!(not_pushed("id not between 1 and 5").contains("OR"));
        assert_eq!(q("name is null"), ("is".into(), Value::Cell(Cell::String("null".into())), false));
        assert_eq!(q("name IS NOT NULL").0, "is not");
        let c = parse_condition("name is not null and id = 7", &cols()).unwrap_or_default();
        assert_eq!(c.iter().map(|c| c.equality).collect::<Vec<_>>(), [false, true]);
    }

    #[test]
    fn varchar_compares_as_text_other_unsupported_types_only_null_tests() {
        let cols = vec![Column::new("v", 1, PgType::parse("varchar(20)")), Column::new("b", 2, PgType::parse("bpchar"))];
        let c = parse_condition("v in ('a', 'b')", &cols).unwrap_or_default();
        assert_eq!(c[0].qual.as_ref().map(|q| q.value.clone()), Ok(Value::Array(vec![Cell::String("a".into()), Cell::String("b".into())])));
        assert!(parse_condition("b = 'a'", &cols).is_err_and(|e| e.contains("cannot compare")));
        assert!(parse_condition("b is null", &cols).is_ok_and(|c| c[0].qual.is_ok()));
    }

    #[test]
    fn errors_say_what_the_runner_cannot_read() {
        assert!(error("nope = 1").contains("not among the --column list"));
        assert!(error("id = 1 and").contains("expected a column or a constant"));
        assert!(not_pushed("id = null").contains("NULL"));
        assert!(error("name = 'abc").contains("unterminated"));
        assert!(error("id = 1 or id = 2").contains("OR"));
        assert!(error("lower(name) = 'x'").contains("function calls"));
        assert!(error("id + 1 = 2").contains("operator + is not supported") || error("id + 1 = 2").contains("cannot read"));
        assert!(error("id = 3 + 4").contains("cannot read"));
        assert!(error("created_at > now()").contains("function calls"));
        assert!(error("created_at > 'today'").contains("current time"));
        assert!(error("id::text = '7'").contains("casting column"));
        assert_eq!(cell(r"name = E'it\'s\n\x41\101'"), Value::Cell(Cell::String("it's\nAA".into())));
    }
}
