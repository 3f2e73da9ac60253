//! `WasmFdw`: the `supabase-wrappers` `ForeignDataWrapper` whose every Wasm-side action is
//! delegated to `tsfdw_host::FdwInstance` (contract §4). The `#[wrappers_fdw]` macro creates
//! `wasm_fdw_handler()`, `wasm_fdw_validator(text[], oid)` and `wasm_fdw_meta()`.

use pgrx::pg_sys;
use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::PgSqlErrorCode;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use supabase_wrappers::prelude::*;
use tsfdw_host as th;

use crate::convert;
use crate::loader;
use crate::pgservices::{PgInterrupts, PgReporter, PgSettings, PgStats, PgVault};

#[derive(thiserror::Error, Debug)]
pub enum WasmFdwError {
    #[error("{0}")]
    Host(th::FdwError),

    /// A missing or unreadable FDW option, and the FDW callback that needed it.
    #[error("{0}")]
    Options(OptionsError, &'static str),

    /// A value that cannot cross the Postgres ↔ guest boundary (a host panic on Supabase), and
    /// the FDW callback where it happened.
    #[error("{0}")]
    Convert(String, &'static str),

    /// An invalid value of one of this host's own `tsfdw_*` server options.
    #[error("{0}")]
    InvalidOption(String),
}

impl From<th::FdwError> for WasmFdwError {
    /// When the host stopped because Postgres wants to cancel or terminate the statement, let
    /// Postgres act now (`CHECK_FOR_INTERRUPTS()`: it raises its usual `canceling statement due
    /// to user request` / `… statement timeout` / terminate error and never returns here). If
    /// it does not (interrupts held off meanwhile), the host's error is reported instead.
    fn from(e: th::FdwError) -> Self {
        if e.kind() == th::ErrorKind::Interrupted {
            pgrx::check_for_interrupts!();
        }
        WasmFdwError::Host(e)
    }
}

/// The error's location in Postgres terms (`LOCATION: <function>, wasm_fdw.rs:<line>`): the
/// guest routine that was running, or `load` for loading and instantiating the component.
fn funcname(routine: Option<&'static str>) -> &'static str {
    routine.unwrap_or("load")
}

impl From<WasmFdwError> for ErrorReport {
    fn from(value: WasmFdwError) -> Self {
        let message = value.to_string();
        match value {
            WasmFdwError::Host(e) => {
                let code = match e.kind() {
                    th::ErrorKind::CellCount => PgSqlErrorCode::ERRCODE_FDW_INVALID_COLUMN_NUMBER,
                    // host panics on Supabase surface as internal errors (contract §4.6)
                    th::ErrorKind::Host => PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
                    // only when Postgres itself did not raise its cancel error (see above)
                    th::ErrorKind::Interrupted => PgSqlErrorCode::ERRCODE_QUERY_CANCELED,
                    // our own limits (guest memory): not a fault of the guest's code
                    th::ErrorKind::Limit => PgSqlErrorCode::ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                    _ => PgSqlErrorCode::ERRCODE_FDW_ERROR,
                };
                let report = ErrorReport::new(code, message, funcname(e.routine()));
                match (e.kind(), e.detail()) {
                    (th::ErrorKind::Reported, _) => report.set_detail("Wrappers"),
                    (_, Some(detail)) if !detail.is_empty() => report.set_detail(detail.to_string()),
                    _ => report,
                }
            }
            // the framework's own conversion (same SQLSTATEs) leaves the function name empty
            WasmFdwError::Options(e, routine) => {
                let code = match e {
                    OptionsError::OptionNameNotFound(_) => PgSqlErrorCode::ERRCODE_FDW_OPTION_NAME_NOT_FOUND,
                    OptionsError::OptionNameIsInvalidUtf8(_) | OptionsError::OptionValueIsInvalidUtf8 { .. } => {
                        PgSqlErrorCode::ERRCODE_FDW_INVALID_STRING_FORMAT
                    }
                    OptionsError::OptionParsingError { .. } => PgSqlErrorCode::ERRCODE_FDW_ERROR,
                };
                ErrorReport::new(code, message, routine)
            }
            WasmFdwError::Convert(_, routine) => ErrorReport::new(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, message, routine),
            WasmFdwError::InvalidOption(_) => {
                ErrorReport::new(PgSqlErrorCode::ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE, message, "validator")
            }
        }
    }
}

/// `TSFDW_HTTP_RETRY_BASE_MS` in the server's environment: the base of the HTTP retry backoff
/// (default 1000 ms, as Supabase), for tests that must not wait 13 s per retried request.
fn retry_base() -> std::time::Duration {
    let ms = std::env::var("TSFDW_HTTP_RETRY_BASE_MS").ok().and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1000);
    std::time::Duration::from_millis(ms)
}

type WasmFdwResult<T> = Result<T, WasmFdwError>;

#[wrappers_fdw(
    version = "0.1.5",
    author = "tsfdw",
    website = "https://github.com/supabase/wrappers/tree/main/wrappers/src/fdw/wasm_fdw",
    error_type = "WasmFdwError"
)]
pub(crate) struct WasmFdw {
    inst: th::FdwInstance,
    /// target columns of the current scan (to name the row's cells)
    columns: Vec<th::Column>,
    /// `begin_scan` was called: the instance's timings are kept for `tsfdw_last_timing()`
    scanned: bool,
}

thread_local! {
    /// Phase timings of the most recent foreign scan in this backend.
    static LAST_TIMING: RefCell<Option<th::Timings>> = const { RefCell::new(None) };
}

/// The phase timings of the most recent foreign scan in this backend (for `tsfdw_last_timing()`).
pub(crate) fn last_timing() -> Option<th::Timings> {
    LAST_TIMING.with(|t| t.try_borrow().ok().and_then(|t| *t))
}

impl Drop for WasmFdw {
    /// The framework drops the instance right after `end_scan` (or after an error), so this is
    /// where a scan's timings are complete. Modify / import / plain-EXPLAIN instances are skipped.
    fn drop(&mut self) {
        if self.scanned {
            let timings = self.inst.timings();
            LAST_TIMING.with(|t| {
                if let Ok(mut t) = t.try_borrow_mut() {
                    *t = Some(timings);
                }
            });
        }
    }
}

impl ForeignDataWrapper<WasmFdwError> for WasmFdw {
    fn new(server: ForeignServer) -> WasmFdwResult<Self> {
        let opt = |key: &str| require_option(key, &server.options).map_err(|e| WasmFdwError::Options(e, "load"));
        let url = opt("fdw_package_url")?;
        let name = opt("fdw_package_name")?;
        let version = opt("fdw_package_version")?;
        let spec = th::PackageSpec {
            url: url.to_string(),
            name: name.to_string(),
            version: version.to_string(),
            checksum: server.options.get("fdw_package_checksum").cloned(),
        };
        let started = Instant::now();
        let (component, source) = loader::load(&spec)?;
        let compile = started.elapsed();
        let engine = loader::engine()?;
        let config = th::HostConfig {
            reporter: Arc::new(PgReporter),
            secrets: Arc::new(PgVault),
            settings: Arc::new(PgSettings),
            stats: Arc::new(PgStats),
            interrupts: Arc::new(PgInterrupts),
            http: th::HttpConfig { retry_base: retry_base(), ..th::HttpConfig::default() },
            fserver_oid: server.server_oid.to_u32(),
            // the framework always passes the real `wrappers.ftable_oid` in the table options
            ftable_oid: 0,
            ..th::HostConfig::default()
        };
        let mut inst = th::FdwInstance::new(&engine, &component, convert::options_in(&server.options), config)?;
        inst.record_compile(source, compile);
        Ok(WasmFdw {
            inst,
            columns: Vec::new(),
            scanned: false,
        })
    }

    fn begin_scan(
        &mut self,
        quals: &[Qual],
        columns: &[Column],
        sorts: &[Sort],
        limit: &Option<Limit>,
        options: &HashMap<String, String>,
    ) -> WasmFdwResult<()> {
        self.scanned = true;
        self.columns = columns.iter().map(convert::column_in).collect();
        let spec = th::ScanSpec {
            table_options: convert::options_in(options),
            columns: self.columns.clone(),
            quals: quals.iter().map(convert::qual_in).collect(),
            sorts: sorts.iter().map(convert::sort_in).collect(),
            limit: limit.as_ref().map(convert::limit_in),
        };
        Ok(self.inst.begin_scan(spec)?)
    }

    fn iter_scan(&mut self, row: &mut Row) -> WasmFdwResult<Option<()>> {
        match self.inst.iter_scan()? {
            None => Ok(None),
            Some(cells) => {
                row.clear();
                for (col, cell) in self.columns.iter().zip(cells) {
                    let cell = match cell {
                        Some(c) => Some(
                            convert::cell_out(c)
                                .map_err(|e| WasmFdwError::Convert(format!("{e} (column `{}`)", col.name), "iter_scan"))?,
                        ),
                        None => None,
                    };
                    row.push(&col.name, cell);
                }
                Ok(Some(()))
            }
        }
    }

    fn re_scan(&mut self) -> WasmFdwResult<()> {
        Ok(self.inst.re_scan()?)
    }

    /// Two callers in the framework: `EndForeignScan`, which reports an error as an ERROR and
    /// then drops the instance, and `ReScanForeignScan` when a parameter value changed, which
    /// calls `end_scan`, ignores its error and calls `begin_scan` with the new values (as
    /// Supabase does). `FdwInstance::end_scan` keeps the instance usable after a guest `err`
    /// (only a trap makes it unusable), so that `begin_scan` still reaches the guest; nothing
    /// is needed here to tell the two callers apart.
    fn end_scan(&mut self) -> WasmFdwResult<()> {
        Ok(self.inst.end_scan()?)
    }

    fn begin_modify(&mut self, options: &HashMap<String, String>) -> WasmFdwResult<()> {
        Ok(self.inst.begin_modify(convert::options_in(options))?)
    }

    fn insert(&mut self, src: &Row) -> WasmFdwResult<()> {
        let row = convert::row_in(src).map_err(|e| WasmFdwError::Convert(e, "insert"))?;
        Ok(self.inst.insert(&row)?)
    }

    fn update(&mut self, rowid: &Cell, new_row: &Row) -> WasmFdwResult<()> {
        let id = convert::cell_in(rowid).map_err(|e| WasmFdwError::Convert(format!("{e} (rowid)"), "update"))?;
        let row = convert::row_in(new_row).map_err(|e| WasmFdwError::Convert(e, "update"))?;
        Ok(self.inst.update(&id, &row)?)
    }

    fn delete(&mut self, rowid: &Cell) -> WasmFdwResult<()> {
        let id = convert::cell_in(rowid).map_err(|e| WasmFdwError::Convert(format!("{e} (rowid)"), "delete"))?;
        Ok(self.inst.delete(&id)?)
    }

    fn end_modify(&mut self) -> WasmFdwResult<()> {
        Ok(self.inst.end_modify()?)
    }

    fn import_foreign_schema(&mut self, stmt: ImportForeignSchemaStmt) -> WasmFdwResult<Vec<String>> {
        let th_stmt = convert::import_stmt_in(&stmt);
        Ok(self
            .inst
            .import_foreign_schema(&th_stmt, convert::options_in(&stmt.options))?)
    }

    /// Presence checks exactly as Supabase (contract §5.1), plus the values of this host's own
    /// `tsfdw_*` server options (Supabase ignores those).
    fn validator(options: Vec<Option<String>>, catalog: Option<pg_sys::Oid>) -> WasmFdwResult<()> {
        if let Some(oid) = catalog {
            if oid == FOREIGN_SERVER_RELATION_ID {
                for (k, v) in options.iter().flatten().filter_map(|o| o.split_once('=')) {
                    th::check_server_option(k, v).map_err(WasmFdwError::InvalidOption)?;
                }
                let contain = |key: &str| check_options_contain(&options, key).map_err(|e| WasmFdwError::Options(e, "validator"));
                contain("fdw_package_url")?;
                contain("fdw_package_name")?;
                contain("fdw_package_version")?;
                let is_local = options
                    .iter()
                    .flatten()
                    .any(|o| o.starts_with("fdw_package_url=file://"));
                if !is_local {
                    contain("fdw_package_checksum")?;
                }
            }
        }
        Ok(())
    }
}
