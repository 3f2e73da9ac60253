//! The bench's Rust reference guest: `select … from github.events` over ONE page of 100 events
//! (`GET {api_url}/events?per_page=100`), columns mapped by name as the TypeScript FDW does
//! (text, bool, jsonb, timestamp). Deliberately small: it stands for "a small Rust guest" when
//! comparing per-query compile time and rows/s.
#[allow(warnings)]
mod bindings {
    wit_bindgen::generate!({ path: "wit", world: "bench-guest", generate_all });
}

use bindings::exports::supabase::wrappers::routines::Guest;
use bindings::supabase::wrappers::types::{Cell, Context, FdwError, FdwResult, ImportForeignSchemaStmt, OptionsType, Row, TypeOid};
use bindings::supabase::wrappers::{http, time};
use serde_json::Value;
use std::cell::RefCell;

#[derive(Default)]
struct State {
    events: Vec<Value>,
    next: usize,
    columns: Vec<(String, TypeOid)>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

struct Fdw;

fn cell(v: &Value, t: &TypeOid) -> Result<Option<Cell>, FdwError> {
    Ok(match (t, v) {
        (_, Value::Null) => None,
        (TypeOid::String, Value::String(s)) => Some(Cell::String(s.clone())),
        (TypeOid::String, v) => Some(Cell::String(v.to_string())),
        (TypeOid::Bool, Value::Bool(b)) => Some(Cell::Bool(*b)),
        (TypeOid::Json, v) => Some(Cell::Json(v.to_string())),
        (TypeOid::Timestamp, Value::String(s)) => Some(Cell::Timestamp(time::parse_from_rfc3339(s)?)),
        (TypeOid::Timestamptz, Value::String(s)) => Some(Cell::Timestamptz(time::parse_from_rfc3339(s)?)),
        (TypeOid::I64, Value::Number(n)) => n.as_i64().map(Cell::I64),
        _ => return Err(format!("unsupported column type {t:?} for {v}")),
    })
}

impl Guest for Fdw {
    fn host_version_requirement() -> String {
        "^0.1.0".to_string()
    }
    fn init(_ctx: &Context) -> FdwResult {
        Ok(())
    }
    fn begin_scan(ctx: &Context) -> FdwResult {
        let opts = ctx.get_options(&OptionsType::Server);
        let base = opts.require_or("api_url", "https://api.github.com");
        let req = http::Request {
            method: http::Method::Get,
            url: format!("{base}/events?per_page=100"),
            headers: vec![("user-agent".into(), "tsfdw bench".into()), ("accept".into(), "application/vnd.github+json".into())],
            body: String::new(),
        };
        let resp = http::get(&req)?;
        http::error_for_status(&resp)?;
        let page: Value = serde_json::from_str(&resp.body).map_err(|e| e.to_string())?;
        let events = match page {
            Value::Array(a) => a,
            _ => return Err("expected a JSON array of events".into()),
        };
        let columns = ctx.get_columns().iter().map(|c| (c.name(), c.type_oid())).collect();
        STATE.with(|s| *s.borrow_mut() = State { events, next: 0, columns });
        Ok(())
    }
    fn iter_scan(_ctx: &Context, row: &Row) -> Result<Option<u32>, FdwError> {
        STATE.with(|s| {
            let mut s = s.borrow_mut();
            let Some(ev) = s.events.get(s.next) else { return Ok(None) };
            for (name, t) in &s.columns {
                row.push(cell(ev.get(name).unwrap_or(&Value::Null), t)?.as_ref());
            }
            s.next += 1;
            Ok(Some(0))
        })
    }
    fn re_scan(_ctx: &Context) -> FdwResult {
        STATE.with(|s| s.borrow_mut().next = 0);
        Ok(())
    }
    fn end_scan(_ctx: &Context) -> FdwResult {
        STATE.with(|s| *s.borrow_mut() = State::default());
        Ok(())
    }
    fn begin_modify(_ctx: &Context) -> FdwResult {
        Err("read-only".into())
    }
    fn insert(_ctx: &Context, _row: &Row) -> FdwResult {
        Err("read-only".into())
    }
    fn update(_ctx: &Context, _rowid: Cell, _row: &Row) -> FdwResult {
        Err("read-only".into())
    }
    fn delete(_ctx: &Context, _rowid: Cell) -> FdwResult {
        Err("read-only".into())
    }
    fn end_modify(_ctx: &Context) -> FdwResult {
        Ok(())
    }
    fn import_foreign_schema(_ctx: &Context, _stmt: ImportForeignSchemaStmt) -> Result<Vec<String>, FdwError> {
        Ok(vec![])
    }
}

bindings::export!(Fdw with_types_in bindings);
