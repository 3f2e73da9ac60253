//! The SQL lexer of `--where`: Postgres' rules for the tokens the runner reads (quoted strings
//! with doubled quotes and `E'…'` escapes, quoted identifiers, numbers, operators — a
//! multi-character operator ends in `+`/`-` only if it holds one of ``~!@#%^&|`?``, and `!=` is
//! `<>` — brackets and `::`).

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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
    pub(super) fn show(&self) -> String {
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
pub(super) fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
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
