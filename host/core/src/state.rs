//! Per-instance host state (contract §3.1) and the version-neutral host behaviour.
//! The per-version trait impls in `bindings.rs` only convert types and delegate here.

use crate::error::HostTrap;
use crate::format;
use crate::http::{HttpClient, HttpRequest, HttpResponse, Traffic};
use crate::interrupt::Interrupts;
use crate::limits::Limiter;
use crate::services::{Metric, ReportLevel, Reporter, SecretStore, SettingStore, StatsStore};
use crate::timing::Timings;
use crate::types::{Cell, Column, Limit, Options, OptionsKind, Qual, Sort, TypeOid};
use std::sync::Arc;
use std::time::Instant;

/// Resource handle representations (observed in the Supabase host).
pub(crate) const CONTEXT_REP: u32 = 1000;
pub(crate) const SERVER_OPTIONS_REP: u32 = 2000;
pub(crate) const TABLE_OPTIONS_REP: u32 = 3000;
pub(crate) const IMPORT_OPTIONS_REP: u32 = 3100;
pub(crate) const ROW_REP: u32 = 4000;
pub(crate) const COLUMN_REP_BASE: u32 = 5000;
pub(crate) const QUAL_REP_BASE: u32 = 6000;
pub(crate) const SORT_REP_BASE: u32 = 7000;
pub(crate) const LIMIT_REP: u32 = 8000;

/// The single current row buffer.
#[derive(Debug, Default, Clone)]
pub(crate) struct RowBuf {
    pub(crate) cols: Vec<String>,
    pub(crate) cells: Vec<Option<Cell>>,
}

impl RowBuf {
    pub(crate) fn clear(&mut self) {
        self.cols.clear();
        self.cells.clear();
    }
}

/// Back ends used by host functions.
#[derive(Clone)]
pub(crate) struct Services {
    pub(crate) reporter: Arc<dyn Reporter>,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) settings: Arc<dyn SettingStore>,
    pub(crate) stats: Arc<dyn StatsStore>,
    pub(crate) http: HttpClient,
    pub(crate) interrupts: Arc<dyn Interrupts>,
}

/// What the `Store` holds for one FDW instance.
pub(crate) struct HostState {
    pub(crate) server_options: Options,
    pub(crate) table_options: Options,
    pub(crate) import_options: Options,
    pub(crate) row: RowBuf,
    pub(crate) columns: Vec<Column>,
    pub(crate) quals: Vec<Qual>,
    pub(crate) sorts: Vec<Sort>,
    pub(crate) limit: Option<Limit>,
    pub(crate) services: Services,
    /// The last host-raised trap (to classify the error when the guest call returns).
    pub(crate) trap: Option<HostTrap>,
    /// Phase timings; the http part is recorded here, the rest by `FdwInstance`.
    pub(crate) timings: Timings,
    /// The store's resource limiter (guest memory and tables).
    pub(crate) limiter: Limiter,
}

pub(crate) type HostResult<T> = Result<T, HostTrap>;

impl HostState {
    pub(crate) fn new(server_options: Options, services: Services, limiter: Limiter) -> Self {
        HostState {
            server_options,
            table_options: Options::new(),
            import_options: Options::new(),
            row: RowBuf::default(),
            columns: Vec::new(),
            quals: Vec::new(),
            sorts: Vec::new(),
            limit: None,
            services,
            trap: None,
            timings: Timings::default(),
            limiter,
        }
    }

    /// Record a host trap and turn it into the error that aborts the guest call.
    pub(crate) fn trap(&mut self, t: HostTrap) -> wasmtime::Error {
        self.trap = Some(t.clone());
        wasmtime::Error::new(t)
    }

    /// Convert a host result into a wasmtime result, recording traps.
    pub(crate) fn lift<T>(&mut self, r: HostResult<T>) -> wasmtime::Result<T> {
        r.map_err(|t| self.trap(t))
    }

    pub(crate) fn clear_scan(&mut self) {
        self.columns.clear();
        self.quals.clear();
        self.sorts.clear();
        self.limit = None;
        self.row.clear();
    }

    // ---- options ----

    pub(crate) fn options_rep(kind: OptionsKind) -> u32 {
        match kind {
            OptionsKind::Server => SERVER_OPTIONS_REP,
            OptionsKind::Table => TABLE_OPTIONS_REP,
            OptionsKind::ImportSchema => IMPORT_OPTIONS_REP,
        }
    }

    fn options_by_rep(&self, rep: u32) -> HostResult<&Options> {
        match rep {
            SERVER_OPTIONS_REP => Ok(&self.server_options),
            TABLE_OPTIONS_REP => Ok(&self.table_options),
            IMPORT_OPTIONS_REP => Ok(&self.import_options),
            other => Err(HostTrap::host(format!("invalid options handle {other}"))),
        }
    }

    pub(crate) fn options_get(&self, rep: u32, key: &str) -> HostResult<Option<String>> {
        Ok(self.options_by_rep(rep)?.get(key).cloned())
    }

    pub(crate) fn options_require(&self, rep: u32, key: &str) -> HostResult<Result<String, String>> {
        Ok(self
            .options_by_rep(rep)?
            .get(key)
            .cloned()
            .ok_or_else(|| format!("required option `{key}` is not specified")))
    }

    pub(crate) fn options_require_or(&self, rep: u32, key: &str, default: String) -> HostResult<String> {
        Ok(self.options_by_rep(rep)?.get(key).cloned().unwrap_or(default))
    }

    // ---- columns ----

    pub(crate) fn column_new(&self, index: u32) -> HostResult<u32> {
        if (index as usize) < self.columns.len() {
            Ok(COLUMN_REP_BASE + index)
        } else {
            Err(HostTrap::host(format!(
                "column index {index} out of range: the scan has {} target column(s)",
                self.columns.len()
            )))
        }
    }

    fn column_by_rep(&self, rep: u32) -> HostResult<&Column> {
        rep.checked_sub(COLUMN_REP_BASE)
            .and_then(|i| self.columns.get(i as usize))
            .ok_or_else(|| HostTrap::host(format!("column handle {rep} does not refer to a current target column")))
    }

    pub(crate) fn column_name(&self, rep: u32) -> HostResult<String> {
        Ok(self.column_by_rep(rep)?.name.clone())
    }

    pub(crate) fn column_num(&self, rep: u32) -> HostResult<u32> {
        Ok(self.column_by_rep(rep)?.num)
    }

    pub(crate) fn column_type_oid(&self, rep: u32) -> HostResult<TypeOid> {
        let col = self.column_by_rep(rep)?;
        col.pg_type.type_oid().ok_or_else(|| {
            HostTrap::host(format!(
                "not implemented: column type oid not supported (column `{}` has type {})",
                col.name, col.pg_type
            ))
        })
    }

    pub(crate) fn column_reps(&self) -> Vec<u32> {
        (0..self.columns.len() as u32).map(|i| COLUMN_REP_BASE + i).collect()
    }

    // ---- quals ----

    pub(crate) fn qual_new(&self, index: u32) -> HostResult<u32> {
        if (index as usize) < self.quals.len() {
            Ok(QUAL_REP_BASE + index)
        } else {
            Err(HostTrap::host(format!(
                "qual index {index} out of range: the scan has {} qual(s)",
                self.quals.len()
            )))
        }
    }

    pub(crate) fn qual_by_rep(&self, rep: u32) -> HostResult<&Qual> {
        rep.checked_sub(QUAL_REP_BASE)
            .and_then(|i| self.quals.get(i as usize))
            .ok_or_else(|| HostTrap::host(format!("qual handle {rep} does not refer to a current qual")))
    }

    pub(crate) fn qual_deparse(&self, rep: u32) -> HostResult<String> {
        format::deparse_qual(self.qual_by_rep(rep)?).map_err(HostTrap::host)
    }

    pub(crate) fn qual_reps(&self) -> Vec<u32> {
        (0..self.quals.len() as u32).map(|i| QUAL_REP_BASE + i).collect()
    }

    // ---- sorts ----

    pub(crate) fn sort_new(&self, index: u32) -> HostResult<u32> {
        if (index as usize) < self.sorts.len() {
            Ok(SORT_REP_BASE + index)
        } else {
            Err(HostTrap::host(format!(
                "sort index {index} out of range: the scan has {} sort(s)",
                self.sorts.len()
            )))
        }
    }

    pub(crate) fn sort_by_rep(&self, rep: u32) -> HostResult<&Sort> {
        rep.checked_sub(SORT_REP_BASE)
            .and_then(|i| self.sorts.get(i as usize))
            .ok_or_else(|| HostTrap::host(format!("sort handle {rep} does not refer to a current sort")))
    }

    pub(crate) fn sort_reps(&self) -> Vec<u32> {
        (0..self.sorts.len() as u32).map(|i| SORT_REP_BASE + i).collect()
    }

    // ---- limit ----

    pub(crate) fn limit_get(&self) -> HostResult<Limit> {
        self.limit.ok_or_else(|| HostTrap::host("no limit is pushed down in this scan (limit() called without a limit)"))
    }

    pub(crate) fn limit_new(&self) -> HostResult<u32> {
        self.limit_get().map(|_| LIMIT_REP)
    }

    // ---- row ----

    pub(crate) fn row_push(&mut self, cell: Option<Cell>) -> HostResult<()> {
        let idx = self.row.cells.len();
        match self.columns.get(idx) {
            Some(col) => {
                self.row.cols.push(col.name.clone());
                self.row.cells.push(cell);
                Ok(())
            }
            None => Err(HostTrap::cell_count(format!(
                "target column number not match: the guest pushed more cells than the {} target column(s)",
                self.columns.len()
            ))),
        }
    }

    // ---- utils ----

    /// `utils.report-*`; the message is capped (a guest must not flood the log).
    pub(crate) fn report(&self, level: ReportLevel, msg: &str) {
        self.services.reporter.report(level, &crate::error::cap_text(msg, crate::error::MAX_MESSAGE_BYTES));
    }

    /// `time.sleep`: interruptible (Supabase's sleep is not).
    pub(crate) fn sleep(&self, millis: u64) -> HostResult<()> {
        crate::interrupt::sleep_interruptibly(std::time::Duration::from_millis(millis), &*self.services.interrupts)
    }

    pub(crate) fn cell_to_string(&self, cell: Option<&Cell>) -> HostResult<String> {
        format::cell_to_string(cell).map_err(HostTrap::host)
    }

    pub(crate) fn vault_secret(&self, arg: &str) -> HostResult<Option<String>> {
        let r = if uuid::Uuid::parse_str(arg).is_ok() {
            self.services.secrets.secret_by_id(arg)
        } else {
            self.services.secrets.secret_by_name(arg)
        };
        r.map_err(|e| HostTrap::host(format!("query vault failed \"{arg}\": {e}")))
    }

    pub(crate) fn vault_secret_by_name(&self, name: &str) -> HostResult<Option<String>> {
        self.services
            .secrets
            .secret_by_name(name)
            .map_err(|e| HostTrap::host(format!("query vault failed \"{name}\": {e}")))
    }

    pub(crate) fn query_setting(&self, name: &str) -> HostResult<Option<String>> {
        self.services
            .settings
            .setting(name)
            .map_err(|e| HostTrap::host(format!("read session setting \"{name}\" failed: {e}")))
    }

    // ---- stats ----

    pub(crate) fn inc_stats(&self, fdw_name: &str, metric: Metric, inc: i64) {
        self.services.stats.inc_stats(fdw_name, metric, inc);
    }

    pub(crate) fn get_metadata(&self, fdw_name: &str) -> Option<String> {
        self.services.stats.get_metadata(fdw_name)
    }

    pub(crate) fn set_metadata(&self, fdw_name: &str, metadata: Option<&str>) {
        self.services.stats.set_metadata(fdw_name, metadata);
    }

    // ---- http ----

    pub(crate) fn http_send(&mut self, req: &HttpRequest) -> HostResult<Result<HttpResponse, String>> {
        let t = Instant::now();
        let mut traffic = Traffic::default();
        let r = self.services.http.send(req, &mut traffic);
        let tm = &mut self.timings;
        tm.http += t.elapsed();
        tm.http_requests += traffic.requests;
        tm.http_bytes += traffic.bytes;
        r
    }
}
