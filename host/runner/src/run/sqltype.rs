//! The Postgres types `--where` constants can have, and the parts of Postgres' type resolution
//! the runner needs to type them as Postgres does (operator resolution, implicit casts, the
//! common type of an IN list), restricted to the types the host supports. Postgres keeps a
//! constant's own type when an operator for (column type, constant type) exists, so
//! `bigint_col = 7` passes an `int4` constant (`int84eq`); the guest must see the same cell.

use super::host::PgType;

/// A Postgres type of a column or a constant. `Unknown` is an untyped quoted literal (`'7'`),
/// which takes the type of the other operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    Bool,
    /// `"char"` (one byte).
    Char,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Numeric,
    Text,
    Date,
    Timestamp,
    Timestamptz,
    Jsonb,
    Uuid,
    Unknown,
}

use SqlType::*;

/// Postgres type categories (`pg_type.typcategory`): `select_common_type` never mixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Boolean,
    Numeric,
    String,
    DateTime,
    User,
    Internal,
    Unknown,
}

/// The operator families with cross-type operators (btree `integer_ops`, `float_ops`, `datetime_ops`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Integer,
    Float,
    DateTime,
}

impl SqlType {
    /// The name Postgres prints in messages (`format_type_be`).
    pub fn pg_name(self) -> &'static str {
        match self {
            Bool => "boolean",
            Char => "\"char\"",
            Int2 => "smallint",
            Int4 => "integer",
            Int8 => "bigint",
            Float4 => "real",
            Float8 => "double precision",
            Numeric => "numeric",
            Text => "text",
            Date => "date",
            Timestamp => "timestamp without time zone",
            Timestamptz => "timestamp with time zone",
            Jsonb => "jsonb",
            Uuid => "uuid",
            Unknown => "unknown",
        }
    }

    /// The type of a column for typing purposes. varchar compares as text (Postgres relabels it
    /// and pushes text constants); other types the host does not support (bpchar and name have
    /// operators of their own whose constants Supabase does not push; json, time, …) are not typed.
    pub fn of_column(t: &PgType) -> Option<SqlType> {
        Some(match t {
            PgType::Bool => Bool,
            PgType::Char => Char,
            PgType::Int2 => Int2,
            PgType::Int4 => Int4,
            PgType::Int8 => Int8,
            PgType::Float4 => Float4,
            PgType::Float8 => Float8,
            PgType::Numeric => Numeric,
            PgType::Text => Text,
            PgType::Date => Date,
            PgType::Timestamp => Timestamp,
            PgType::Timestamptz => Timestamptz,
            PgType::Jsonb => Jsonb,
            PgType::Uuid => Uuid,
            PgType::Unsupported(name) => {
                let base = name.split('(').next().unwrap_or("").trim();
                match base {
                    "varchar" | "character varying" => Text,
                    _ => return None,
                }
            }
        })
    }

    /// A type name as written in a cast (`::int8`, `CAST(… AS bigint)`, `timestamp '…'`).
    /// `char` without quotes is `character(1)` in Postgres, which the host does not support.
    pub fn parse(name: &str) -> Option<SqlType> {
        let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
        Some(match collapsed.as_str() {
            "bool" | "boolean" => Bool,
            "\"char\"" => Char,
            "int2" | "smallint" => Int2,
            "int4" | "int" | "integer" => Int4,
            "int8" | "bigint" => Int8,
            "float4" | "real" => Float4,
            "float8" | "double precision" | "float" => Float8,
            "numeric" | "decimal" => Numeric,
            // a varchar constant compares as text (binary-compatible); typmods are refused earlier
            "text" | "varchar" | "character varying" => Text,
            "date" => Date,
            "timestamp" | "timestamp without time zone" => Timestamp,
            "timestamptz" | "timestamp with time zone" => Timestamptz,
            "jsonb" => Jsonb,
            "uuid" => Uuid,
            _ => return None,
        })
    }

    fn category(self) -> Category {
        match self {
            Bool => Category::Boolean,
            Int2 | Int4 | Int8 | Float4 | Float8 | Numeric => Category::Numeric,
            Text => Category::String,
            Date | Timestamp | Timestamptz => Category::DateTime,
            Jsonb | Uuid => Category::User,
            Char => Category::Internal,
            Unknown => Category::Unknown,
        }
    }

    /// `pg_type.typispreferred`.
    fn preferred(self) -> bool {
        matches!(self, Bool | Float8 | Text | Timestamptz)
    }

    fn family(self) -> Option<Family> {
        match self {
            Int2 | Int4 | Int8 => Some(Family::Integer),
            Float4 | Float8 => Some(Family::Float),
            Date | Timestamp | Timestamptz => Some(Family::DateTime),
            _ => None,
        }
    }

    /// Is there an implicit cast (`pg_cast.castcontext = 'i'`) from `self` to `to`?
    pub fn implicit_to(self, to: SqlType) -> bool {
        if self == to || self == Unknown {
            return true;
        }
        match self {
            Int2 => matches!(to, Int4 | Int8 | Float4 | Float8 | Numeric),
            Int4 => matches!(to, Int8 | Float4 | Float8 | Numeric),
            Int8 => matches!(to, Float4 | Float8 | Numeric),
            Float4 => to == Float8,
            Numeric => matches!(to, Float4 | Float8),
            Date => matches!(to, Timestamp | Timestamptz),
            Timestamp => to == Timestamptz,
            Char => to == Text,
            _ => false,
        }
    }

    /// Array element types whose constant arrays Supabase's qual extraction converts
    /// (bool, "char", int2, float4, int4, float8, int8, text, date, timestamp, jsonb).
    pub fn array_pushable(self) -> bool {
        matches!(self, Bool | Char | Int2 | Float4 | Int4 | Float8 | Int8 | Text | Date | Timestamp | Jsonb)
    }
}

/// The kinds of binary operators the runner knows, by Postgres operator name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// `=`, `<>`, `<`, `<=`, `>`, `>=`: btree comparisons.
    Compare,
    /// `~~`, `!~~`, `~~*`, `!~~*`: LIKE / ILIKE.
    Like,
    /// `@>`, `<@`: jsonb containment.
    Contains,
    /// `?`: jsonb key exists.
    Exists,
}

pub fn op_kind(op: &str) -> Option<OpKind> {
    Some(match op {
        "=" | "<>" | "<" | "<=" | ">" | ">=" => OpKind::Compare,
        "~~" | "!~~" | "~~*" | "!~~*" => OpKind::Like,
        "@>" | "<@" => OpKind::Contains,
        "?" => OpKind::Exists,
        _ => return None,
    })
}

/// Does Postgres have operator `kind` for exactly (left, right)?
fn op_exists(kind: OpKind, l: SqlType, r: SqlType) -> bool {
    match kind {
        OpKind::Compare => l == r && l != Unknown || (l.family().is_some() && l.family() == r.family()),
        OpKind::Like => l == Text && r == Text,
        OpKind::Contains => l == Jsonb && r == Jsonb,
        OpKind::Exists => l == Jsonb && r == Text,
    }
}

/// Every operand type pair Postgres has operator `kind` for (among the runner's types).
fn candidates(kind: OpKind) -> Vec<(SqlType, SqlType)> {
    const ALL: [SqlType; 14] =
        [Bool, Char, Int2, Int4, Int8, Float4, Float8, Numeric, Text, Date, Timestamp, Timestamptz, Jsonb, Uuid];
    let mut out = Vec::new();
    for l in ALL {
        for r in ALL {
            if op_exists(kind, l, r) {
                out.push((l, r));
            }
        }
    }
    out
}

/// Keep the candidates with the highest score, unless every score is zero (Postgres' rule).
fn keep_best(cands: Vec<(SqlType, SqlType)>, score: impl Fn(&(SqlType, SqlType)) -> usize) -> Vec<(SqlType, SqlType)> {
    let best = cands.iter().map(&score).max().unwrap_or(0);
    if best == 0 {
        return cands;
    }
    cands.into_iter().filter(|c| score(c) == best).collect()
}

/// Resolve binary operator `op` for operand types (left, right) as Postgres' `oper()` does:
/// the operator's declared operand types. An operand whose type differs from the declared one
/// is cast to it (for a column that means the qual is not pushed down).
pub fn resolve_operator(op: &str, l: SqlType, r: SqlType) -> Result<(SqlType, SqlType), String> {
    let no_op = || format!("operator does not exist: {} {op} {}", l.pg_name(), r.pg_name());
    let Some(kind) = op_kind(op) else {
        return Err(format!("operator {op} is not supported by the runner's --where"));
    };
    // an untyped literal against a typed operand: try the typed operand's type for both
    if l == Unknown && r != Unknown && op_exists(kind, r, r) {
        return Ok((r, r));
    }
    if r == Unknown && l != Unknown && op_exists(kind, l, l) {
        return Ok((l, l));
    }
    if op_exists(kind, l, r) {
        return Ok((l, r));
    }
    let cands: Vec<_> = candidates(kind).into_iter().filter(|(a, b)| l.implicit_to(*a) && r.implicit_to(*b)).collect();
    // most exact matches, then most preferred types (of the input's category) where a cast is needed
    let exact = |(a, b): &(SqlType, SqlType)| usize::from(l != Unknown && *a == l) + usize::from(r != Unknown && *b == r);
    let cands = keep_best(cands, exact);
    let pref = |t: SqlType, input: SqlType| input != Unknown && (t == input || (t.preferred() && t.category() == input.category()));
    let cands = keep_best(cands, |(a, b)| usize::from(pref(*a, l)) + usize::from(pref(*b, r)));
    match cands.as_slice() {
        [one] => Ok(*one),
        [] => Err(no_op()),
        _ => Err(format!("operator is not unique: {} {op} {}", l.pg_name(), r.pg_name())),
    }
}

/// Postgres' `select_common_type` without an error context (as IN lists call it): `None` when
/// the types belong to different categories. All-unknown resolves to text.
pub fn common_type(types: &[SqlType]) -> Option<SqlType> {
    let mut p = Unknown;
    for &n in types {
        if n == Unknown || n == p {
            continue;
        }
        if p == Unknown {
            p = n;
        } else if n.category() != p.category() {
            return None;
        } else if !p.preferred() && p.implicit_to(n) && !n.implicit_to(p) {
            p = n;
        }
    }
    if p == Unknown {
        p = Text;
    }
    // verify_common_type: every input must cast implicitly to the result
    types.iter().all(|t| t.implicit_to(p)).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_resolution_keeps_the_constants_type() {
        assert_eq!(resolve_operator("=", Int8, Int4), Ok((Int8, Int4)));
        assert_eq!(resolve_operator("<", Int2, Int8), Ok((Int2, Int8)));
        assert_eq!(resolve_operator("=", Int8, Unknown), Ok((Int8, Int8)));
        // float columns: the constant becomes float8 (float48eq), even against real
        assert_eq!(resolve_operator("=", Float4, Int4), Ok((Float4, Float8)));
        assert_eq!(resolve_operator("=", Float4, Numeric), Ok((Float4, Float8)));
        assert_eq!(resolve_operator("=", Float8, Numeric), Ok((Float8, Float8)));
        assert_eq!(resolve_operator("=", Float8, Float4), Ok((Float8, Float4)));
        // numeric column: an integer constant becomes numeric
        assert_eq!(resolve_operator("=", Numeric, Int4), Ok((Numeric, Numeric)));
        // the column is cast: not pushed down
        assert_eq!(resolve_operator("=", Int8, Numeric), Ok((Numeric, Numeric)));
        assert_eq!(resolve_operator("=", Int4, Float8), Ok((Float8, Float8)));
        assert_eq!(resolve_operator("=", Int4, Float4), Ok((Float8, Float4)));
        assert_eq!(resolve_operator("=", Numeric, Float8), Ok((Float8, Float8)));
        assert_eq!(resolve_operator("=", Char, Text), Ok((Text, Text)));
        assert_eq!(resolve_operator("~~", Char, Unknown), Ok((Text, Text)));
        assert_eq!(resolve_operator("=", Date, Timestamptz), Ok((Date, Timestamptz)));
        assert_eq!(resolve_operator("?", Jsonb, Unknown), Ok((Jsonb, Text)));
        assert_eq!(resolve_operator("=", Text, Int4), Err("operator does not exist: text = integer".into()));
        assert_eq!(resolve_operator("~~", Int8, Unknown), Err("operator does not exist: bigint ~~ unknown".into()));
        assert_eq!(resolve_operator("=", Bool, Int4), Err("operator does not exist: boolean = integer".into()));
    }

    #[test]
    fn common_types_of_in_lists() {
        assert_eq!(common_type(&[Int8, Int4, Int4]), Some(Int8));
        assert_eq!(common_type(&[Int2, Int4]), Some(Int4));
        assert_eq!(common_type(&[Int4, Int4, Int8]), Some(Int8));
        assert_eq!(common_type(&[Int4, Numeric]), Some(Numeric));
        assert_eq!(common_type(&[Float4, Numeric]), Some(Float4));
        assert_eq!(common_type(&[Float8, Numeric]), Some(Float8));
        assert_eq!(common_type(&[Date, Unknown, Timestamp]), Some(Timestamp));
        assert_eq!(common_type(&[Unknown, Unknown]), Some(Text));
        assert_eq!(common_type(&[Text, Int4]), None);
    }
}
