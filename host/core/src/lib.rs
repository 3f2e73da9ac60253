//! # tsfdw-host
//!
//! A Supabase-Wrappers-compatible host for Wasm foreign data wrappers: it loads components
//! exporting `supabase:wrappers/routines@0.1.0` (v1) or `@0.2.0` (v2) on wasmtime 36
//! (synchronous component model, no WASI) and provides the `http`, `jwt`, `stats`, `time`,
//! `types` and `utils` host interfaces of both versions, following the behavioural contract
//! in `shared/design/supabase-host-contract.md`.
//!
//! The same sources are also compiled as the crate `tsfdw-host-strict` (`../core-strict`)
//! against a current wasmtime, which enforces component-model rules wasmtime 36 lets pass
//! (borrowed handles dropped in post-return); `cfg(tsfdw_strict)` is set there.
//! [`engine_name`] says which one a build uses.
//!
//! Postgres-specific parts sit behind traits ([`Reporter`], [`SecretStore`], [`SettingStore`],
//! [`StatsStore`]) so a pgrx extension can reuse the host.
//!
//! ```no_run
//! use tsfdw_host::*;
//! # fn main() -> tsfdw_host::Result<()> {
//! let engine = FdwEngine::new()?;
//! let component = engine.compile(&std::fs::read("fdw.wasm").unwrap_or_default())?;
//! let mut inst = FdwInstance::new(&engine, &component, Options::new(), HostConfig::default())?;
//! inst.begin_scan(ScanSpec {
//!     columns: vec![Column::new("id", 1, PgType::Int8)],
//!     ..Default::default()
//! })?;
//! while let Some(row) = inst.iter_scan()? {
//!     println!("{row:?}");
//! }
//! inst.end_scan()?;
//! # Ok(()) }
//! ```

mod bindings;
mod engine;
mod error;
pub mod eval;
pub mod format;
pub mod hostfns;
pub mod http;
pub mod interrupt;
pub mod limits;
mod package;
pub mod services;
mod state;
mod timing;
mod types;

pub use engine::{
    check_host_version, engine_name, validate_cells, wasmtime_version, FdwEngine, FdwInstance, HostConfig, HOST_VERSION,
};
pub use error::{cap_text, ErrorKind, FdwError, Result, MAX_BACKTRACE_FRAMES, MAX_MESSAGE_BYTES};
pub use http::{HttpConfig, HttpMethod, HttpRequest, HttpResponse};
pub use interrupt::{Interrupts, NoInterrupts, StatementDeadline};
pub use limits::{check_server_option, GuestLimits};
pub use package::{
    cache_file_name, default_cache_dir, fetch_package, fetch_package_interruptibly, fetch_package_with, read_local,
    sha256_hex, PackageSpec,
};
pub use services::{
    MemoryReporter, MemorySecretStore, MemorySettings, MemoryStats, Metric, ReportLevel, Reporter, SecretStore,
    SettingStore, StatsRecord, StatsStore, StderrReporter,
};
pub use timing::{CompileSource, Timings};
pub use types::{
    Cell, Column, ImportForeignSchemaStmt, ImportSchemaType, Limit, ModifyRow, Options, OptionsKind, Param, PgType,
    Qual, RoutinesVersion, ScanSpec, Sort, TypeOid, Value, FSERVER_OID_KEY, FTABLE_OID_KEY,
};

/// The wasmtime this host is built on (re-exported so callers use the same types): 36 for
/// `tsfdw-host`; the same sources compiled as `tsfdw-host-strict` use a current wasmtime
/// (see [`wasmtime_version`]).
pub use wasmtime;
