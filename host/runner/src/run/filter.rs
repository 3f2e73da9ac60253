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
use super::literal::{cast, input, to_cell, to_value, Datum, Typed};
use super::recheck::Check;
use super::sqltype::{common_type, op_kind, resolve_operator, OpKind, SqlType};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    QuotedIdent(String),
    Str(String),
    Num(String),
    Op(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    /// `::`
    Cast,
}

impl Tok {
    fn show(&self) -> String {
        match self {
            Tok::Ident(s) | Tok::Num(s) | Tok::Op(s) => s.clone(),
            Tok::QuotedIdent(s) => format!("\"{s}\""),
            Tok::Str(s) => format!("'{s}'"),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::LBracket => "[".into(),
            Tok::RBracket => "]".into(),
            Tok::Comma => ",".into(),
            Tok::Cast => "::".into(),
        }
    }
}

const OP_CHARS: &str = "+-*/<>=~!@#%^&|`?";

/// Read a quoted token (`'…'` or `"…"`, the quote doubled inside). Returns the text and the
/// index after the closing quote.
fn quoted(chars: &[char], start: usize, q: char) -> Result<(String, usize), String> {
    let mut v = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(if q == '\'' { "unterminated string literal".into() } else { "unterminated quoted identifier".into() }),
            Some(c) if *c == q && chars.get(i + 1) == Some(&q) => {
                v.push(q);
                i += 2;
            }
            Some(c) if *c == q => return Ok((v, i + 1)),
            Some(c) => {
                v.push(*c);
                i += 1;
            }
        }
    }
}

/// An `E'…'` string: backslash escapes (`\n`, `\t`, `\\`, `\'`, octal `\ooo`, `\xHH`,
/// `\uXXXX`, `\UXXXXXXXX`) and a doubled quote. `start` is the opening quote.
fn escape_string(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let mut v = String::new();
    let mut i = start + 1;
    let digits = |from: usize, max: usize, radix: u32| -> (u32, usize) {
        let mut n = 0u32;
        let mut k = 0;
        while k < max {
            match chars.get(from + k).and_then(|c| c.to_digit(radix)) {
                Some(d) => n = n.wrapping_mul(radix).wrapping_add(d),
                None => break,
            }
            k += 1;
        }
        (n, k)
    };
    loop {
        match chars.get(i) {
            None => return Err("unterminated string literal".into()),
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                v.push('\'');
                i += 2;
            }
            Some('\'') => return Ok((v, i + 1)),
            Some('\\') => {
                let e = *chars.get(i + 1).ok_or("unterminated string literal")?;
                i += 2;
                let code = match e {
                    'b' => 8,
                    'f' => 12,
                    'n' => 10,
                    'r' => 13,
                    't' => 9,
                    '0'..='7' => {
                        let (n, k) = digits(i - 1, 3, 8);
                        i += k - 1;
                        n
                    }
                    'x' | 'u' | 'U' => {
                        let max = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let (n, k) = digits(i, max, 16);
                        if k == 0 || (e != 'x' && k != max) {
                            return Err(format!("invalid escape \\{e} in E'…' string"));
                        }
                        i += k;
                        n
                    }
                    other => u32::from(other),
                };
                v.push(char::from_u32(code).filter(|c| *c != '\0').ok_or("invalid character in E'…' string")?);
            }
            Some(ch) => {
                v.push(*ch);
                i += 1;
            }
        }
    }
}

/// Postgres' lexer, for the tokens `--where` uses.
fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let (v, end) = quoted(&chars, i, '\'')?;
            out.push(Tok::Str(v));
            i = end;
        } else if (c == 'e' || c == 'E') && next == Some('\'') {
            let (v, end) = escape_string(&chars, i + 1)?;
            out.push(Tok::Str(v));
            i = end;
        } else if c == '"' {
            let (v, end) = quoted(&chars, i, '"')?;
            out.push(Tok::QuotedIdent(v));
            i = end;
        } else if c == '$' {
            return Err("dollar-quoted strings and parameters ($1) are not supported by the runner's --where".into());
        } else if c == ':' && next == Some(':') {
            out.push(Tok::Cast);
            i += 2;
        } else if c == '(' || c == ')' || c == '[' || c == ']' || c == ',' {
            out.push(match c {
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                '[' => Tok::LBracket,
                ']' => Tok::RBracket,
                _ => Tok::Comma,
            });
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let n: String = chars[start..i].iter().collect();
            if n.matches('.').count() > 1 || chars.get(i).is_some_and(|ch| ch.is_alphanumeric() || *ch == '_') {
                return Err(format!("invalid number {n}…"));
            }
            out.push(Tok::Num(n));
        } else if c.is_alphabetic() || c == '_' {
            if (c == 'u' || c == 'U' || c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == Some('\'') {
                return Err(format!("{c}'…' strings are not supported by the runner's --where; write a plain '…' string"));
            }
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if OP_CHARS.contains(c) {
            let start = i;
            while i < chars.len() && OP_CHARS.contains(chars[i]) {
                if (chars[i] == '-' && chars.get(i + 1) == Some(&'-')) || (chars[i] == '/' && chars.get(i + 1) == Some(&'*')) {
                    return Err("comments are not supported in --where".into());
                }
                i += 1;
            }
            let mut op: String = chars[start..i].iter().collect();
            // Postgres: a multi-character operator ends in + or - only if it contains one of ~!@#%^&|`?
            if op.len() > 1 && !op.contains(|ch: char| "~!@#%^&|`?".contains(ch)) {
                while op.len() > 1 && (op.ends_with('+') || op.ends_with('-')) {
                    op.pop();
                    i -= 1;
                }
            }
            out.push(Tok::Op(if op == "!=" { "<>".into() } else { op }));
        } else {
            return Err(format!("unexpected character '{c}'"));
        }
    }
    Ok(out)
}

/// One side of a condition.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Column(usize),
    /// A constant; `None` is NULL.
    Const(Option<Typed>),
}

/// The array of `op ANY|ALL (…)`.
#[derive(Debug, Clone, PartialEq)]
enum ArrayLit {
    /// `ARRAY[e1, …]`
    Elems(Vec<Operand>),
    /// `'{…}'` (untyped: an array of the column's type) or `'{…}'::type[]`.
    Text(String, Option<SqlType>),
}

#[derive(Debug, Clone, PartialEq)]
enum Pred {
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

struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    columns: &'a [Column],
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
    fn conj(&mut self) -> Result<Pred, String> {
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
                let Some(Tok::Num(n)) = self.peek_at(1).cloned() else { unreachable!("checked by the guard") };
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
