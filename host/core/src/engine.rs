//! Engine, instance and lifecycle (contract §4).

use crate::bindings::{self, conv_v1, conv_v2, v1, v2};
use crate::error::{ErrorKind, FdwError, HostTrap, Result};
use crate::http::{HttpClient, HttpConfig};
use crate::interrupt::{Interrupts, NoInterrupts, Ticker};
use crate::limits::{apply_server_options, GuestLimits, Limiter};
use crate::services::{
    MemorySecretStore, MemorySettings, MemoryStats, Reporter, SecretStore, SettingStore, StatsStore, StderrReporter,
};
use crate::state::{HostState, RowBuf, Services, CONTEXT_REP, ROW_REP};
use crate::timing::{CompileSource, IterSpan, Timings};
use crate::types::{
    Cell, ImportForeignSchemaStmt, ModifyRow, Options, PgType, RoutinesVersion, ScanSpec, FSERVER_OID_KEY,
    FTABLE_OID_KEY,
};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use wasmtime::component::{Component, Linker, Resource};
use wasmtime::{Config, Engine, Store, UpdateDeadline};

/// The host version string guests' requirements are checked against (Supabase: `0.1.5`).
pub const HOST_VERSION: &str = "0.1.5";

/// Check a guest's `host-version-requirement` against [`HOST_VERSION`] with Rust-semver rules.
pub fn check_host_version(requirement: &str) -> Result<()> {
    let req = semver::VersionReq::parse(requirement).map_err(|e| FdwError::new(ErrorKind::Semver, e.to_string()))?;
    let version = semver::Version::parse(HOST_VERSION).map_err(|e| FdwError::new(ErrorKind::Semver, e.to_string()))?;
    if req.matches(&version) {
        Ok(())
    } else {
        Err(FdwError::new(
            ErrorKind::Version,
            format!("host version {HOST_VERSION} not match requirement {requirement}"),
        ))
    }
}

/// The version of the wasmtime crate this host is built on: `36.x.y` for `tsfdw-host` (the
/// engine Supabase Wrappers pins), the current release for `tsfdw-host-strict` (the same
/// sources built on a newer wasmtime); `unknown` if it cannot be determined.
pub fn wasmtime_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        // wasmtime exports no version constant, but its default module-version strategy (which
        // ties serialized code to a wasmtime release) hashes the crate's `CARGO_PKG_VERSION`:
        // a hasher that records the bytes it is fed recovers it (a `str` hashes as its bytes
        // followed by 0xff).
        #[derive(Default)]
        struct Recorder(Vec<u8>);
        impl std::hash::Hasher for Recorder {
            fn finish(&self) -> u64 {
                0
            }
            fn write(&mut self, bytes: &[u8]) {
                self.0.extend_from_slice(bytes);
            }
        }
        let mut rec = Recorder::default();
        std::hash::Hash::hash(&wasmtime::ModuleVersionStrategy::WasmtimeVersion, &mut rec);
        let text: String = rec
            .0
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
            .map(|&b| char::from(b))
            .collect();
        if semver::Version::parse(&text).is_ok() {
            text
        } else {
            "unknown".to_string()
        }
    })
}

/// `wasmtime-<version>` (see [`wasmtime_version`]): which engine runs the guests, for reports.
pub fn engine_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| format!("wasmtime-{}", wasmtime_version()))
}

/// Per-instance configuration: back ends of the host functions and knobs.
#[derive(Clone)]
pub struct HostConfig {
    pub http: HttpConfig,
    pub reporter: Arc<dyn Reporter>,
    pub secrets: Arc<dyn SecretStore>,
    pub settings: Arc<dyn SettingStore>,
    pub stats: Arc<dyn StatsStore>,
    /// Value of the `wrappers.fserver_oid` table option when the caller does not set it.
    pub fserver_oid: u32,
    /// Value of the `wrappers.ftable_oid` table option when the caller does not set it.
    pub ftable_oid: u32,
    /// Limits on the guest's memory (server option `tsfdw_max_memory_mb` overrides).
    pub limits: GuestLimits,
    /// Where the host learns that the statement must stop (Postgres: its interrupt flags).
    pub interrupts: Arc<dyn Interrupts>,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            http: HttpConfig::default(),
            reporter: Arc::new(StderrReporter),
            secrets: Arc::new(MemorySecretStore::new()),
            settings: Arc::new(MemorySettings::new()),
            stats: Arc::new(MemoryStats::new()),
            fserver_oid: 16_385,
            ftable_oid: 16_386,
            limits: GuestLimits::default(),
            interrupts: Arc::new(NoInterrupts),
        }
    }
}

impl std::fmt::Debug for HostConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostConfig")
            .field("http", &self.http)
            .field("fserver_oid", &self.fserver_oid)
            .field("ftable_oid", &self.ftable_oid)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// A wasmtime engine (component model on, no WASI, no async, epoch interruption on) plus the
/// linker holding the v1 and v2 host interfaces, and the epoch ticker thread. Cheap to share;
/// create one per process.
pub struct FdwEngine {
    engine: Engine,
    linker: Linker<HostState>,
    ticker: Ticker,
}

/// The wasmtime configuration of every engine of this host (the runner's and the Postgres
/// extension's alike, so that both compile the same code).
pub(crate) fn engine_config() -> Config {
    let mut config = Config::new();
    config.wasm_component_model(true);
    // A check of the engine's epoch in every function entry and loop back-edge, so that a guest
    // that computes forever can be interrupted (Supabase: none, contract §6). It changes the
    // compiled code (a compile cache must key on it: see `FdwEngine::cache_key`); its cost is
    // measured in host/README.md. `TSFDW_EPOCH_INTERRUPTION=0` turns it off, only to measure
    // that cost (guest computation then cannot be interrupted, as on Supabase).
    let off = std::env::var("TSFDW_EPOCH_INTERRUPTION").is_ok_and(|v| v.trim() == "0");
    config.epoch_interruption(!off);
    config
}

impl FdwEngine {
    pub fn new() -> Result<Self> {
        let engine = Engine::new(&engine_config()).map_err(|e| FdwError::wasmtime(&e))?;
        let mut linker = Linker::new(&engine);
        bindings::add_to_linker(&mut linker).map_err(|e| FdwError::wasmtime(&e))?;
        let ticker = Ticker::start(&engine);
        Ok(FdwEngine { engine, linker, ticker })
    }

    /// The underlying wasmtime engine.
    pub fn wasmtime_engine(&self) -> &Engine {
        &self.engine
    }

    /// A key for caches of compiled components: equal only for engines whose compiled code is
    /// interchangeable (wasmtime version, target, compiler flags and tunables such as epoch
    /// interruption: wasmtime's `precompile_compatibility_hash`).
    pub fn cache_key(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// Compile component bytes (Cranelift). A core module or garbage gives
    /// `invalid WebAssembly component` (the compiler's reason is in [`FdwError::detail`]).
    pub fn compile(&self, bytes: &[u8]) -> Result<Component> {
        Component::new(&self.engine, bytes).map_err(|e| FdwError::invalid_component(format!("{e:#}")))
    }

    /// Serialize a compiled component (for a compile cache).
    pub fn serialize_component(&self, component: &Component) -> Result<Vec<u8>> {
        component.serialize().map_err(|e| FdwError::wasmtime(&e))
    }

    /// Load a component serialized by [`FdwEngine::serialize_component`] with a compatible engine.
    ///
    /// # Safety
    /// The bytes must come from `serialize_component` (wasmtime trusts them as native code);
    /// see `wasmtime::component::Component::deserialize`.
    pub unsafe fn deserialize_component(&self, bytes: &[u8]) -> Result<Component> {
        // SAFETY: forwarded to the caller (see the doc comment).
        unsafe { Component::deserialize(&self.engine, bytes) }.map_err(|e| FdwError::invalid_component(format!("{e:#}")))
    }
}

impl std::fmt::Debug for FdwEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FdwEngine").finish_non_exhaustive()
    }
}

enum Guest {
    V1(v1::Wrappers),
    V2(v2::Wrappers),
}

/// Run `$body` with `$r` = the guest's routines interface and `$store` = the store, for
/// whichever version the guest implements. `$conv` names that version's conversion module.
macro_rules! with_routines {
    ($self:ident, |$r:ident, $store:ident, $conv:ident| $body:expr) => {{
        // the epoch ticker runs while the guest does (see `Ticker`)
        let _ticking = $self.ticker.enter();
        match &$self.guest {
            Guest::V1(b) => {
                #[allow(unused_imports)]
                use conv_v1 as $conv;
                let $r = b.supabase_wrappers_routines();
                let $store = &mut $self.store;
                $body
            }
            Guest::V2(b) => {
                #[allow(unused_imports)]
                use conv_v2 as $conv;
                let $r = b.supabase_wrappers_routines();
                let $store = &mut $self.store;
                $body
            }
        }
    }};
}

fn ctx<T: 'static>() -> Resource<T> {
    Resource::new_borrow(CONTEXT_REP)
}

fn row_handle<T: 'static>() -> Resource<T> {
    Resource::new_borrow(ROW_REP)
}

/// One instantiated guest with its own store and host state (one per simulated statement).
pub struct FdwInstance {
    store: Store<HostState>,
    ticker: Ticker,
    guest: Guest,
    version: RoutinesVersion,
    failed: Option<FdwError>,
    fserver_oid: u32,
    ftable_oid: u32,
    /// The open `iter-scan` span of the current scan pass (see [`Timings::iter_scan`]).
    iter_span: IterSpan,
}

impl FdwInstance {
    /// Instantiate, check the host version and call `init` (contract §4.1 steps 7–9).
    pub fn new(engine: &FdwEngine, component: &Component, server_options: Options, config: HostConfig) -> Result<Self> {
        let mut inst = Self::instantiate(engine, component, server_options, config)?;
        inst.check_version()?;
        inst.init()?;
        Ok(inst)
    }

    /// Instantiate only: try the v1 `routines` export first, then v2. No guest function is called.
    pub fn instantiate(
        engine: &FdwEngine,
        component: &Component,
        server_options: Options,
        config: HostConfig,
    ) -> Result<Self> {
        let (fserver_oid, ftable_oid) = (config.fserver_oid, config.ftable_oid);
        let (mut http, mut limits) = (config.http, config.limits);
        apply_server_options(&server_options, &mut http, &mut limits)?;
        let services = Services {
            reporter: config.reporter,
            secrets: config.secrets,
            settings: config.settings,
            stats: config.stats,
            http: HttpClient::with_interrupts(http, config.interrupts.clone()),
            interrupts: config.interrupts.clone(),
        };
        let started = Instant::now();
        let mut store = Store::new(&engine.engine, HostState::new(server_options, services, Limiter::new(limits)));
        store.limiter(|st| &mut st.limiter);
        // One epoch tick until the first check, then one tick per check: while the guest runs,
        // the interrupt source is consulted about every EPOCH_TICK.
        store.set_epoch_deadline(1);
        let interrupts = config.interrupts;
        store.epoch_deadline_callback(move |mut cx| match interrupts.check() {
            None => Ok(UpdateDeadline::Continue(1)),
            Some(reason) => {
                let t = HostTrap::interrupted(reason);
                cx.data_mut().trap = Some(t.clone());
                Err(wasmtime::Error::new(t))
            }
        });
        let _ticking = engine.ticker.enter();
        let (guest, version) = match v1::Wrappers::instantiate(&mut store, component, &engine.linker) {
            Ok(b) => (Guest::V1(b), RoutinesVersion::V1),
            Err(e1) => match v2::Wrappers::instantiate(&mut store, component, &engine.linker) {
                Ok(b) => (Guest::V2(b), RoutinesVersion::V2),
                Err(e2) => {
                    // Supabase reports the v2 error; when the component does export the v1
                    // routines, the v1 error is the informative one.
                    let exports_v1 = component
                        .component_type()
                        .exports(&engine.engine)
                        .any(|(name, _)| name.starts_with("supabase:wrappers/routines@0.1"));
                    let e = if exports_v1 { e1 } else { e2 };
                    let st = store.data_mut();
                    if let Some(t) = st.limiter.tripped.take().or_else(|| st.trap.take()) {
                        return Err(FdwError::from(t));
                    }
                    return Err(FdwError::wasmtime(&e));
                }
            },
        };
        store.data_mut().timings.instantiate = started.elapsed();
        Ok(FdwInstance {
            store,
            ticker: engine.ticker.clone(),
            guest,
            version,
            failed: None,
            fserver_oid,
            ftable_oid,
            iter_span: IterSpan::default(),
        })
    }

    /// Which `routines` version the guest exports.
    pub fn routines_version(&self) -> RoutinesVersion {
        self.version
    }

    /// False once any call failed: every further call is refused.
    pub fn is_usable(&self) -> bool {
        self.failed.is_none()
    }

    /// The server options the instance was created with.
    pub fn server_options(&self) -> &Options {
        &self.store.data().server_options
    }

    /// The phase timings so far (an `iter-scan` pass still running counts up to now).
    pub fn timings(&self) -> Timings {
        let mut t = self.store.data().timings;
        t.iter_scan += self.iter_span.running();
        t
    }

    /// Record how long getting the compiled component took and where it came from (the
    /// instance cannot see that; the caller measures it).
    pub fn record_compile(&mut self, source: CompileSource, elapsed: Duration) {
        let t = &mut self.store.data_mut().timings;
        t.compile = elapsed;
        t.compile_source = source;
    }

    /// Add the time since `started` to one phase of the timings.
    fn add_time(&mut self, started: Instant, phase: fn(&mut Timings) -> &mut Duration) {
        *phase(&mut self.store.data_mut().timings) += started.elapsed();
    }

    /// End the current `iter-scan` pass, if one is running.
    fn close_iter_span(&mut self) {
        let st = self.store.data_mut();
        self.iter_span.close(&mut st.timings.iter_scan);
    }

    fn guard(&self) -> Result<()> {
        match &self.failed {
            None => Ok(()),
            Some(e) => Err(FdwError::new(
                ErrorKind::Unusable,
                format!("the fdw instance cannot be used after an earlier error ({e})"),
            )),
        }
    }

    fn fail(&mut self, e: FdwError) -> FdwError {
        self.failed = Some(e.clone());
        e
    }

    fn classify(&mut self, err: wasmtime::Error) -> FdwError {
        let st = self.store.data_mut();
        let recorded = st.trap.take();
        // the limiter's trap may be wrapped by wasmtime (it arises inside memory.grow)
        if let Some(t) = st.limiter.tripped.take() {
            return FdwError::from(t);
        }
        if let Some(t) = err.downcast_ref::<HostTrap>() {
            return FdwError::from(t.clone());
        }
        match recorded {
            // a host trap whose error was wrapped beyond recognition
            Some(t) if err.chain().any(|c| c.to_string() == t.message) => FdwError::from(t),
            _ => FdwError::wasmtime(&err),
        }
    }

    /// The result of a call of guest `routine` (named in the error, for Postgres' error location).
    fn finish<T>(&mut self, routine: &'static str, r: wasmtime::Result<std::result::Result<T, String>>) -> Result<T> {
        match r {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(msg)) => Err(self.fail(FdwError::guest(msg).with_routine(routine))),
            Err(e) => {
                let e = self.classify(e).with_routine(routine);
                Err(self.fail(e))
            }
        }
    }

    /// Call `host-version-requirement` only.
    pub fn host_version_requirement(&mut self) -> Result<String> {
        self.guard()?;
        let t = Instant::now();
        let r = with_routines!(self, |r, store, _c| r.call_host_version_requirement(store));
        self.add_time(t, |tm| &mut tm.instantiate);
        self.finish("host_version_requirement", r.map(Ok))
    }

    /// Call `host-version-requirement` and check it against [`HOST_VERSION`]; returns the requirement.
    pub fn check_version(&mut self) -> Result<String> {
        let req = self.host_version_requirement()?;
        match check_host_version(&req) {
            Ok(()) => Ok(req),
            Err(e) => Err(self.fail(e)),
        }
    }

    /// Call `init` with only the server options visible.
    pub fn init(&mut self) -> Result<()> {
        self.guard()?;
        {
            let st = self.store.data_mut();
            st.table_options.clear();
            st.import_options.clear();
            st.clear_scan();
        }
        let t = Instant::now();
        let r = with_routines!(self, |r, store, _c| r.call_init(store, ctx()));
        self.add_time(t, |tm| &mut tm.init);
        self.finish("init", r)
    }

    fn with_oids(&self, mut table_options: Options) -> Options {
        table_options.entry(FSERVER_OID_KEY.to_string()).or_insert_with(|| self.fserver_oid.to_string());
        table_options.entry(FTABLE_OID_KEY.to_string()).or_insert_with(|| self.ftable_oid.to_string());
        table_options
    }

    /// Store the scan's table options, columns, quals, sorts and limit, then call `begin-scan`.
    pub fn begin_scan(&mut self, spec: ScanSpec) -> Result<()> {
        self.guard()?;
        self.close_iter_span();
        let table_options = self.with_oids(spec.table_options);
        {
            let st = self.store.data_mut();
            st.table_options = table_options;
            st.columns = spec.columns;
            st.quals = spec.quals;
            st.sorts = spec.sorts;
            st.limit = spec.limit;
            st.row.clear();
        }
        let t = Instant::now();
        let r = with_routines!(self, |r, store, _c| r.call_begin_scan(store, ctx()));
        self.add_time(t, |tm| &mut tm.begin_scan);
        self.finish("begin_scan", r)
    }

    /// Clear the row, call `iter-scan`; `Some(cells)` (one per target column, strictly
    /// type-checked) or `None` at the end of data.
    pub fn iter_scan(&mut self) -> Result<Option<Vec<Option<Cell>>>> {
        self.guard()?;
        self.iter_span.enter();
        self.store.data_mut().row.clear();
        let r = with_routines!(self, |r, store, _c| r.call_iter_scan(store, ctx(), row_handle()));
        let res = self.finish("iter_scan", r).and_then(|produced| {
            let row = std::mem::take(&mut self.store.data_mut().row);
            match produced {
                None => Ok(None),
                Some(_) => match validate_row(&self.store.data().columns, &row) {
                    Ok(()) => Ok(Some(row.cells)),
                    Err(e) => Err(self.fail(e)),
                },
            }
        });
        match &res {
            Ok(Some(_)) => self.store.data_mut().timings.rows += 1,
            Ok(None) | Err(_) => self.close_iter_span(),
        }
        res
    }

    /// Call `re-scan`.
    pub fn re_scan(&mut self) -> Result<()> {
        self.guard()?;
        self.close_iter_span();
        self.store.data_mut().row.clear();
        let t = Instant::now();
        let r = with_routines!(self, |r, store, _c| r.call_re_scan(store, ctx()));
        self.add_time(t, |tm| &mut tm.iter_scan);
        self.finish("re_scan", r)
    }

    /// Call `end-scan` (also valid without `begin-scan`, as for a plain EXPLAIN), then clear
    /// the scan state.
    ///
    /// Unlike every other routine, a guest `err` from `end-scan` is returned **without** making
    /// the instance unusable. That is what lets a re-scan with changed parameters work: the
    /// Supabase framework then calls `end-scan`, ignores its error and calls `begin-scan` on the
    /// same instance (contract §4.2), so `begin-scan` must still reach the guest. The guest
    /// returned normally, so its state is consistent. When `end-scan` ends the statement, the
    /// caller reports the error and drops the instance, so nothing else changes. A trap, a host
    /// error or `report-error` inside `end-scan` (the guest was unwound mid-call) still makes
    /// the instance unusable.
    pub fn end_scan(&mut self) -> Result<()> {
        self.guard()?;
        self.close_iter_span();
        let t = Instant::now();
        let r = with_routines!(self, |r, store, _c| r.call_end_scan(store, ctx()));
        self.add_time(t, |tm| &mut tm.end_scan);
        let res = match r {
            Ok(Ok(())) => Ok(()),
            Ok(Err(msg)) => Err(FdwError::guest(msg).with_routine("end_scan")),
            Err(e) => {
                let e = self.classify(e).with_routine("end_scan");
                Err(self.fail(e))
            }
        };
        let st = self.store.data_mut();
        st.clear_scan();
        st.table_options.clear();
        res
    }

    /// The rescan variant used when a parameter changed, as the Supabase framework does it:
    /// `end-scan` (a guest `err` is ignored) followed by `begin-scan` with the new spec. A trap
    /// in `end-scan` is returned (the instance is unusable then).
    pub fn restart_scan(&mut self, spec: ScanSpec) -> Result<()> {
        if let Err(e) = self.end_scan() {
            if !self.is_usable() {
                return Err(e);
            }
        }
        self.begin_scan(spec)
    }

    /// Store the table options (plus `wrappers.*` keys) and call `begin-modify`.
    pub fn begin_modify(&mut self, table_options: Options) -> Result<()> {
        self.guard()?;
        let table_options = self.with_oids(table_options);
        {
            let st = self.store.data_mut();
            st.table_options = table_options;
            st.clear_scan();
        }
        let r = with_routines!(self, |r, store, _c| r.call_begin_modify(store, ctx()));
        self.finish("begin_modify", r)
    }

    fn set_row(&mut self, row: &ModifyRow) -> Result<()> {
        if row.cols.len() != row.cells.len() {
            return Err(FdwError::usage("modify row: cols and cells differ in length"));
        }
        self.store.data_mut().row = RowBuf { cols: row.cols.clone(), cells: row.cells.clone() };
        Ok(())
    }

    /// Call `insert` with `row` as the source row.
    pub fn insert(&mut self, row: &ModifyRow) -> Result<()> {
        self.guard()?;
        self.set_row(row)?;
        let r = with_routines!(self, |r, store, _c| r.call_insert(store, ctx(), row_handle()));
        let res = self.finish("insert", r);
        self.store.data_mut().row.clear();
        res
    }

    /// Call `update` with the rowid cell and the new values (only the assigned columns).
    pub fn update(&mut self, rowid: &Cell, row: &ModifyRow) -> Result<()> {
        self.guard()?;
        self.set_row(row)?;
        let r = with_routines!(self, |r, store, c| match c::cell_out(rowid) {
            Ok(id) => r.call_update(store, ctx(), &id, row_handle()),
            Err(t) => Err(wasmtime::Error::new(t)),
        });
        let res = self.finish("update", r);
        self.store.data_mut().row.clear();
        res
    }

    /// Call `delete` with the rowid cell.
    pub fn delete(&mut self, rowid: &Cell) -> Result<()> {
        self.guard()?;
        self.store.data_mut().row.clear();
        let r = with_routines!(self, |r, store, c| match c::cell_out(rowid) {
            Ok(id) => r.call_delete(store, ctx(), &id),
            Err(t) => Err(wasmtime::Error::new(t)),
        });
        self.finish("delete", r)
    }

    /// Call `end-modify`, then clear the table options.
    pub fn end_modify(&mut self) -> Result<()> {
        self.guard()?;
        let r = with_routines!(self, |r, store, _c| r.call_end_modify(store, ctx()));
        let res = self.finish("end_modify", r);
        self.store.data_mut().table_options.clear();
        res
    }

    /// Call `import-foreign-schema` (v2 guests; a v1 guest gives
    /// `guest fdw error: import foreign schema not implemented` without being called).
    pub fn import_foreign_schema(&mut self, stmt: &ImportForeignSchemaStmt, import_options: Options) -> Result<Vec<String>> {
        self.guard()?;
        let b = match &self.guest {
            Guest::V1(_) => {
                return Err(self.fail(FdwError::guest("import foreign schema not implemented").with_routine("import_foreign_schema")))
            }
            Guest::V2(b) => b,
        };
        {
            let st = self.store.data_mut();
            st.table_options.clear();
            st.clear_scan();
            st.import_options = import_options;
        }
        let _ticking = self.ticker.enter();
        let r = b.supabase_wrappers_routines().call_import_foreign_schema(
            &mut self.store,
            ctx(),
            &conv_v2::stmt_out(stmt),
        );
        let res = self.finish("import_foreign_schema", r);
        self.store.data_mut().import_options.clear();
        res
    }
}

impl std::fmt::Debug for FdwInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FdwInstance")
            .field("version", &self.version)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

/// Strict row check (stricter than Supabase, contract §10 item 6): exact cell count and
/// exact variant ↔ column type match, valid JSON / UUID text, timestamps in Postgres range.
pub fn validate_row(columns: &[crate::types::Column], row: &RowBuf) -> Result<()> {
    validate_cells(columns, &row.cells)
}

/// See [`validate_row`].
pub fn validate_cells(columns: &[crate::types::Column], cells: &[Option<Cell>]) -> Result<()> {
    if cells.len() != columns.len() {
        return Err(FdwError::new(ErrorKind::CellCount, format!(
            "target column number not match: the guest pushed {} cell(s) for {} target column(s)",
            cells.len(),
            columns.len()
        )));
    }
    for (col, cell) in columns.iter().zip(cells) {
        let Some(cell) = cell else { continue };
        if !col.pg_type.accepts(cell) {
            let why = if matches!(cell, Cell::Other(_)) {
                " (cell type `other` is not supported)".to_string()
            } else if let PgType::Unsupported(_) = col.pg_type {
                if col.pg_type.is_text_like() {
                    String::new()
                } else {
                    " (the column type is not supported by the host)".to_string()
                }
            } else {
                String::new()
            };
            return Err(FdwError::host(format!(
                "cell type mismatch in column `{}` ({}): expected `{}`, got `{}`{}",
                col.name,
                col.pg_type,
                col.pg_type.expected_variant(),
                cell.variant_name(),
                why
            )));
        }
        let problem = match cell {
            Cell::Json(text) => serde_json::from_str::<serde_json::Value>(text).err().map(|e| format!("invalid json: {e}")),
            Cell::Uuid(text) => uuid::Uuid::parse_str(text).err().map(|e| format!("invalid uuid: {e}")),
            Cell::Timestamp(us) | Cell::Timestamptz(us) => {
                crate::format::datetime_from_micros(*us).is_none().then(|| format!("timestamp {us} µs out of range"))
            }
            Cell::Date(secs) => crate::format::date_from_secs(*secs).is_none().then(|| format!("date {secs} s out of range")),
            _ => None,
        };
        if let Some(p) = problem {
            return Err(FdwError::host(format!("convert cell failed in column `{}` ({}): {p}", col.name, col.pg_type)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Column;

    #[test]
    fn semver_check() {
        assert!(check_host_version("^0.1.0").is_ok());
        assert!(check_host_version(">=0.1.0, <0.2.0").is_ok());
        assert!(check_host_version("0.1.5").is_ok());
        assert!(check_host_version(">=0.1.5").is_ok());
        let e = check_host_version("^0.2.0").unwrap_err();
        assert_eq!(e.to_string(), "guest fdw error: host version 0.1.5 not match requirement ^0.2.0");
        let e = check_host_version("not a req").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Semver);
        assert!(e.to_string().starts_with("semver error: "));
    }

    #[test]
    fn wasmtime_version_is_the_locked_one() {
        let v = semver::Version::parse(wasmtime_version()).expect("a semver version");
        // tsfdw-host is wasmtime 36 (Supabase); tsfdw-host-strict (cfg tsfdw_strict) a current one
        if cfg!(tsfdw_strict) {
            assert!(v.major >= 38, "{v}");
        } else {
            assert_eq!(v.major, 36, "{v}");
        }
        assert_eq!(engine_name(), format!("wasmtime-{v}"));
        // the very version Cargo.lock resolved
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap_or_default();
        if !lock.is_empty() {
            let entry = format!("name = \"wasmtime\"\nversion = \"{v}\"\n");
            assert!(lock.contains(&entry), "wasmtime {v} is not in Cargo.lock");
        }
    }

    #[test]
    fn strict_rows() {
        let cols = vec![
            Column::new("id", 1, PgType::Int4),
            Column::new("attrs", 2, PgType::Jsonb),
            Column::new("name", 3, PgType::parse("varchar")),
        ];
        assert!(validate_cells(&cols, &[Some(Cell::I32(1)), Some(Cell::Json("{}".into())), None]).is_ok());
        let e = validate_cells(&cols, &[Some(Cell::I32(1))]).unwrap_err();
        assert!(e.to_string().starts_with("target column number not match"), "{e}");
        assert_eq!(e.kind(), ErrorKind::CellCount);
        let e = validate_cells(&cols, &[None, None, None, None]).unwrap_err();
        assert!(e.to_string().starts_with("target column number not match"), "{e}");
        let e = validate_cells(&cols, &[Some(Cell::I64(1)), None, None]).unwrap_err();
        assert_eq!(e.to_string(), "cell type mismatch in column `id` (int4): expected `i32`, got `i64`");
        let e = validate_cells(&cols, &[None, Some(Cell::Json("{".into())), None]).unwrap_err();
        assert!(e.to_string().contains("invalid json"), "{e}");
        let e = validate_cells(&cols, &[None, Some(Cell::String("{}".into())), None]).unwrap_err();
        assert!(e.to_string().contains("expected `json`, got `string`"), "{e}");
        assert!(validate_cells(&cols, &[None, None, Some(Cell::String("x".into()))]).is_ok());
        let e = validate_cells(&cols, &[None, None, Some(Cell::Other("x".into()))]).unwrap_err();
        assert!(e.to_string().contains("`other`"), "{e}");
        let u = vec![Column::new("u", 1, PgType::Uuid)];
        assert!(validate_cells(&u, &[Some(Cell::Uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into()))]).is_ok());
        assert!(validate_cells(&u, &[Some(Cell::Uuid("zzz".into()))]).is_err());
    }
}

#[cfg(test)]
mod send_tests {
    fn assert_send<T: Send>() {}
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn thread_safety() {
        assert_send::<super::FdwInstance>();
        assert_send_sync::<super::FdwEngine>();
        assert_send_sync::<super::HostConfig>();
    }
}
