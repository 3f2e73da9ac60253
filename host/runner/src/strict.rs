//! `--engine strict`: the runner on `tsfdw-host-strict`, i.e. the same host sources built on a
//! current wasmtime, which enforces the component model's rules that wasmtime 36 lets pass
//! (a borrowed handle must be dropped before the call returns, not in post-return).

pub(crate) use tsfdw_host_strict as host;

// the runner is compiled once per engine: `run/` is loaded by supabase.rs and strict.rs
#[allow(clippy::duplicate_mod)]
#[path = "run/mod.rs"]
mod run;

pub(crate) use run::run;
