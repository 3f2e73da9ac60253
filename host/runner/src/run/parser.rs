//! The `--where` parser: SQL conditions (see filter.rs for the grammar) into a syntax tree of
//! columns and constants; constants are typed and cast as they are read (literal.rs).

use super::host::Column;
use super::lexer::Tok;
use super::literal::{cast, Datum, Typed};
use super::sqltype::{op_kind, SqlType};

/// One side of a condition.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Operand {
    Column(usize),
    /// A constant; `None` is NULL.
    Const(Option<Typed>),
}

/// The array of `op ANY|ALL (…)`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ArrayLit {
    /// `ARRAY[e1, …]`
    Elems(Vec<Operand>),
    /// `'{…}'` (untyped: an array of the column's type) or `'{…}'::type[]`.
    Text(String, Option<SqlType>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Pred {
    Binary { op: String, l: Operand, r: Operand },
    In { x: Operand, items: Vec<Operand>, negated: bool },
    Quant { x: Operand, op: String, all: bool, arr: ArrayLit },
    Between { x: Operand, lo: Operand, hi: Operand, negated: bool },
    IsNull { x: Operand, negated: bool },
    IsBool { x: Operand, value: bool, negated: bool },
    Bare(Operand),
    Not(Box<Pred>),
    And(Vec<Pred>),
}

pub(super) struct Parser<'a> {
    pub(super) toks: Vec<Tok>,
    pub(super) pos: usize,
    pub(super) columns: &'a [Column],
}

fn kw(t: Option<&Tok>, word: &str) -> bool {
    matches!(t, Some(Tok::Ident(s)) if s.eq_ignore_ascii_case(word))
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n)
    }

    fn is_kw(&self, word: &str) -> bool {
        kw(self.peek(), word)
    }

    fn eat_kw(&mut self, word: &str) -> bool {
        let yes = self.is_kw(word);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn expect(&mut self, t: &Tok) -> Result<(), String> {
        if self.peek() == Some(t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected {} {}", t.show(), self.found()))
        }
    }

    fn found(&self) -> String {
        match self.peek() {
            Some(t) => format!("at `{}`", t.show()),
            None => "at the end".into(),
        }
    }

    /// `pred (AND pred)*`
    pub(super) fn conj(&mut self) -> Result<Pred, String> {
        let mut parts = vec![self.pred()?];
        while self.eat_kw("and") {
            parts.push(self.pred()?);
        }
        if self.is_kw("or") {
            return Err("OR is not supported by the runner's --where (Postgres does not push OR down either); \
                        use IN (…) or several scans"
                .into());
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Pred::And(parts) })
    }

    fn pred(&mut self) -> Result<Pred, String> {
        if self.eat_kw("not") {
            return Ok(Pred::Not(Box::new(self.pred()?)));
        }
        if self.peek() == Some(&Tok::LParen) && !self.paren_is_constant() {
            self.pos += 1;
            let inner = self.conj()?;
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        }
        let x = self.operand()?;
        let negated = self.eat_kw("not");
        if self.eat_kw("like") || self.eat_kw("ilike") {
            let ilike = kw(self.toks.get(self.pos - 1), "ilike");
            let op = match (negated, ilike) {
                (false, false) => "~~",
                (true, false) => "!~~",
                (false, true) => "~~*",
                (true, true) => "!~~*",
            };
            if let Some(q) = self.quantifier() {
                let arr = self.array()?;
                self.expect(&Tok::RParen)?;
                return Ok(Pred::Quant { x, op: op.into(), all: q == "all", arr });
            }
            let y = self.operand()?;
            if self.is_kw("escape") {
                return Err("LIKE … ESCAPE is not supported by the runner's --where".into());
            }
            return Ok(Pred::Binary { op: op.into(), l: x, r: y });
        }
        if self.eat_kw("in") {
            self.expect(&Tok::LParen)?;
            let mut items = vec![self.operand()?];
            while self.peek() == Some(&Tok::Comma) {
                self.pos += 1;
                items.push(self.operand()?);
            }
            self.expect(&Tok::RParen)?;
            return Ok(Pred::In { x, items, negated });
        }
        if self.eat_kw("between") {
            if self.is_kw("symmetric") || self.is_kw("asymmetric") {
                return Err("BETWEEN SYMMETRIC is not supported by the runner's --where".into());
            }
            let lo = self.operand()?;
            if !self.eat_kw("and") {
                return Err(format!("expected AND in BETWEEN {}", self.found()));
            }
            let hi = self.operand()?;
            return Ok(Pred::Between { x, lo, hi, negated });
        }
        if negated {
            return Err(format!("expected LIKE, ILIKE, IN or BETWEEN after NOT {}", self.found()));
        }
        if self.eat_kw("is") {
            let negated = self.eat_kw("not");
            if self.eat_kw("null") {
                return Ok(Pred::IsNull { x, negated });
            }
            if self.eat_kw("true") {
                return Ok(Pred::IsBool { x, value: true, negated });
            }
            if self.eat_kw("false") {
                return Ok(Pred::IsBool { x, value: false, negated });
            }
            return Err(format!("IS [NOT] supports NULL, TRUE and FALSE in the runner's --where, not {}", self.found()));
        }
        if self.eat_kw("isnull") {
            return Ok(Pred::IsNull { x, negated: false });
        }
        if self.eat_kw("notnull") {
            return Ok(Pred::IsNull { x, negated: true });
        }
        if let Some(Tok::Op(op)) = self.peek().cloned() {
            self.pos += 1;
            if ["~", "~*", "!~", "!~*"].contains(&op.as_str()) {
                return Err(format!(
                    "regular expression operator {op} is not supported by the runner's --where (Postgres pushes it down, \
                     but the runner cannot evaluate POSIX regular expressions): check it against Postgres"
                ));
            }
            if op_kind(&op).is_none() {
                return Err(format!("operator {op} is not supported by the runner's --where"));
            }
            if let Some(q) = self.quantifier() {
                let arr = self.array()?;
                self.expect(&Tok::RParen)?;
                return Ok(Pred::Quant { x, op, all: q == "all", arr });
            }
            let y = self.operand()?;
            return Ok(Pred::Binary { op, l: x, r: y });
        }
        Ok(Pred::Bare(x))
    }

    /// `ANY (` / `SOME (` / `ALL (`: consumed, and which one.
    fn quantifier(&mut self) -> Option<&'static str> {
        let q = ["any", "some", "all"].into_iter().find(|w| self.is_kw(w))?;
        if self.peek_at(1) != Some(&Tok::LParen) {
            return None;
        }
        self.pos += 2;
        Some(q)
    }

    /// Is the `(` at the current position a parenthesised constant (`(7)`, `('x')::int`)?
    fn paren_is_constant(&self) -> bool {
        matches!(
            (self.peek_at(1), self.peek_at(2)),
            (Some(Tok::Str(_) | Tok::Num(_)), Some(Tok::RParen)) | (Some(Tok::Op(_)), Some(Tok::Num(_)))
        )
    }

    fn array(&mut self) -> Result<ArrayLit, String> {
        if self.eat_kw("array") {
            self.expect(&Tok::LBracket)?;
            let mut items = Vec::new();
            if self.peek() != Some(&Tok::RBracket) {
                items.push(self.operand()?);
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    items.push(self.operand()?);
                }
            }
            self.expect(&Tok::RBracket)?;
            if self.peek() == Some(&Tok::Cast) {
                return Err("a cast of ARRAY[…] is not supported by the runner's --where; cast the elements".into());
            }
            return Ok(ArrayLit::Elems(items));
        }
        if let Some(Tok::Str(s)) = self.peek().cloned() {
            self.pos += 1;
            if self.peek() == Some(&Tok::Cast) {
                self.pos += 1;
                let (ty, is_array) = self.type_name()?;
                if !is_array {
                    return Err("op ANY/ALL (array) requires an array on the right side".into());
                }
                return Ok(ArrayLit::Text(s, Some(ty)));
            }
            return Ok(ArrayLit::Text(s, None));
        }
        Err(format!("expected ARRAY[…] or an array literal '{{…}}' {}", self.found()))
    }

    /// A type name (`bigint`, `double precision`, `timestamp with time zone`, `"char"`, …) and
    /// whether it is followed by `[]`.
    fn type_name(&mut self) -> Result<(SqlType, bool), String> {
        let mut words: Vec<String> = Vec::new();
        match self.peek().cloned() {
            Some(Tok::QuotedIdent(q)) => {
                self.pos += 1;
                words.push(format!("\"{q}\""));
            }
            Some(Tok::Ident(first)) => {
                self.pos += 1;
                let first = first.to_ascii_lowercase();
                words.push(first.clone());
                let follow: &[&str] = match first.as_str() {
                    "double" => &["precision"],
                    "character" => &["varying"],
                    "timestamp" | "time" => &["with", "without"],
                    _ => &[],
                };
                if let Some(Tok::Ident(w)) = self.peek().cloned() {
                    if follow.contains(&w.to_ascii_lowercase().as_str()) {
                        self.pos += 1;
                        words.push(w.to_ascii_lowercase());
                        if words[1] == "with" || words[1] == "without" {
                            for z in ["time", "zone"] {
                                if !self.eat_kw(z) {
                                    return Err(format!("expected {z} in the type name {}", self.found()));
                                }
                                words.push(z.into());
                            }
                        }
                    }
                }
            }
            _ => return Err(format!("expected a type name {}", self.found())),
        }
        let name = words.join(" ");
        if self.peek() == Some(&Tok::LParen) {
            return Err(format!("type modifiers ({name}(…)) are not supported by the runner's --where"));
        }
        let mut is_array = false;
        if self.peek() == Some(&Tok::LBracket) && self.peek_at(1) == Some(&Tok::RBracket) {
            self.pos += 2;
            is_array = true;
        }
        let ty = SqlType::parse(&name).ok_or_else(|| {
            if name == "char" || name == "character" {
                "type char is character(1), which the host does not support; \"char\" (quoted) is the one-byte type".to_string()
            } else {
                format!("type {name} is not supported by the runner's --where")
            }
        })?;
        Ok((ty, is_array))
    }

    fn column_index(&self, name: &str, quoted: bool) -> Option<usize> {
        if let Some(i) = self.columns.iter().position(|c| c.name == name) {
            return Some(i);
        }
        // Postgres folds unquoted identifiers to lower case
        (!quoted).then(|| self.columns.iter().position(|c| c.name == name.to_lowercase())).flatten()
    }

    /// A column or a constant (with casts).
    fn operand(&mut self) -> Result<Operand, String> {
        let mut v = match self.peek().cloned() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.operand()?;
                self.expect(&Tok::RParen)?;
                inner
            }
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Operand::Const(Some(Typed::unknown(&s)))
            }
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Operand::Const(Some(Typed::number(&n)?))
            }
            Some(Tok::Op(sign)) if (sign == "-" || sign == "+") && matches!(self.peek_at(1), Some(Tok::Num(_))) => {
                let n = match self.peek_at(1) {
                    Some(Tok::Num(n)) => n.clone(),
                    _ => String::new(),
                };
                self.pos += 2;
                // Postgres negates a numeric constant in the grammar, so -2147483648 is an integer
                Operand::Const(Some(Typed::number(&if sign == "-" { format!("-{n}") } else { n })?))
            }
            Some(Tok::QuotedIdent(q)) => {
                if matches!(self.peek_at(1), Some(Tok::Str(_))) {
                    self.typed_literal()?
                } else {
                    self.pos += 1;
                    Operand::Column(self.column_index(&q, true).ok_or_else(|| format!("column \"{q}\" is not among the --column list"))?)
                }
            }
            Some(Tok::Ident(w)) => {
                let lower = w.to_ascii_lowercase();
                match lower.as_str() {
                    "true" | "false" => {
                        self.pos += 1;
                        Operand::Const(Some(Typed::new(SqlType::Bool, Datum::Bool(lower == "true"))))
                    }
                    "null" => {
                        self.pos += 1;
                        Operand::Const(None)
                    }
                    "cast" if self.peek_at(1) == Some(&Tok::LParen) => {
                        self.pos += 2;
                        let inner = self.operand()?;
                        if !self.eat_kw("as") {
                            return Err(format!("expected AS in CAST {}", self.found()));
                        }
                        let (ty, is_array) = self.type_name()?;
                        self.expect(&Tok::RParen)?;
                        self.cast_operand(inner, ty, is_array)?
                    }
                    _ => {
                        if let Some(i) = self.column_index(&w, false) {
                            self.pos += 1;
                            Operand::Column(i)
                        } else if self.looks_like_typed_literal() {
                            self.typed_literal()?
                        } else if self.peek_at(1) == Some(&Tok::LParen) {
                            return Err(format!("function calls ({w}(…)) are not supported by the runner's --where"));
                        } else {
                            return Err(format!("column `{w}` is not among the --column list"));
                        }
                    }
                }
            }
            _ => return Err(format!("expected a column or a constant {}", self.found())),
        };
        while self.peek() == Some(&Tok::Cast) {
            self.pos += 1;
            let (ty, is_array) = self.type_name()?;
            v = self.cast_operand(v, ty, is_array)?;
        }
        Ok(v)
    }

    /// Is the identifier at the current position a type name followed by a string (`date '…'`)?
    fn looks_like_typed_literal(&self) -> bool {
        (1..=4).any(|n| matches!(self.peek_at(n), Some(Tok::Str(_))) && (0..n).all(|k| matches!(self.peek_at(k), Some(Tok::Ident(_)))))
    }

    fn typed_literal(&mut self) -> Result<Operand, String> {
        let (ty, is_array) = self.type_name()?;
        let Some(Tok::Str(s)) = self.peek().cloned() else {
            return Err(format!("expected a quoted literal after the type name {}", self.found()));
        };
        self.pos += 1;
        self.cast_operand(Operand::Const(Some(Typed::unknown(&s))), ty, is_array)
    }

    fn cast_operand(&self, v: Operand, ty: SqlType, is_array: bool) -> Result<Operand, String> {
        if is_array {
            return Err("array casts are only supported as `op ANY ('{…}'::type[])` in the runner's --where".into());
        }
        match v {
            Operand::Column(i) => Err(format!(
                "casting column `{}` is not supported by the runner's --where (Postgres would not push it down)",
                self.columns[i].name
            )),
            Operand::Const(None) => Ok(Operand::Const(None)),
            Operand::Const(Some(t)) => Ok(Operand::Const(Some(cast(&t, ty)?))),
        }
    }
}
