//! `--engine supabase` (the default): the runner on `tsfdw-host`, i.e. wasmtime 36, the engine
//! Supabase Wrappers pins.

pub(crate) use tsfdw_host as host;

// the runner is compiled once per engine: `run/` is loaded by supabase.rs and strict.rs
#[allow(clippy::duplicate_mod)]
#[path = "run/mod.rs"]
mod run;

pub(crate) use run::run;
