//! Conversions between the `supabase-wrappers` framework's types (Postgres values) and
//! `tsfdw-host`'s version-neutral types (contract §3.3–§3.8).

use pgrx::datum::datetime_support::to_timestamp;
use pgrx::pg_sys;
use pgrx::prelude::{Date, Timestamp, TimestampWithTimeZone};
use pgrx::{AnyNumeric, JsonB};
use std::collections::{BTreeMap, HashMap};
use std::ffi::CStr;
use supabase_wrappers::prelude as fw;
use tsfdw_host as th;

/// 2000-01-01 (the Postgres epoch) in microseconds since the Unix epoch.
pub const PG_EPOCH_US: i64 = 946_684_800_000_000;
/// 2000-01-01 in seconds since the Unix epoch.
pub const PG_EPOCH_SEC: i64 = 946_684_800;

pub fn options_in(map: &HashMap<String, String>) -> th::Options {
    map.iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect::<BTreeMap<_, _>>()
}

/// The host's view of a Postgres column type, by type OID (contract §3.3).
pub fn pg_type(oid: pg_sys::Oid) -> th::PgType {
    match oid {
        pg_sys::BOOLOID => th::PgType::Bool,
        pg_sys::CHAROID => th::PgType::Char,
        pg_sys::INT2OID => th::PgType::Int2,
        pg_sys::FLOAT4OID => th::PgType::Float4,
        pg_sys::INT4OID => th::PgType::Int4,
        pg_sys::FLOAT8OID => th::PgType::Float8,
        pg_sys::INT8OID => th::PgType::Int8,
        pg_sys::NUMERICOID => th::PgType::Numeric,
        pg_sys::TEXTOID => th::PgType::Text,
        pg_sys::DATEOID => th::PgType::Date,
        pg_sys::TIMESTAMPOID => th::PgType::Timestamp,
        pg_sys::TIMESTAMPTZOID => th::PgType::Timestamptz,
        pg_sys::JSONBOID => th::PgType::Jsonb,
        pg_sys::UUIDOID => th::PgType::Uuid,
        other => th::PgType::Unsupported(type_name(other)),
    }
}

fn type_name(oid: pg_sys::Oid) -> String {
    // SAFETY: format_type_be accepts any OID (unknown ones print as "???").
    unsafe {
        let p = pg_sys::format_type_be(oid);
        if p.is_null() {
            return format!("oid {}", oid.to_u32());
        }
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

pub fn column_in(c: &fw::Column) -> th::Column {
    th::Column::new(c.name.clone(), c.num as u32, pg_type(c.type_oid))
}

/// Host value → guest cell (contract §3.5). `Err` for values the host cannot pass to a guest
/// (time, interval, bytea, arrays: a host panic → ERROR on Supabase).
pub fn cell_in(c: &fw::Cell) -> Result<th::Cell, String> {
    Ok(match c {
        fw::Cell::Bool(v) => th::Cell::Bool(*v),
        fw::Cell::I8(v) => th::Cell::I8(*v),
        fw::Cell::I16(v) => th::Cell::I16(*v),
        fw::Cell::F32(v) => th::Cell::F32(*v),
        fw::Cell::I32(v) => th::Cell::I32(*v),
        fw::Cell::F64(v) => th::Cell::F64(*v),
        fw::Cell::I64(v) => th::Cell::I64(*v),
        fw::Cell::Numeric(v) => {
            th::Cell::Numeric(f64::try_from(v.clone()).map_err(|e| format!("convert cell failed: numeric {v}: {e}"))?)
        }
        fw::Cell::String(v) => th::Cell::String(v.clone()),
        // seconds at 00:00 UTC of that date
        fw::Cell::Date(v) => th::Cell::Date(i64::from(v.to_pg_epoch_days()) * 86_400 + PG_EPOCH_SEC),
        fw::Cell::Timestamp(v) => th::Cell::Timestamp(unix_micros(v.into_inner(), "timestamp")?),
        fw::Cell::Timestamptz(v) => th::Cell::Timestamptz(unix_micros(v.into_inner(), "timestamptz")?),
        fw::Cell::Json(v) => th::Cell::Json(v.0.to_string()),
        fw::Cell::Uuid(v) => th::Cell::Uuid(v.to_string()),
        other => {
            return Err(format!(
                "convert cell failed: values of type {} cannot be passed to a Wasm FDW",
                fw_cell_kind(other)
            ))
        }
    })
}

/// Postgres-epoch µs → Unix-epoch µs; `infinity` does not fit (it would wrap around).
fn unix_micros(pg_us: i64, what: &str) -> Result<i64, String> {
    pg_us
        .checked_add(PG_EPOCH_US)
        .ok_or_else(|| format!("convert cell failed: {what} {pg_us} µs since 2000-01-01 is out of range"))
}

fn fw_cell_kind(c: &fw::Cell) -> &'static str {
    match c {
        fw::Cell::Time(_) => "time",
        fw::Cell::Interval(_) => "interval",
        fw::Cell::Bytea(_) => "bytea",
        _ if c.is_array() => "array",
        _ => "this type",
    }
}

/// Guest cell → Postgres value (contract §3.4). The cell was already checked against the
/// column type by `tsfdw-host` (strict row check).
pub fn cell_out(c: th::Cell) -> Result<fw::Cell, String> {
    Ok(match c {
        th::Cell::Bool(v) => fw::Cell::Bool(v),
        th::Cell::I8(v) => fw::Cell::I8(v),
        th::Cell::I16(v) => fw::Cell::I16(v),
        th::Cell::F32(v) => fw::Cell::F32(v),
        th::Cell::I32(v) => fw::Cell::I32(v),
        th::Cell::F64(v) => fw::Cell::F64(v),
        th::Cell::I64(v) => fw::Cell::I64(v),
        th::Cell::Numeric(v) => {
            fw::Cell::Numeric(AnyNumeric::try_from(v).map_err(|e| format!("convert cell failed: numeric {v}: {e}"))?)
        }
        th::Cell::String(v) => fw::Cell::String(v),
        // seconds → timestamptz → date in the session TimeZone, as Supabase does
        th::Cell::Date(secs) => fw::Cell::Date(Date::from(to_timestamp(secs as f64))),
        th::Cell::Timestamp(us) => fw::Cell::Timestamp(
            Timestamp::try_from(us - PG_EPOCH_US).map_err(|e| format!("convert cell failed: timestamp {us}: {e}"))?,
        ),
        th::Cell::Timestamptz(us) => fw::Cell::Timestamptz(
            TimestampWithTimeZone::try_from(us - PG_EPOCH_US)
                .map_err(|e| format!("convert cell failed: timestamptz {us}: {e}"))?,
        ),
        th::Cell::Json(text) => fw::Cell::Json(JsonB(
            serde_json::from_str(&text).map_err(|e| format!("convert cell failed: invalid json: {e}"))?,
        )),
        th::Cell::Uuid(text) => {
            let u = uuid::Uuid::try_parse(&text).map_err(|e| format!("convert cell failed: invalid uuid: {e}"))?;
            fw::Cell::Uuid(pgrx::Uuid::from_bytes(*u.as_bytes()))
        }
        th::Cell::Other(_) => return Err("convert cell failed: cell type `other` is not supported".into()),
    })
}

/// A pushed-down qual (contract §3.6). A value that cannot be passed to a guest (time,
/// interval, bytea, a Postgres array, …) stays in the list as `Value::Unsupported`, as on
/// Supabase: `qual.value()` on it is an ERROR (a host panic there), `deparse()` prints it with
/// the framework's cell display, as Supabase's deparse does. (IN lists only hold convertible
/// element types; should one element still fail, the whole list is unsupported.)
pub fn qual_in(q: &fw::Qual) -> th::Qual {
    let value = match &q.value {
        fw::Value::Cell(c) => match cell_in(c) {
            Ok(cell) => th::Value::Cell(cell),
            Err(reason) => th::Value::Unsupported {
                reason,
                text: c.to_string(),
            },
        },
        fw::Value::Array(cells) => match cells.iter().map(cell_in).collect::<Result<Vec<_>, _>>() {
            Ok(cells) => th::Value::Array(cells),
            Err(reason) => th::Value::Unsupported {
                reason,
                text: cells.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
            },
        },
    };
    th::Qual {
        field: q.field.clone(),
        operator: q.operator.clone(),
        value,
        use_or: q.use_or,
        param: q.param.as_ref().map(|p| th::Param {
            id: p.id as u32,
            type_oid: p.type_oid.to_u32(),
        }),
    }
}

pub fn sort_in(s: &fw::Sort) -> th::Sort {
    th::Sort {
        field: s.field.clone(),
        field_no: s.field_no as u32,
        reversed: s.reversed,
        nulls_first: s.nulls_first,
        collate: s.collate.clone(),
    }
}

pub fn limit_in(l: &fw::Limit) -> th::Limit {
    th::Limit {
        count: l.count,
        offset: l.offset,
    }
}

/// A framework row (insert / update source) → the host's modify row.
pub fn row_in(row: &fw::Row) -> Result<th::ModifyRow, String> {
    let mut out = th::ModifyRow::new();
    for (name, cell) in row.iter() {
        let cell = match cell {
            Some(c) => Some(cell_in(c).map_err(|e| format!("{e} (column `{name}`)"))?),
            None => None,
        };
        out.push(name.clone(), cell);
    }
    Ok(out)
}

pub fn import_stmt_in(stmt: &fw::ImportForeignSchemaStmt) -> th::ImportForeignSchemaStmt {
    th::ImportForeignSchemaStmt {
        server_name: stmt.server_name.clone(),
        remote_schema: stmt.remote_schema.clone(),
        local_schema: stmt.local_schema.clone(),
        list_type: match stmt.list_type {
            fw::ImportSchemaType::FdwImportSchemaAll => th::ImportSchemaType::All,
            fw::ImportSchemaType::FdwImportSchemaLimitTo => th::ImportSchemaType::LimitTo,
            fw::ImportSchemaType::FdwImportSchemaExcept => th::ImportSchemaType::Except,
        },
        table_list: stmt.table_list.clone(),
    }
}
