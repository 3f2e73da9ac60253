//! `tsfdw`: a Postgres extension that hosts Wasm foreign data wrappers the way Supabase
//! Wrappers' Wasm FDW does (`wasm_fdw_handler`, `wasm_fdw_validator`, `wasm_fdw_meta()`,
//! host version `0.1.5`), built on the `supabase-wrappers` framework for the Postgres side
//! and on `tsfdw-host` (the same host library the runner uses) for everything Wasm.
//!
//! ```sql
//! create extension tsfdw;
//! create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;
//! ```

use pgrx::prelude::*;

pg_module_magic!();

// Same table as Supabase's `wrappers` extension creates (contract §2.5), so guests' stats
// calls land somewhere inspectable.
extension_sql!(
    r#"
CREATE TABLE wrappers_fdw_stats (
  fdw_name          text NOT NULL PRIMARY KEY,
  create_times      bigint NULL,
  rows_in           bigint NULL,
  rows_out          bigint NULL,
  bytes_in          bigint NULL,
  bytes_out         bigint NULL,
  metadata          jsonb NULL,
  created_at        timestamptz NOT NULL DEFAULT timezone('utc'::text, now()),
  updated_at        timestamptz NOT NULL DEFAULT timezone('utc'::text, now())
);
COMMENT ON TABLE wrappers_fdw_stats IS 'Wasm FDW statistics (same shape as Supabase Wrappers)';
"#,
    name = "bootstrap",
    bootstrap
);

mod convert;
mod loader;
mod pgservices;
mod wasm_fdw;

/// Registers this extension's settings when Postgres loads the library (a `SET` made before
/// that is kept: Postgres turns its placeholder into the real setting).
#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    pgrx::GucRegistry::define_bool_guc(
        c"tsfdw.compile_cache",
        c"Cache compiled Wasm components (per backend in memory and on disk).",
        c"Off: compile the component for every foreign scan, as Supabase does, so timings through SQL include what Supabase pays per query.",
        &loader::COMPILE_CACHE,
        pgrx::GucContext::Userset,
        pgrx::GucFlags::empty(),
    );
}

/// `select tsfdw_cache_info()` — what the per-backend compile cache holds (for tests and
/// troubleshooting): `{"engine": "...", "in_memory": n, "compiled_dir": "...", "hits": n, "disk_hits": n,
/// "misses": n, "enabled": bool}` (`enabled`: the `tsfdw.compile_cache` setting).
#[pg_extern]
fn tsfdw_cache_info() -> pgrx::JsonB {
    pgrx::JsonB(loader::cache_info())
}

/// `select tsfdw_last_timing()` — phase timings of the most recent foreign scan in this backend
/// (NULL before the first): `{"compile_ms", "compile_source": "compiled"|"memory"|"disk",
/// "instantiate_ms", "init_ms", "begin_scan_ms", "iter_scan_ms", "end_scan_ms", "http_ms",
/// "http_requests", "http_bytes", "rows"}`. `compile_ms` covers reading/downloading the package
/// and compiling it or finding it in the compile cache; `http_ms` is part of the phase times.
/// With several foreign scans in one statement, the one that finished last.
#[pg_extern]
fn tsfdw_last_timing() -> Option<pgrx::JsonB> {
    wasm_fdw::last_timing().map(|t| pgrx::JsonB(t.to_json()))
}
