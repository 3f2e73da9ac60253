//! Version-neutral data model shared by the v1 and v2 bindings.
//!
//! Guests speak `supabase:wrappers@0.1.0` or `@0.2.0`; the host converts their
//! version-specific values into these types at the boundary and implements all
//! behaviour once (see `bindings.rs`).

use std::collections::BTreeMap;
use std::fmt;

/// Key/value options (server, table or import-schema options). Values are always strings.
pub type Options = BTreeMap<String, String>;

/// Table option key added by the Supabase framework (decimal OID of the foreign server).
pub const FSERVER_OID_KEY: &str = "wrappers.fserver_oid";
/// Table option key added by the Supabase framework (decimal OID of the foreign table).
pub const FTABLE_OID_KEY: &str = "wrappers.ftable_oid";

/// A cell value, the union of the v1 and v2 WIT `cell` variants.
///
/// Units: `Date` = seconds since the Unix epoch, `Timestamp`/`Timestamptz` =
/// microseconds since the Unix epoch, `Numeric` is carried as an `f64`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Bool(bool),
    /// Postgres `"char"`.
    I8(i8),
    I16(i16),
    F32(f32),
    I32(i32),
    F64(f64),
    I64(i64),
    Numeric(f64),
    String(String),
    /// Seconds since the Unix epoch.
    Date(i64),
    /// Microseconds since the Unix epoch (wall clock, no zone).
    Timestamp(i64),
    /// Microseconds since the Unix epoch (absolute instant).
    Timestamptz(i64),
    /// JSON text.
    Json(String),
    /// UUID text (v2 only).
    Uuid(String),
    /// Declared in the v2 WIT, never supported by the host.
    Other(String),
}

impl Cell {
    /// The WIT variant name of this cell (`bool`, `i8`, …, `other`).
    pub fn variant_name(&self) -> &'static str {
        match self {
            Cell::Bool(_) => "bool",
            Cell::I8(_) => "i8",
            Cell::I16(_) => "i16",
            Cell::F32(_) => "f32",
            Cell::I32(_) => "i32",
            Cell::F64(_) => "f64",
            Cell::I64(_) => "i64",
            Cell::Numeric(_) => "numeric",
            Cell::String(_) => "string",
            Cell::Date(_) => "date",
            Cell::Timestamp(_) => "timestamp",
            Cell::Timestamptz(_) => "timestamptz",
            Cell::Json(_) => "json",
            Cell::Uuid(_) => "uuid",
            Cell::Other(_) => "other",
        }
    }
}

/// The WIT `type-oid` variant (without `other`, which the host never produces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeOid {
    Bool,
    I8,
    I16,
    F32,
    I32,
    F64,
    I64,
    Numeric,
    String,
    Date,
    Timestamp,
    Timestamptz,
    Json,
    /// v2 only.
    Uuid,
}

impl TypeOid {
    /// The WIT case name (`bool`, `i8`, …).
    pub fn name(self) -> &'static str {
        match self {
            TypeOid::Bool => "bool",
            TypeOid::I8 => "i8",
            TypeOid::I16 => "i16",
            TypeOid::F32 => "f32",
            TypeOid::I32 => "i32",
            TypeOid::F64 => "f64",
            TypeOid::I64 => "i64",
            TypeOid::Numeric => "numeric",
            TypeOid::String => "string",
            TypeOid::Date => "date",
            TypeOid::Timestamp => "timestamp",
            TypeOid::Timestamptz => "timestamptz",
            TypeOid::Json => "json",
            TypeOid::Uuid => "uuid",
        }
    }
}

/// A Postgres column type as seen by the host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PgType {
    Bool,
    /// `"char"` (one byte).
    Char,
    Int2,
    Float4,
    Int4,
    Float8,
    Int8,
    Numeric,
    Text,
    Date,
    Timestamp,
    Timestamptz,
    Jsonb,
    Uuid,
    /// Any other Postgres type (varchar, json, time, interval, bytea, arrays, …), by
    /// its (normalised) name. `type-oid()` on such a column is a host error, as on Supabase.
    Unsupported(String),
}

impl PgType {
    /// Parse a Postgres type name (case-insensitive, common aliases and typmods accepted).
    /// Never fails: unknown names become [`PgType::Unsupported`].
    pub fn parse(name: &str) -> PgType {
        let raw = name.trim();
        let lower = raw.to_ascii_lowercase();
        let collapsed: String = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        // strip a typmod such as numeric(10,2) or timestamp(3) with time zone
        let base: String = match (collapsed.find('('), collapsed.find(')')) {
            (Some(open), Some(close)) if close > open => {
                let rest = collapsed[close + 1..].trim();
                let head = collapsed[..open].trim();
                if rest.is_empty() {
                    head.to_string()
                } else {
                    format!("{head} {rest}")
                }
            }
            _ => collapsed.clone(),
        };
        match base.as_str() {
            "bool" | "boolean" => PgType::Bool,
            // only the quoted name is the one-byte type; `char` and `char(n)` are `character(n)`
            // (bpchar) in Postgres, which the host does not support
            "\"char\"" if !collapsed.contains('(') => PgType::Char,
            "int2" | "smallint" => PgType::Int2,
            "float4" | "real" => PgType::Float4,
            "int4" | "integer" | "int" => PgType::Int4,
            "float8" | "double precision" => PgType::Float8,
            "int8" | "bigint" => PgType::Int8,
            "numeric" | "decimal" => PgType::Numeric,
            "text" => PgType::Text,
            "date" => PgType::Date,
            "timestamp" | "timestamp without time zone" => PgType::Timestamp,
            "timestamptz" | "timestamp with time zone" => PgType::Timestamptz,
            "jsonb" => PgType::Jsonb,
            "uuid" => PgType::Uuid,
            _ => PgType::Unsupported(collapsed),
        }
    }

    /// The `type-oid` the host reports for this column type, if supported.
    pub fn type_oid(&self) -> Option<TypeOid> {
        Some(match self {
            PgType::Bool => TypeOid::Bool,
            PgType::Char => TypeOid::I8,
            PgType::Int2 => TypeOid::I16,
            PgType::Float4 => TypeOid::F32,
            PgType::Int4 => TypeOid::I32,
            PgType::Float8 => TypeOid::F64,
            PgType::Int8 => TypeOid::I64,
            PgType::Numeric => TypeOid::Numeric,
            PgType::Text => TypeOid::String,
            PgType::Date => TypeOid::Date,
            PgType::Timestamp => TypeOid::Timestamp,
            PgType::Timestamptz => TypeOid::Timestamptz,
            PgType::Jsonb => TypeOid::Json,
            PgType::Uuid => TypeOid::Uuid,
            PgType::Unsupported(_) => return None,
        })
    }

    /// The Postgres type OID (0 for unsupported types, whose OID is unknown here).
    pub fn oid(&self) -> u32 {
        match self {
            PgType::Bool => 16,
            PgType::Char => 18,
            PgType::Int2 => 21,
            PgType::Float4 => 700,
            PgType::Int4 => 23,
            PgType::Float8 => 701,
            PgType::Int8 => 20,
            PgType::Numeric => 1700,
            PgType::Text => 25,
            PgType::Date => 1082,
            PgType::Timestamp => 1114,
            PgType::Timestamptz => 1184,
            PgType::Jsonb => 3802,
            PgType::Uuid => 2950,
            PgType::Unsupported(_) => 0,
        }
    }

    /// True for unsupported types whose datum layout is text (varchar, bpchar, json, …):
    /// a `string` cell can be stored there (as on Supabase, inferred).
    pub fn is_text_like(&self) -> bool {
        match self {
            PgType::Text => true,
            PgType::Unsupported(name) => {
                let base = name.split('(').next().unwrap_or("").trim();
                matches!(
                    base,
                    "varchar" | "character varying" | "bpchar" | "character" | "char" | "json" | "xml" | "citext" | "name"
                )
            }
            _ => false,
        }
    }

    /// Does a cell of this variant fit a column of this type exactly?
    pub fn accepts(&self, cell: &Cell) -> bool {
        match (self, cell) {
            (_, Cell::Other(_)) => false,
            (PgType::Bool, Cell::Bool(_))
            | (PgType::Char, Cell::I8(_))
            | (PgType::Int2, Cell::I16(_))
            | (PgType::Float4, Cell::F32(_))
            | (PgType::Int4, Cell::I32(_))
            | (PgType::Float8, Cell::F64(_))
            | (PgType::Int8, Cell::I64(_))
            | (PgType::Numeric, Cell::Numeric(_))
            | (PgType::Text, Cell::String(_))
            | (PgType::Date, Cell::Date(_))
            | (PgType::Timestamp, Cell::Timestamp(_))
            | (PgType::Timestamptz, Cell::Timestamptz(_))
            | (PgType::Jsonb, Cell::Json(_))
            | (PgType::Uuid, Cell::Uuid(_)) => true,
            (t @ PgType::Unsupported(_), Cell::String(_)) => t.is_text_like(),
            _ => false,
        }
    }

    /// The cell variant expected for this column type (for error messages).
    pub fn expected_variant(&self) -> &'static str {
        match self.type_oid() {
            Some(t) => t.name(),
            None if self.is_text_like() => "string",
            None => "none (unsupported column type)",
        }
    }
}

impl fmt::Display for PgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            PgType::Bool => "bool",
            PgType::Char => "\"char\"",
            PgType::Int2 => "int2",
            PgType::Float4 => "float4",
            PgType::Int4 => "int4",
            PgType::Float8 => "float8",
            PgType::Int8 => "int8",
            PgType::Numeric => "numeric",
            PgType::Text => "text",
            PgType::Date => "date",
            PgType::Timestamp => "timestamp",
            PgType::Timestamptz => "timestamptz",
            PgType::Jsonb => "jsonb",
            PgType::Uuid => "uuid",
            PgType::Unsupported(name) => name,
        };
        f.write_str(s)
    }
}

/// A target column of a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// 1-based attribute number in the table (`attnum`).
    pub num: u32,
    pub pg_type: PgType,
}

impl Column {
    pub fn new(name: impl Into<String>, num: u32, pg_type: PgType) -> Self {
        Column { name: name.into(), num, pg_type }
    }
}

/// A qual value: a single cell or an array (IN / NOT IN lists).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Cell(Cell),
    Array(Vec<Cell>),
    /// A value the host cannot pass to a guest (a `time`, `interval`, `bytea` or Postgres-array
    /// constant, a numeric beyond f64, …). The qual is still listed: `qual.value()` on it is a
    /// host error with `reason` (Supabase panics there), while `deparse()` works and prints
    /// `text`, the value's SQL-ish rendering (Supabase's `Cell` display, e.g. `'12:00:00'`).
    Unsupported { reason: String, text: String },
}

/// A query parameter reference of a qual.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub id: u32,
    pub type_oid: u32,
}

/// A pushed-down WHERE condition (contract §3.6).
#[derive(Debug, Clone, PartialEq)]
pub struct Qual {
    pub field: String,
    /// Postgres operator name: `=`, `<>`, `<`, `<=`, `>`, `>=`, `~~`, `!~~`, `~~*`, `!~~*`, `is`, `is not`, …
    pub operator: String,
    pub value: Value,
    pub use_or: bool,
    pub param: Option<Param>,
}

/// A requested sort key (contract §3.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub field: String,
    pub field_no: u32,
    pub reversed: bool,
    pub nulls_first: bool,
    pub collate: Option<String>,
}

/// A LIMIT/OFFSET hint (contract §3.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: i64,
    pub offset: i64,
}

/// Which options map a guest asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsKind {
    Server,
    Table,
    /// v2 only.
    ImportSchema,
}

/// IMPORT FOREIGN SCHEMA list type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportSchemaType {
    All,
    LimitTo,
    Except,
}

/// The IMPORT FOREIGN SCHEMA statement passed to v2 guests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportForeignSchemaStmt {
    pub server_name: String,
    pub remote_schema: String,
    pub local_schema: String,
    pub list_type: ImportSchemaType,
    pub table_list: Vec<String>,
}

/// Everything `begin-scan` needs (stored in the instance state for the scan's duration).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanSpec {
    /// Table options; `wrappers.fserver_oid` / `wrappers.ftable_oid` are added when absent.
    pub table_options: Options,
    pub columns: Vec<Column>,
    pub quals: Vec<Qual>,
    pub sorts: Vec<Sort>,
    pub limit: Option<Limit>,
}

/// A source row for `insert` / `update` (column names and cells, same length).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModifyRow {
    pub cols: Vec<String>,
    pub cells: Vec<Option<Cell>>,
}

impl ModifyRow {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, col: impl Into<String>, cell: Option<Cell>) {
        self.cols.push(col.into());
        self.cells.push(cell);
    }
}

/// Which `routines` export a guest implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutinesVersion {
    /// `supabase:wrappers/routines@0.1.0`
    V1,
    /// `supabase:wrappers/routines@0.2.0`
    V2,
}

impl RoutinesVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            RoutinesVersion::V1 => "v1",
            RoutinesVersion::V2 => "v2",
        }
    }

    /// The WIT package version (`0.1.0` / `0.2.0`).
    pub fn package_version(self) -> &'static str {
        match self {
            RoutinesVersion::V1 => "0.1.0",
            RoutinesVersion::V2 => "0.2.0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_type_parse_aliases() {
        assert_eq!(PgType::parse("BOOLEAN"), PgType::Bool);
        assert_eq!(PgType::parse("\"char\""), PgType::Char);
        // unquoted `char` is `character(1)` (bpchar) in Postgres, `char(3)` is `character(3)`
        assert_eq!(PgType::parse("char"), PgType::Unsupported("char".into()));
        assert_eq!(PgType::parse("char(3)"), PgType::Unsupported("char(3)".into()));
        assert_eq!(PgType::parse("CHAR (3)"), PgType::Unsupported("char (3)".into()));
        assert_eq!(PgType::parse("character(3)"), PgType::Unsupported("character(3)".into()));
        assert_eq!(PgType::parse("\"char\"(3)"), PgType::Unsupported("\"char\"(3)".into()));
        for t in ["char", "char(3)", "character(3)", "bpchar"] {
            assert!(PgType::parse(t).is_text_like(), "{t}");
            assert_eq!(PgType::parse(t).type_oid(), None, "{t}");
        }
        assert_eq!(PgType::parse("integer"), PgType::Int4);
        assert_eq!(PgType::parse("double   precision"), PgType::Float8);
        assert_eq!(PgType::parse("numeric(10,2)"), PgType::Numeric);
        assert_eq!(PgType::parse("timestamp(3) with time zone"), PgType::Timestamptz);
        assert_eq!(PgType::parse("timestamp without time zone"), PgType::Timestamp);
        assert_eq!(PgType::parse("varchar(20)"), PgType::Unsupported("varchar(20)".into()));
        assert_eq!(PgType::parse("json"), PgType::Unsupported("json".into()));
        assert!(PgType::parse("varchar(20)").is_text_like());
        assert!(!PgType::parse("interval").is_text_like());
    }

    #[test]
    fn accepts_exact_variants() {
        assert!(PgType::Int4.accepts(&Cell::I32(1)));
        assert!(!PgType::Int4.accepts(&Cell::I64(1)));
        assert!(!PgType::Numeric.accepts(&Cell::F64(1.0)));
        assert!(PgType::Jsonb.accepts(&Cell::Json("{}".into())));
        assert!(!PgType::Text.accepts(&Cell::Json("{}".into())));
        assert!(!PgType::Text.accepts(&Cell::Other("x".into())));
        assert!(PgType::parse("varchar").accepts(&Cell::String("x".into())));
        assert!(!PgType::parse("interval").accepts(&Cell::String("x".into())));
    }
}
